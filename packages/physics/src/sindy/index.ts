// Public exports of SINDy; re-exported by src/index.ts (filled in by the SINDy work).
export {};
