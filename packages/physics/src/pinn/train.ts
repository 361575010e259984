// The PINN training loop: Adam, then L-BFGS polishing, on the weighted sum of the PDE residual's and the
// conditions' mean squares, with every term's value recorded.
import { type PyTree, valueAndGrad } from '@sciml/autodiff';
import { type NDArray, ValueError, add, mean, mul, scalar, square } from '@sciml/linalg';
import type { Layer } from '@sciml/nn';
import { adam, minimize } from '@sciml/optim';
import type { Condition } from './conditions.js';
import { type Derivatives, type Field, derivativesAt } from './derivatives.js';

/**
 * A PDE residual: given the derivatives of the solution at the collocation points (and the inverse
 * problem's unknowns), the residual N[u](x), which training drives to zero (Raissi et al., J. Comput. Phys.
 * 378 (2019) 686–707, eq. 3).
 * @example `(D) => add(D.d(0, 0), f(D.x))` for −u″ = f
 * @public
 */
export type Residual = (D: Derivatives, variables: Readonly<Record<string, NDArray>>) => NDArray;

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
  /** Unknown scalar coefficients of an inverse problem, trained with the network (initial values). */
  variables?: Readonly<Record<string, number>>;
  /** Adam phase (default 1000 steps, lr 1e-3; steps 0 skips it). */
  adam?: { steps?: number; lr?: number };
  /** L-BFGS phase (default 500 iterations; 0 skips it). */
  lbfgs?: { maxIter?: number };
  /** Record the loss terms every this many Adam steps / L-BFGS iterations (default 100). */
  logEvery?: number;
  /** Called with each history record. */
  onLog?: (record: PinnLogRecord) => void;
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
   * Unweighted mean square of each term (`pde` and each condition's name); empty on intermediate L-BFGS
   * records, which log the total only.
   */
  terms: Record<string, number>;
}

/** Result of {@link trainPinn}. @public */
export interface PinnResult<P extends PyTree> {
  /** Trained parameters. */
  params: P;
  /** Trained unknown coefficients. */
  variables: Record<string, number>;
  /** The solution field û(x) with the trained parameters (transform applied). */
  predict: Field;
  /** Loss history. */
  history: PinnLogRecord[];
  /** Final weighted loss. */
  loss: number;
  /** L-BFGS iterations performed. */
  lbfgsIterations: number;
}

type Trainable<P> = { net: P; variables: Record<string, NDArray> };

/**
 * Trains a physics-informed neural network (Raissi, Perdikaris & Karniadakis, J. Comput. Phys. 378 (2019)
 * 686–707): minimises w_pde·mean(N[u]²) + Σ w_k·mean(r_k²) over the network's parameters (and the inverse
 * problem's unknowns) by Adam, then L-BFGS, DeepXDE's recipe (Lu et al., SIAM Rev. 63 (2021) 208–228).
 * @public
 */
export function trainPinn<P extends PyTree>(options: TrainPinnOptions<P>): PinnResult<P> {
  const { net, pde, transform } = options;
  const conditions = options.conditions ?? [];
  const names = ['pde', ...conditions.map((c) => c.name)];
  if (new Set(names).size !== names.length)
    throw new ValueError('trainPinn', `loss term names must be unique, got ${names.join(', ')}`);
  const field =
    (p: P): Field =>
    (x) => {
      const y = net.apply(p, x).y;
      return transform ? transform(x, y) : y;
    };
  const terms = (t: Trainable<P>): NDArray[] => {
    const u = field(t.net);
    return [
      mean(square(pde.residual(derivativesAt(u, pde.points), t.variables))),
      ...conditions.map((c) => mean(square(c.residual(u, t.variables)))),
    ];
  };
  const weights = [pde.weight ?? 1, ...conditions.map((c) => c.weight ?? 1)];
  const total = (t: Trainable<P>): NDArray =>
    terms(t).reduce((acc, v, i) => add(acc, mul(weights[i]!, v)), scalar(0) as NDArray);
  const history: PinnLogRecord[] = [];
  const record = (phase: 'adam' | 'lbfgs', step: number, t: Trainable<P>): number => {
    const values = terms(t).map((v) => v.item() as number);
    const entry: PinnLogRecord = {
      phase,
      step,
      loss: values.reduce((a, v, i) => a + weights[i]! * v, 0),
      terms: Object.fromEntries(names.map((n, i) => [n, values[i]!])),
    };
    history.push(entry);
    options.onLog?.(entry);
    return entry.loss;
  };
  let state: Trainable<P> = {
    net: options.params,
    variables: Object.fromEntries(
      Object.entries(options.variables ?? {}).map(([k, v]) => [k, scalar(v)]),
    ),
  };
  const logEvery = options.logEvery ?? 100;
  const steps = options.adam?.steps ?? 1000;
  const vg = valueAndGrad(total as (t: PyTree) => NDArray) as unknown as (
    t: Trainable<P>,
  ) => [NDArray, Trainable<P>];
  if (steps > 0) {
    const opt = adam({ lr: options.adam?.lr ?? 1e-3 });
    let s = opt.init(state as unknown as PyTree);
    for (let i = 0; i < steps; i++) {
      if (i % logEvery === 0) record('adam', i, state);
      const [, g] = vg(state);
      const next = opt.update(state as unknown as PyTree, g as unknown as PyTree, s);
      state = next.params as unknown as Trainable<P>;
      s = next.state;
    }
  }
  let lbfgsIterations = 0;
  const maxIter = options.lbfgs?.maxIter ?? 500;
  if (maxIter > 0) {
    const res = minimize(total, state, {
      method: 'lbfgs',
      maxIter,
      gtol: 1e-12,
      callback: (_x, f, it) => {
        if (it % logEvery === 0) history.push({ phase: 'lbfgs', step: it, loss: f, terms: {} });
      },
    });
    state = res.x;
    lbfgsIterations = res.nit;
  }
  const loss = record(maxIter > 0 ? 'lbfgs' : 'adam', maxIter > 0 ? lbfgsIterations : steps, state);
  return {
    params: state.net,
    variables: Object.fromEntries(
      Object.entries(state.variables).map(([k, v]) => [k, v.item() as number]),
    ),
    predict: field(state.net),
    history,
    loss,
    lbfgsIterations,
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
