// Public exports of the integrators; re-exported by src/index.ts.
export { solveIVP } from './solve-ivp.js';
export { finiteDifferenceJacobian } from './fd-jacobian.js';
export type { JacobianBand } from './fd-jacobian.js';
export type { ButcherTableau } from './tableau.js';
export { EULER } from './methods/euler.js';
export { RK4 } from './methods/rk4.js';
export { DOPRI5 } from './methods/dopri5.js';
export { TSIT5 } from './methods/tsit5.js';
export { ROSENBROCK23_D, ROSENBROCK23_E32 } from './methods/rosenbrock23.js';
export type {
  OdeEvent,
  OdeJacobian,
  OdeMethod,
  OdeResult,
  OdeRhs,
  OdeRhsInPlace,
  OdeRhsReturning,
  SolveIVPOptions,
} from './types.js';
export { eulerStep, rk4Step, rollout, stackStates, step } from './rollout.js';
export type { Rollout, RolloutOptions, StepMap, StepMapOptions } from './rollout.js';
export { odeint } from './odeint.js';
export type { OdeintMethod, OdeintOptions, OdeVectorField } from './odeint.js';
export { odeintAsync } from './odeint-async.js';
export type { OdeintAsyncResult } from './odeint-async.js';
export type { OdeintPlan } from './odeint-plan.js';
export { VERN7 } from './methods/vern7.js';
export { VERN9 } from './methods/vern9.js';
export { RADAU5_A, RADAU5_C } from './methods/radau5.js';
export { KVAERNO5 } from './methods/kvaerno5.js';
export type { EsdirkTableau } from './implicit/esdirk-tableau.js';
export { VirtualBrownianTree } from './sde/brownian-tree.js';
export type { VirtualBrownianTreeOptions } from './sde/brownian-tree.js';
export { sdeint } from './sde/sdeint.js';
export type { BrownianPath, SdeMethod, SdeResult, SdeintOptions } from './sde/sdeint.js';
export { odeintEvents } from './odeint-events.js';
export type {
  OdeintEvent,
  OdeintEventFn,
  OdeintEventsOptions,
  OdeintEventsResult,
} from './odeint-events.js';
export type { MethodSwitch } from './steppers/auto-switch.js';
