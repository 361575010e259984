// Public exports of the dynamical systems; re-exported by src/index.ts.
export { Lorenz63 } from './lorenz63.js';
export type { Lorenz63Params } from './lorenz63.js';
export { sampleTrajectory, simulate } from './system.js';
export type { DynamicalSystem, SampleTrajectoryOptions, TrajectorySamples } from './system.js';
