// Public exports of this area; re-exported by src/index.ts.
export {};
