/**
 * `@sciml/linalg`: the NDArray, the backend interface with its CPU backend, fast kernels, and the linear
 * algebra of scientific machine learning.
 *
 * @packageDocumentation
 */

export type {
  Backend,
  BackendInput,
  CounterRandomKind,
  DeviceMemoryStats,
  OutputSpec,
} from './backend/backend.js';
export {
  getBackend,
  listBackends,
  registerBackend,
  setBackend,
  resolveBackend,
  unregisterBackend,
} from './backend/registry.js';
export { cpuBackend } from './cpu/cpu-backend.js';
export { addOpObserver, activeOpObservers, bind, withoutOpObservers } from './core/dispatch.js';
export type { OpObserver, OpRecord } from './core/dispatch.js';
export {
  DTYPES,
  allocEmpty,
  allocTyped,
  assertFloat,
  complexDType,
  dtypeOfTyped,
  isComplex,
  isFloat,
  isInexact,
  promoteTypes,
  realDType,
} from './core/dtype.js';
export type {
  ComplexDType,
  DType,
  FloatArray,
  FloatDType,
  TypedArray,
  TypedArrayFor,
  TypedArrayMap,
} from './core/dtype.js';
export {
  BackendError,
  ConvergenceError,
  DTypeError,
  NotFiniteError,
  SciMLError,
  ShapeError,
  SingularMatrixError,
  TracedValueError,
  UnsupportedRoutineError,
  ValueError,
  formatShape,
  withOpName,
} from './core/errors.js';
export { assertFinite, findNonFinite } from './core/finite.js';
export { inferOutputs } from './core/infer.js';
export { convDims, poolDims } from './core/conv-geometry.js';
export type { ConvDims, PoolDims } from './core/conv-geometry.js';
export { assertNDArray, describeValue } from './core/validate.js';
export { NDArray, exposeStorage, invalidateDonated, soleOwner } from './core/ndarray.js';
export type { NestedArray } from './core/ndarray.js';
export {
  BINARY_PRIMITIVES,
  COMPARE_PRIMITIVES,
  COMPLEX_PRIMITIVES,
  LINALG_PRIMITIVES,
  NN_PRIMITIVES,
  PRIMITIVES,
  REDUCE_PRIMITIVES,
  STRUCTURAL_PRIMITIVES,
  UNARY_PRIMITIVES,
} from './core/primitives.js';
export type {
  BinaryPrimitive,
  ComparePrimitive,
  ComplexPrimitive,
  ConvParams,
  LinalgPrimitive,
  NnPrimitive,
  PoolParams,
  Primitive,
  PrimitiveParamMap,
  PrimitiveParams,
  ReduceParams,
  ReducePrimitive,
  StructuralPrimitive,
  UnaryPrimitive,
} from './core/primitives.js';
export {
  broadcastShapes,
  normalizeAxes,
  normalizeAxis,
  shapesEqual,
  sizeOf,
  stridesOf,
} from './core/shape.js';
export {
  arange,
  array,
  defaultFloatDType,
  eye,
  fromTypedArray,
  full,
  fullLike,
  linspace,
  ones,
  onesLike,
  scalar,
  zeros,
  zerosLike,
} from './ops/creation.js';
export type { CreationOptions } from './ops/creation.js';
export { toBackend, toBackendAsync } from './ops/transfer.js';
export type { ToBackendOptions } from './ops/transfer.js';
export type { ScopeContextProvider } from './memory/context.js';
export { keep, scope, scopesAreAsyncAware, setScopeContextProvider } from './memory/scope.js';
export { memoryStats } from './memory/stats.js';
export { type HostPoolStats, hostPoolStats, setHostPoolLimit } from './core/host-pool.js';
export type { MemoryStats } from './memory/stats.js';
export * from './decomp/index.js';
export * from './inverse/index.js';
export * from './analysis/index.js';
export * from './ops/index.js';
export * from './random/index.js';
export * from './fft/index.js';
export {
  angle,
  complex,
  conj,
  imag,
  real,
  viewAsComplex,
  viewAsReal,
} from './ops/complex.js';
