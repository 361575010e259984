import type { ButcherTableau } from '../tableau.js';

/** Explicit (forward) Euler, y₁ = y + h f(t, y): order 1 (Euler 1768; Hairer–Nørsett–Wanner I, §I.7). @public */
export const EULER: ButcherTableau = {
  name: 'Euler',
  stages: 1,
  order: 1,
  embeddedOrder: 0,
  c: [0],
  A: [[]],
  b: [1],
  fsal: false,
};
