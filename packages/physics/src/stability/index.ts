// Public exports of stability and chaos analysis; re-exported by src/index.ts.
export { autodiffRhsJacobian, flowJacobian, mapJacobian, rhsJacobian } from './jacobians.js';
export type {
  FlowJacobianOptions,
  FlowJacobianResult,
  JacobianInPlace,
  RhsJacobianOptions,
} from './jacobians.js';
export { propagateLinearError } from './error-propagation.js';
export type { LinearErrorPropagation } from './error-propagation.js';
export { largestLyapunovExponent, lyapunovSpectrum } from './lyapunov.js';
export type { LyapunovOptions, LyapunovResult } from './lyapunov.js';
export { findFixedPoint, fixedPointStability } from './fixed-points.js';
export type {
  FindFixedPointOptions,
  FixedPointStability,
  FixedPointStabilityOptions,
} from './fixed-points.js';
export { mapLyapunovExponent } from './map-lyapunov.js';
export type { MapLyapunovOptions, MapLyapunovResult } from './map-lyapunov.js';
