/**
 * `@sciml/optim`: optimisers for scientific machine learning — stochastic first-order methods with functional
 * state, deterministic minimisers (GD, CG, BFGS, L-BFGS, Newton, SR1, projected gradient), nonlinear least
 * squares (Levenberg–Marquardt) and sparse regression (LASSO, elastic net).
 *
 * @packageDocumentation
 */

export { armijoBacktracking } from './linesearch/armijo.js';
export type { ArmijoOptions } from './linesearch/armijo.js';
export type { LineSearchResult } from './linesearch/types.js';
export { strongWolfe } from './linesearch/wolfe.js';
export type { WolfeOptions } from './linesearch/wolfe.js';
export { leastSquares } from './least-squares/least-squares.js';
export { leastSquaresAsync } from './least-squares/least-squares-async.js';
export type {
  JacobianFn,
  LeastSquaresOptions,
  LeastSquaresResult,
  ResidualFn,
} from './least-squares/least-squares.js';
export type { RobustLoss } from './least-squares/loss.js';
export { linearSolve } from './linear-solve/linear-solve.js';
export type { LinearSolveOptions } from './linear-solve/linear-solve.js';
export type { MinimizeOptions } from './minimize/common.js';
export { minimize } from './minimize/minimize.js';
export { minimizeAsync } from './minimize/minimize-async.js';
export type { MinimizeConfig, MinimizeMethod } from './minimize/minimize.js';
export type { BfgsUpdate } from './minimize/self-scaling.js';
export { modifiedNewtonDirection } from './minimize/newton.js';
export { projectBox, projectL2Ball, projectSimplex } from './minimize/projections.js';
export type { Projection } from './minimize/projections.js';
export { steihaugCG } from './minimize/sr1.js';
export { Objective } from './objective.js';
export type {
  GradientFn,
  HessVecFn,
  HessianFn,
  ObjectiveFn,
  ValueAndGradFn,
} from './objective.js';
export type { Bounds } from './minimize/lbfgsb.js';
export { beale, booth, brownBadlyScaled, extendedPowell, rosenbrock, wood } from './problems.js';
export type { TestProblem } from './problems.js';
export { STOP } from './result.js';
export type { OptimizeResult } from './result.js';
export { coordinateDescent } from './sparse/coordinate-descent.js';
export { elasticNet, lambdaMax, lasso, lassoPath } from './sparse/lasso.js';
export type { SparseResidualOptions, SparseSolver } from './sparse/lasso.js';
export type { SparseOptions, SparseResult } from './sparse/problem.js';
export type { FistaRestart } from './sparse/proximal-core.js';
export { fista, ista } from './sparse/proximal-gradient.js';
export type { ProximalOptions } from './sparse/proximal-gradient.js';
export { softThreshold, softThresholdScalar } from './sparse/soft-threshold.js';
export { elasticNetAsync, fistaAsync, istaAsync, lassoAsync } from './sparse/sparse-async.js';
export { adagrad, adam, adamw, amsgrad, rmsprop } from './stochastic/adaptive.js';
export type { AdamOptions } from './stochastic/adaptive.js';
export { clipByGlobalNorm, clipByValue, globalNorm } from './stochastic/clipping.js';
export { Optimizer, makeOptimizer } from './stochastic/optimizer.js';
export type { NonFinitePolicy } from './stochastic/guards.js';
export type {
  CommonOptions,
  GradientOptimizer,
  OptimizerState,
  UpdateOptions,
  UpdateRule,
} from './stochastic/optimizer.js';
export {
  ReduceOnPlateau,
  constantSchedule,
  cosineDecay,
  exponentialDecay,
  rateAt,
  stepDecay,
  warmup,
} from './stochastic/schedules.js';
export type { LearningRate, Schedule } from './stochastic/schedules.js';
export { momentum, nesterov, sgd } from './stochastic/sgd.js';
