/**
 * `@sciml/autodiff`: forward- and reverse-mode automatic differentiation of anything built from
 * `@sciml/linalg` ops — `grad`, `valueAndGrad`, `vjp`, `jvp`, `jacobian`, `hessian`, composable to any order —
 * over pytrees of NDArray, plus dual numbers for scalar forward mode and the `checkGrads` gradient checker.
 *
 * @packageDocumentation
 */

export { checkGrad, checkGrads, GradientCheckError } from './check-grads.js';
export type { CheckGradsOptions, CheckGradsReport, GradCheckEntry } from './check-grads.js';
export {
  Dual,
  dabs,
  dadd,
  datan,
  dcos,
  ddiv,
  derivative,
  dexp,
  dlog,
  dmul,
  dneg,
  dpow,
  dsigmoid,
  dsin,
  dsqrt,
  dsub,
  dtan,
  dtanh,
  nthDerivative,
  primalNumber,
} from './dual.js';
export type { Num } from './dual.js';
export type { JvpRule, VjpRule } from './rules/types.js';
export { jvpRules } from './rules/jvp.js';
export { vjpRules } from './rules/vjp.js';
export { customJvp, customVjp, stopGradient } from './transforms/custom.js';
export { jvp } from './transforms/forward.js';
export { hessian, jacobian } from './transforms/jacobian.js';
export type { JacobianOptions } from './transforms/jacobian.js';
export { grad, valueAndGrad, vjp } from './transforms/reverse.js';
export type { ArgsAt, GradOptions, Pullback, SelectArgs } from './transforms/reverse.js';
export { ravelPytree } from './ravel.js';
export type { Unravel } from './ravel.js';
export { treeFlatten, treeLeaves, treeMap, treeSize, treeUnflatten, treeDefEqual } from './tree.js';
export type { PyTree, TreeDef } from './tree.js';
export { jit } from './staging/jit.js';
export type { JitOptions, JitStats, Jitted } from './staging/jit.js';
export { makeJaxpr } from './staging/stage.js';
export { simplify } from './staging/simplify.js';
export type { ClosedJaxpr } from './staging/stage.js';
export type { ConstSource, ConstVar, Eqn, Jaxpr, Var } from './staging/jaxpr.js';
// the error class lives in @sciml/linalg (arrays raise it for every transform); re-exported for jit users
export { TracedValueError } from '@sciml/linalg';
export { vmap } from './staging/vmap.js';
export type { Axes, VmapOptions } from './staging/vmap.js';
export { batchRules } from './rules/batch.js';
export type { BatchDim, BatchRule } from './rules/batch.js';
export { checkpoint } from './transforms/checkpoint.js';
export { cond, scan, whileLoop } from './transforms/control.js';
export type { Predicate, ScanOptions, WhileLoopOptions } from './transforms/control.js';
