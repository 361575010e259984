// Public exports of the dynamical systems; re-exported by src/index.ts.
export { Duffing } from './duffing.js';
export type { DuffingParams } from './duffing.js';
export { Lorenz63 } from './lorenz63.js';
export type { Lorenz63Params } from './lorenz63.js';
export { Lorenz96 } from './lorenz96.js';
export type { Lorenz96Params } from './lorenz96.js';
export { LotkaVolterra } from './lotka-volterra.js';
export type { LotkaVolterraParams } from './lotka-volterra.js';
export { DampedPendulum } from './pendulum.js';
export type { PendulumParams } from './pendulum.js';
export { sampleTrajectory, simulate } from './system.js';
export type { DynamicalSystem, SampleTrajectoryOptions, TrajectorySamples } from './system.js';
export { VanDerPol } from './van-der-pol.js';
export type { VanDerPolParams } from './van-der-pol.js';
export { TwoScaleLorenz96, lorenz96Tendency } from './lorenz96-two-scale.js';
export type { TwoScaleLorenz96Params } from './lorenz96-two-scale.js';
