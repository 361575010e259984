// Public exports of the PDE solvers (method of lines); re-exported by src/index.ts.
export { grid1D } from './grid.js';
export type { BoundaryCondition, Grid1D } from './grid.js';
export type { MolOptions, PdeSolution } from './mol.js';
export { heatEquation1D, heatRhs } from './heat.js';
export type { HeatEquationOptions } from './heat.js';
export { burgers1D, burgersRhs } from './burgers.js';
export type { BurgersFlux, BurgersOptions } from './burgers.js';
export { burgersColeHopfPeriodic, burgersReference } from './burgers-reference.js';
