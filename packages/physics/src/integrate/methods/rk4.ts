import type { ButcherTableau } from '../tableau.js';

/** The classical 4-stage Runge–Kutta method of order 4 (Kutta 1901; Hairer–Nørsett–Wanner I, Table II.1.2). @public */
export const RK4: ButcherTableau = {
  name: 'RK4',
  stages: 4,
  order: 4,
  embeddedOrder: 0,
  c: [0, 1 / 2, 1 / 2, 1],
  A: [[], [1 / 2], [0, 1 / 2], [0, 0, 1]],
  b: [1 / 6, 1 / 3, 1 / 3, 1 / 6],
  fsal: false,
};
