// The PINN training loop: Adam, then L-BFGS polishing, on the weighted sum of the PDE residual's and the
// conditions' mean squares, with every term's value recorded. The loss and its gradient are compiled once by
// `jit` (points and weights are arguments, so resampling and reweighting never recompile).
import { type PyTree, grad, jit, ravelPytree, simplify, valueAndGrad } from '@sciml/autodiff';
import {
  type Generator,
  type NDArray,
  ValueError,
  add,
  exp,
  fromTypedArray,
  mean,
  mul,
  scalar,
  square,
} from '@sciml/linalg';
import type { Layer } from '@sciml/nn';
import { type BfgsUpdate, type LearningRate, STOP, adam, minimize } from '@sciml/optim';
import type { Condition } from './conditions.js';
import { type Derivatives, type Field, derivativesAt, partial } from './derivatives.js';
import { radResample } from './rad.js';
import { checkAffine, projectLinearCoefficients } from './varpro.js';
import { annealedWeights } from './weights.js';

/**
 * A PDE residual: given the derivatives of the solution at the collocation points (and the inverse
 * problem's unknowns), the residual N[u](x), which training drives to zero (Raissi et al., J. Comput. Phys.
 * 378 (2019) 686–707, eq. 3).
 * @example `(D) => add(D.d(0, 0), f(D.x))` for −u″ = f
 * @public
 */
export type Residual = (D: Derivatives, variables: Readonly<Record<string, NDArray>>) => NDArray;

/**
 * An unknown coefficient λ of an inverse problem with its parametrisation: the optimiser trains θ and the
 * residual sees λ = scale·θ (`'linear'`, default) or λ = scale·e^θ (`'log'`, for a positive coefficient
 * that may span decades, e.g. a viscosity ~1e-3). Either way a small coefficient gets an O(1) parameter and
 * an O(1) gradient beside the network's weights, which Adam's step size and L-BFGS's curvature pairs need
 * (Raissi et al. 2019 §4.1.2 identify ν = 0.01/π this way poorly conditioned in θ = λ).
 * @public
 */
export interface PinnVariable {
  /** Initial value of λ itself (> 0 with `'log'`). */
  initial: number;
  /** How λ depends on the trained θ (default `'linear'`). */
  parametrization?: 'linear' | 'log';
  /** The factor of λ = scale·θ or scale·e^θ (default 1; e.g. 0.01 for a coefficient of order 0.01). */
  scale?: number;
}

/**
 * An unknown coefficient that enters the PDE residual linearly (affinely), eliminated by variable
 * projection (Golub & Pereyra, SIAM J. Numer. Anal. 10 (1973) 413–432) instead of trained: at every loss
 * evaluation, the coefficients so marked are set to λ* = argmin_λ Σ N[u; λ]² over the PDE points for the
 * current network, a small least-squares solve (for u_t + λ₁ u u_x − λ₂ u_xx: [u u_x, −u_xx] λ ≈ −u_t),
 * and the optimiser trains the network alone. By the envelope theorem the gradient at λ* needs no
 * derivative of the solve (see `projectLinearCoefficients`). Removes the coefficients' own conditioning from
 * the optimisation (a viscosity of 1e-3 needs no scale or log parametrisation) and lets L-BFGS work on the
 * reduced problem. The conditions and the gPINN term see λ* as a constant (so with `gradientEnhanced`, or
 * conditions that depend on λ, the gradient is that of the loss at fixed λ*). trainPinn checks once, at the
 * start, that the residual is affine in these coefficients. Caveat: when the λ-free part of the residual does
 * not fix u's amplitude (−λ u″ = f: u → c·u, λ → λ/c keeps N = 0 for any c), the data term must anchor it —
 * weight it well above the residual, or use a hard constraint (Burgers' u_t does, with the initial data).
 * @public
 */
export interface LeastSquaresVariable {
  /** Eliminate the coefficient by least squares on the PDE residual. */
  solve: 'leastSquares';
}

/** Whether a coefficient is solved by least squares rather than trained. */
function isSolved(v: number | PinnVariable | LeastSquaresVariable): v is LeastSquaresVariable {
  return typeof v === 'object' && 'solve' in v;
}

/** Options of {@link trainPinn}. @public */
export interface TrainPinnOptions<P extends PyTree> {
  /** The network (any @sciml/nn layer mapping (n, dim) to (n, outputs)). */
  net: Layer<P>;
  /** Its initial parameters. */
  params: P;
  /** The PDE residual and its collocation points (n, dim). */
  pde: { residual: Residual; points: NDArray; weight?: number };
  /** Soft conditions (weighted loss terms). */
  conditions?: readonly Condition[];
  /**
   * Hard constraint: the solution is transform(x, N(x)) instead of N(x), e.g. û = g + φ·N with φ vanishing
   * on the boundary (see `hardDirichlet`), so the condition holds exactly (Lagaris et al. 1998).
   */
  transform?: (x: NDArray, y: NDArray) => NDArray;
  /**
   * Unknown scalar coefficients of an inverse problem, trained with the network: an initial value (trained
   * as is), a {@link PinnVariable} with a log or scaled parametrisation, or a {@link LeastSquaresVariable}
   * (a coefficient the residual is linear in, solved for rather than trained). The residual and the
   * conditions receive the coefficients' values λ, and the result reports λ.
   */
  variables?: Readonly<Record<string, number | PinnVariable | LeastSquaresVariable>>;
  /** Adam phase (default 1000 steps, lr 1e-3, a number or a schedule such as `cosineDecay`; 0 steps skips it). */
  adam?: { steps?: number; lr?: LearningRate };
  /**
   * L-BFGS phase (default 500 iterations; 0 skips it), with `memory` (stored pairs, default 10) and
   * `restarts` (default 3): how many times a failed line search — common near a PINN's minimum, where
   * float64 rounding flattens the loss — is answered by dropping the curvature pairs and going on from the
   * last iterate (the iterations count against `maxIter`).
   */
  lbfgs?: { maxIter?: number; memory?: number; restarts?: number };
  /**
   * Dense quasi-Newton polishing in place of L-BFGS (give one or the other): `minimize`'s 'bfgs' with the
   * full n × n inverse Hessian and, by default, the self-scaled Broyden update with which Urbán, Stefanou &
   * Pons (J. Comput. Phys. 2025) train small PINNs orders of magnitude below L-BFGS's loss. Costs n² per
   * iteration and 8n² bytes (7 MB for a 3 × 20 network's ~940 parameters): for networks of a few thousand
   * parameters at most. `maxIter` (default 500) and `restarts` (default 3) as for `lbfgs`; the inverse Hessian
   * is carried across the RAD rounds of `resample.lbfgsEvery` (as in their code) and dropped on a restart.
   * The result's `quasiNewtonIterations`/`quasiNewtonEvaluations`/`quasiNewtonMessage` and the `'lbfgs'`
   * history phase describe this stage as they do L-BFGS.
   */
  bfgs?: { maxIter?: number; update?: BfgsUpdate; restarts?: number };
  /** Record the loss terms every this many Adam steps / L-BFGS iterations (default 100). */
  logEvery?: number;
  /**
   * Called with each history record and the network's parameters at that point (to score a validation
   * metric while training, e.g. the error against a reference solution).
   */
  onLog?: (record: PinnLogRecord, params: P) => void;
  /**
   * Compile the loss and its gradient with `jit` (default true, with the loss `simplify`d before it is
   * differentiated; false runs op by op, the same numbers to rounding).
   */
  jit?: boolean;
  /**
   * Gradient-enhanced PINN, gPINN (Yu, Lu, Meng & Karniadakis, CMAME 393 (2022) 114823): adds
   * weight·Σ_a mean((∂N[u]/∂x_a)²) over `axes` (default all) as the loss term `gpinn`, since the residual
   * vanishes identically, so do its derivatives.
   */
  gradientEnhanced?: { weight: number; axes?: readonly number[] };
  /**
   * Learning-rate annealing of the condition weights during Adam (Wang, Teng & Perdikaris, SIAM J. Sci.
   * Comput. 43 (2021) A3055–A3081, Algorithm 1): every `every` steps (default 10),
   * λ̂_k = max|∇θ L_pde| / mean|∇θ L_k| over the network's parameters and λ_k ← (1 − α)λ_k + α·λ̂_k
   * (α default 0.9); the PDE (and gPINN) weights stay fixed. L-BFGS then uses the final weights.
   */
  adaptiveWeights?: { method: 'annealing'; every?: number; alpha?: number };
  /**
   * Residual-based adaptive distribution, RAD (Wu, Zhu, Tan, Kartha & Lu, CMAME 403 (2023) 115671):
   * every `every` Adam steps the PDE points are redrawn from `candidates()` with probability
   * ∝ |N[u]|^k / mean|N[u]|^k + c (defaults k = 1, c = 1), see `radResample`; with `lbfgsEvery`, also every
   * that many L-BFGS iterations (L-BFGS then restarts from the current iterate on the new points, as in
   * Wu et al.'s rounds of resampling and training), so the polishing phase cannot overfit one fixed set of
   * points around a steep front.
   */
  resample?: {
    every: number;
    lbfgsEvery?: number;
    candidates: () => NDArray;
    k?: number;
    c?: number;
    rng: Generator;
  };
}

/** One entry of the loss history. @public */
export interface PinnLogRecord {
  /** `'adam'` or `'lbfgs'`. */
  phase: 'adam' | 'lbfgs';
  /** Step or iteration within the phase. */
  step: number;
  /** Weighted total loss. */
  loss: number;
  /**
   * Unweighted mean square of each term (`pde`, `gpinn` and each condition's name); empty on intermediate
   * L-BFGS records, which log the total only.
   */
  terms: Record<string, number>;
  /** The weight of each term at this record (changes with `adaptiveWeights`). */
  weights?: Record<string, number>;
  /** The inverse problem's coefficients λ at this record (absent without `variables`). */
  variables?: Record<string, number>;
}

/** Result of {@link trainPinn}. @public */
export interface PinnResult<P extends PyTree> {
  /** Trained parameters. */
  params: P;
  /** The unknown coefficients: trained, or solved for the final network (`LeastSquaresVariable`). */
  variables: Record<string, number>;
  /** The solution field û(x) with the trained parameters (transform applied). */
  predict: Field;
  /** Loss history. */
  history: PinnLogRecord[];
  /** Final weighted loss. */
  loss: number;
  /** Iterations of the quasi-Newton stage, L-BFGS or the dense `bfgs` (all restarts and RAD rounds together). */
  quasiNewtonIterations: number;
  /** Why the quasi-Newton stage stopped (the optimiser's message of its last run; `'skipped'` when it did not run). */
  quasiNewtonMessage: string;
  /** Loss and gradient evaluations the quasi-Newton stage made (line-search trials included). */
  quasiNewtonEvaluations: number;
  /** @deprecated Use `quasiNewtonIterations` (the same number; this name goes in the next minor release). */
  lbfgsIterations: number;
  /** @deprecated Use `quasiNewtonMessage` (the same text; this name goes in the next minor release). */
  lbfgsMessage: string;
  /** @deprecated Use `quasiNewtonEvaluations` (the same number; this name goes in the next minor release). */
  lbfgsEvaluations: number;
  /** The PDE collocation points at the end (differ from the input after `resample`). */
  points: NDArray;
  /** The final weight of each loss term. */
  weights: Record<string, number>;
}

type Trainable<P> = { net: P; variables: Record<string, NDArray> };
type ValueAuxGrad<P> = (
  t: Trainable<P>,
  w: NDArray[],
  pts: NDArray,
) => [[NDArray, NDArray[]], Trainable<P>];

function checkOptions<P extends PyTree>(options: TrainPinnOptions<P>, names: string[]): void {
  const op = 'trainPinn';
  if (new Set(names).size !== names.length)
    throw new ValueError(op, `loss term names must be unique, got ${names.join(', ')}`);
  const pts = options.pde.points;
  if (pts.ndim !== 2 || pts.shape[0] === 0)
    throw new ValueError(
      op,
      `pde.points must be a non-empty (n, dim) array, got [${pts.shape.join(', ')}]`,
    );
  const ge = options.gradientEnhanced;
  if (ge && !(ge.weight >= 0 && Number.isFinite(ge.weight)))
    throw new ValueError(op, `gradientEnhanced.weight must be finite and ≥ 0, got ${ge.weight}`);
  const rs = options.resample;
  if (rs && !(Number.isSafeInteger(rs.every) && rs.every >= 1))
    throw new ValueError(op, `resample.every must be a positive integer, got ${rs.every}`);
  if (rs?.lbfgsEvery !== undefined && !(Number.isSafeInteger(rs.lbfgsEvery) && rs.lbfgsEvery >= 1))
    throw new ValueError(
      op,
      `resample.lbfgsEvery must be a positive integer, got ${rs.lbfgsEvery}`,
    );
  for (const [k, v] of Object.entries(options.variables ?? {})) {
    if (isSolved(v)) {
      if (v.solve !== 'leastSquares')
        throw new ValueError(op, `variables.${k}.solve must be 'leastSquares', got '${v.solve}'`);
      continue;
    }
    const spec: PinnVariable = typeof v === 'number' ? { initial: v } : v;
    const scale = spec.scale ?? 1;
    const log = spec.parametrization === 'log';
    if (spec.parametrization !== undefined && !log && spec.parametrization !== 'linear')
      throw new ValueError(
        op,
        `variables.${k}.parametrization must be 'linear' or 'log', got '${spec.parametrization}'`,
      );
    if (!Number.isFinite(spec.initial) || !(Number.isFinite(scale) && scale !== 0))
      throw new ValueError(
        op,
        `variables.${k} needs a finite initial value and a finite non-zero scale, got ${spec.initial} and ${scale}`,
      );
    if (log && !(spec.initial / scale > 0))
      throw new ValueError(
        op,
        `variables.${k} is log-parametrised, so initial/scale must be > 0, got ${spec.initial}/${scale}`,
      );
  }
  if (options.bfgs && options.lbfgs)
    throw new ValueError(
      op,
      'give either lbfgs or bfgs (the polishing stage is one quasi-Newton method), not both',
    );
  const aw = options.adaptiveWeights;
  if (aw && aw.method !== 'annealing')
    throw new ValueError(op, `adaptiveWeights.method must be 'annealing', got '${aw.method}'`);
}

/**
 * Trains a physics-informed neural network (Raissi, Perdikaris & Karniadakis, J. Comput. Phys. 378 (2019)
 * 686–707): minimises w_pde·mean(N[u]²) + Σ w_k·mean(r_k²) over the network's parameters (and the inverse
 * problem's unknowns) by Adam, then L-BFGS, DeepXDE's recipe (Lu et al., SIAM Rev. 63 (2021) 208–228); with
 * options for gPINN, learning-rate annealing of the weights and RAD resampling of the collocation points.
 * @public
 */
export function trainPinn<P extends PyTree>(options: TrainPinnOptions<P>): PinnResult<P> {
  const { net, pde, transform } = options;
  const conditions = options.conditions ?? [];
  const ge = options.gradientEnhanced;
  const names = ['pde', ...(ge ? ['gpinn'] : []), ...conditions.map((c) => c.name)];
  checkOptions(options, names);
  const firstCondition = names.length - conditions.length;
  const field =
    (p: P): Field =>
    (x) => {
      const y = net.apply(p, x).y;
      return transform ? transform(x, y) : y;
    };
  // the trained θ of each unknown and the map θ ↦ λ the residual and the conditions see
  const entries = Object.entries(options.variables ?? {});
  const solved = entries.filter(([, v]) => isSolved(v)).map(([k]) => k);
  const specs = entries.flatMap(([k, v]) => {
    if (isSolved(v)) return [];
    const spec: PinnVariable = typeof v === 'number' ? { initial: v } : v;
    return [{ ...spec, name: k, log: spec.parametrization === 'log', scale: spec.scale ?? 1 }];
  });
  const coefficients = (theta: Record<string, NDArray>): Record<string, NDArray> =>
    Object.fromEntries(
      specs.map(({ name, log, scale }) => {
        const v = log ? exp(theta[name]!) : theta[name]!;
        return [name, scale === 1 ? v : mul(scale, v)];
      }),
    );
  const coefficientValues = (theta: Record<string, NDArray>): Record<string, number> =>
    Object.fromEntries(
      specs.map(({ name, log, scale }) => {
        const th = theta[name]!.item() as number;
        return [name, scale * (log ? Math.exp(th) : th)];
      }),
    );
  // the PDE residual at pts and every coefficient's value, the solved ones projected out (variable projection)
  const residualAt = (t: Trainable<P>, pts: NDArray) => {
    const u = field(t.net);
    const trained = coefficients(t.variables);
    const D = derivativesAt(u, pts);
    if (solved.length === 0) return { u, lambda: trained, r: pde.residual(D, trained) };
    const p = projectLinearCoefficients((l) => pde.residual(D, { ...trained, ...l }), solved);
    return { u, lambda: { ...trained, ...p.coefficients }, r: p.residual };
  };
  // the loss terms' mean squares, then the solved coefficients' values (the aux of the compiled gradient)
  const terms = (t: Trainable<P>, pts: NDArray): NDArray[] => {
    const { u, lambda, r: rPts } = residualAt(t, pts);
    const r = (x: NDArray) => pde.residual(derivativesAt(u, x), lambda);
    const out = [mean(square(rPts))];
    if (ge) {
      const axes = ge.axes ?? Array.from({ length: pts.shape[1]! }, (_, a) => a);
      out.push(
        axes
          .map((a) => mean(square(partial(r, [a])(pts))))
          .reduce((s, v) => add(s, v), scalar(0) as NDArray),
      );
    }
    for (const c of conditions) out.push(mean(square(c.residual(u, lambda))));
    for (const name of solved) out.push(lambda[name]!);
    return out;
  };
  const totalAux = (t: Trainable<P>, w: NDArray[], pts: NDArray): [NDArray, NDArray[]] => {
    const ts = terms(t, pts);
    return [
      ts
        .slice(0, names.length)
        .reduce((acc, v, i) => add(acc, mul(w[i]!, v)), scalar(0) as NDArray),
      ts,
    ];
  };
  const compile = options.jit ?? true;
  // under jit, the loss is simplified before it is differentiated: u, u_t, u_x and u_xx each run the network
  // forward (nested jvps), and merging those copies first leaves the backward pass one chain per distinct
  // derivative instead of one per copy (about 1.4× faster for Burgers)
  const lossFn = compile ? simplify(totalAux) : totalAux;
  const vgRaw = valueAndGrad(
    lossFn as (t: PyTree, w: NDArray[], p: NDArray) => [NDArray, NDArray[]],
    {
      hasAux: true,
    },
  ) as unknown as ValueAuxGrad<P>;
  const vg = compile ? (jit(vgRaw) as ValueAuxGrad<P>) : vgRaw;

  const weights = [
    pde.weight ?? 1,
    ...(ge ? [ge.weight] : []),
    ...conditions.map((c) => c.weight ?? 1),
  ];
  const weightArrays = () => weights.map((v) => scalar(v));
  let points = pde.points;
  const history: PinnLogRecord[] = [];
  const hasVariables = specs.length + solved.length > 0;
  // every coefficient's value: the trained ones from θ, the solved ones from a loss evaluation's aux
  const allValues = (theta: Record<string, NDArray>, solvedValues: readonly number[]) => ({
    ...coefficientValues(theta),
    ...Object.fromEntries(solved.map((n, j) => [n, solvedValues[j]!])),
  });
  const record = (
    phase: 'adam' | 'lbfgs',
    step: number,
    values: number[],
    at: Trainable<P>,
  ): number => {
    const entry: PinnLogRecord = {
      phase,
      step,
      loss: values.slice(0, names.length).reduce((a, v, i) => a + weights[i]! * v, 0),
      terms: Object.fromEntries(names.map((n, i) => [n, values[i]!])),
      weights: Object.fromEntries(names.map((n, i) => [n, weights[i]!])),
      ...(hasVariables ? { variables: allValues(at.variables, values.slice(names.length)) } : {}),
    };
    history.push(entry);
    options.onLog?.(entry, at.net);
    return entry.loss;
  };
  let state: Trainable<P> = {
    net: options.params,
    variables: Object.fromEntries(
      specs.map(({ name, initial, log, scale }) => [
        name,
        scalar(log ? Math.log(initial / scale) : initial / scale),
      ]),
    ),
  };
  if (solved.length > 0) {
    const D = derivativesAt(field(state.net), points);
    const trained = coefficients(state.variables);
    checkAffine((l) => pde.residual(D, { ...trained, ...l }), solved);
  }
  const logEvery = options.logEvery ?? 100;
  const steps = options.adam?.steps ?? 1000;
  const aw = options.adaptiveWeights;
  // per-term gradients for the annealing rule: one reverse pass per condition term
  const termsFn = compile ? simplify(terms) : terms;
  const termGradsRaw = (t: Trainable<P>, pts: NDArray): Trainable<P>[] =>
    names.map(
      (_, i) =>
        grad((s: PyTree) => termsFn(s as unknown as Trainable<P>, pts)[i]!)(
          t as unknown as PyTree,
        ) as unknown as Trainable<P>,
    );
  const termGrads = aw ? (compile ? jit(termGradsRaw) : termGradsRaw) : undefined;
  const rs = options.resample;
  const resampleAt = (t: Trainable<P>): NDArray => {
    const vars = residualAt(t, points).lambda;
    return radResample(
      field(t.net),
      (D) => pde.residual(D, vars),
      rs!.candidates(),
      points.shape[0]!,
      {
        k: rs!.k,
        c: rs!.c,
        rng: rs!.rng,
      },
    );
  };
  if (steps > 0) {
    const opt = adam({ lr: options.adam?.lr ?? 1e-3 });
    let s = opt.init(state as unknown as PyTree);
    for (let i = 0; i < steps; i++) {
      if (rs && i > 0 && i % rs.every === 0) points = resampleAt(state);
      if (termGrads && i % (aw?.every ?? 10) === 0) {
        const gs = termGrads(state, points).map((g) => g.net as PyTree);
        const next = annealedWeights(
          gs[0]!,
          gs.slice(firstCondition),
          weights.slice(firstCondition),
          aw?.alpha ?? 0.9,
        );
        next.forEach((v, k) => {
          weights[firstCondition + k] = v;
        });
      }
      const [[, aux], g] = vg(state, weightArrays(), points);
      if (i % logEvery === 0)
        record(
          'adam',
          i,
          aux.map((v) => v.item() as number),
          state,
        );
      const next = opt.update(state as unknown as PyTree, g as unknown as PyTree, s);
      state = next.params as unknown as Trainable<P>;
      s = next.state;
    }
  }
  let quasiNewtonIterations = 0;
  let quasiNewtonMessage = 'skipped';
  let quasiNewtonEvaluations = 0;
  const dense = options.bfgs;
  const maxIter = (dense ?? options.lbfgs)?.maxIter ?? 500;
  const segment = rs?.lbfgsEvery ?? maxIter;
  if (maxIter > 0) {
    const w = weightArrays();
    let restartsLeft = (dense ?? options.lbfgs)?.restarts ?? 3;
    let resampleNext = false;
    // the dense method's inverse Hessian, carried from one RAD round to the next
    let hessInv: NDArray | undefined;
    while (quasiNewtonIterations < maxIter) {
      if (rs && resampleNext) points = resampleAt(state);
      const pts = points;
      const done = quasiNewtonIterations;
      // the callback sees the flat iterate; unravel it only to log the coefficients or to hand it to onLog
      const unravel =
        hasVariables || options.onLog ? ravelPytree(state as unknown as PyTree)[1] : undefined;
      let lastSolved: number[] = [];
      const res = minimize((t: Trainable<P>) => totalAux(t, w, pts)[0], state, {
        ...(dense
          ? { method: 'bfgs', bfgsUpdate: dense.update ?? 'self-scaled-broyden', hessInv0: hessInv }
          : { method: 'lbfgs', memory: options.lbfgs?.memory ?? 10 }),
        maxIter: Math.min(segment, maxIter - done),
        gtol: 1e-12,
        valueAndGrad: (t) => {
          const [[v, aux], g] = vg(t, w, pts);
          if (solved.length > 0)
            lastSolved = aux.slice(names.length).map((a) => a.item() as number);
          return [v, g];
        },
        callback: (x, f, it) => {
          if ((done + it) % logEvery !== 0) return;
          const at = unravel?.(fromTypedArray(x, [x.length])) as Trainable<P> | undefined;
          const entry: PinnLogRecord = {
            phase: 'lbfgs',
            step: done + it,
            loss: f,
            terms: {},
            ...(hasVariables && at
              ? {
                  // the solved coefficients as of the last evaluation (the accepted iterate's, or a trial's)
                  variables: allValues(at.variables, lastSolved),
                }
              : {}),
          };
          history.push(entry);
          if (at) options.onLog?.(entry, at.net);
        },
      });
      state = res.x;
      quasiNewtonIterations += res.nit;
      quasiNewtonEvaluations += res.nfev;
      quasiNewtonMessage = res.message;
      hessInv = res.hessInv;
      if (res.message === STOP.maxIter) {
        resampleNext = true;
        continue;
      }
      // a failed line search (common near the minimum, where rounding flattens the loss) restarts with fresh
      // curvature pairs; one that made no progress at all, or any other stop, ends the phase
      if (res.message !== STOP.lineSearch || res.nit === 0 || restartsLeft-- <= 0) break;
      resampleNext = false;
      hessInv = undefined;
    }
  }
  const [[, finalTerms]] = vg(state, weightArrays(), points);
  const finalValues = finalTerms.map((v) => v.item() as number);
  const loss = record(
    maxIter > 0 ? 'lbfgs' : 'adam',
    maxIter > 0 ? quasiNewtonIterations : steps,
    finalValues,
    state,
  );
  return {
    params: state.net,
    variables: allValues(state.variables, finalValues.slice(names.length)),
    predict: field(state.net),
    history,
    loss,
    quasiNewtonIterations,
    quasiNewtonMessage,
    quasiNewtonEvaluations,
    lbfgsIterations: quasiNewtonIterations,
    lbfgsMessage: quasiNewtonMessage,
    lbfgsEvaluations: quasiNewtonEvaluations,
    points,
    weights: Object.fromEntries(names.map((n, i) => [n, weights[i]!])),
  };
}

/**
 * The hard Dirichlet transform û(x) = g(x) + φ(x)·N(x) (Lagaris, Likas & Fotiadis, IEEE TNN 9 (1998)
 * 987–1000): with φ vanishing on the boundary (a geometry's `boundaryDistance`), û equals g there exactly
 * whatever the network outputs.
 * @public
 */
export function hardDirichlet(
  distance: (x: NDArray) => NDArray,
  g: number | ((x: NDArray) => NDArray) = 0,
): (x: NDArray, y: NDArray) => NDArray {
  return (x, y) => add(typeof g === 'function' ? g(x) : g, mul(distance(x), y));
}
