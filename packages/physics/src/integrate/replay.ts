/**
 * Explicit Runge–Kutta steps on a known step grid, with @sciml/linalg ops: what `odeint` differentiates once
 * the steps are decided (planned on numbers on the CPU, by `odeintAsync` with awaited reads, or RK4's grid).
 * Nothing here reads a value, so it runs unchanged on a backend whose reads are asynchronous (WebGPU).
 *
 * - `replaySteps`: the steps replayed (discretise-then-optimise; autodiff records every stage).
 * - `checkpointedReplay`: the same steps in blocks under `checkpoint` (Griewank & Walther, "Evaluating
 *   Derivatives", ch. 12; diffrax's `RecursiveCheckpointAdjoint`): the same gradient, with only the block
 *   boundaries stored and each block recomputed in the backward pass.
 * - `gridBacksolve`: the backsolve adjoint (Chen et al. 2018, Alg. 1) integrated backwards over the same grid
 *   with the same tableau: z = (y, a, g), y' = f, a' = −aᵀ∂f/∂y, g' = −aᵀ∂f/∂θ, y restarted from the stored
 *   forward state at each output time.
 */
import { type PyTree, checkpoint, ravelPytree, stopGradient, vjp } from '@sciml/autodiff';
import { type NDArray, add, mul, slice, stack } from '@sciml/linalg';
import type { ButcherTableau } from './tableau.js';

/** A step grid: for each output interval [tᵢ, tᵢ₊₁], its steps [[tStart, tEnd], …] in order. */
export type StepGrid = readonly (readonly (readonly [number, number])[])[];

/** A vector field f(t, y, θ) on NDArrays. */
type Field<P> = (t: number, y: NDArray, p: P) => NDArray;

/** y + h Σⱼ wⱼ kⱼ with NDArray ops (zero weights skipped). */
export function combine(
  y: NDArray,
  h: number,
  w: readonly number[],
  k: readonly NDArray[],
): NDArray {
  let acc: NDArray | undefined;
  for (let j = 0; j < k.length; j++) {
    if (w[j] === 0) continue;
    const term = mul(h * w[j], k[j]);
    acc = acc === undefined ? term : add(acc, term);
  }
  return acc === undefined ? y : add(y, acc);
}

/**
 * Stages the propagated solution uses: trailing stages of weight 0 (an FSAL pair's f(t + h, y₁), Verner's
 * stage for the embedded estimate) serve the error estimate only.
 */
export function propagatedStages(tab: ButcherTableau): number {
  let s = tab.stages;
  while (s > 1 && tab.b[s - 1] === 0) s--;
  return s;
}

/** One explicit Runge–Kutta step of the tableau with NDArray ops (what 'direct' differentiates). */
export function rkStep<P>(
  tab: ButcherTableau,
  f: Field<P>,
  t: number,
  y: NDArray,
  h: number,
  p: P,
): NDArray {
  const k: NDArray[] = [];
  const s = propagatedStages(tab);
  for (let i = 0; i < s; i++) k.push(f(t + tab.c[i] * h, combine(y, h, tab.A[i], k), p));
  return combine(y, h, tab.b, k);
}

/** The grid's steps replayed with differentiable ops, stacked: row 0 is y0, row i the state at tᵢ. */
export function replaySteps<P>(
  tab: ButcherTableau,
  f: Field<P>,
  y0: NDArray,
  steps: StepGrid,
  params: P,
): NDArray {
  const out: NDArray[] = [y0];
  let state = y0;
  for (const interval of steps) {
    for (const [a, b] of interval) state = rkStep(tab, f, a, state, b - a, params);
    out.push(state);
  }
  return stack(out, { axis: 0 });
}

/**
 * `replaySteps` with the steps cut into blocks of at most `blockSteps` steps (never across an output time),
 * each under `checkpoint`: reverse mode stores the block inputs only and recomputes a block's stages when its
 * cotangent arrives. Default block length ⌈√N⌉ for N steps in all: O(√N) stored states (Griewank's
 * √N checkpointing) for one extra forward pass.
 */
export function checkpointedReplay<P extends PyTree>(
  tab: ButcherTableau,
  f: Field<P>,
  y0: NDArray,
  steps: StepGrid,
  params: P,
  blockSteps?: number,
): NDArray {
  const total = steps.reduce((s, iv) => s + iv.length, 0);
  const len = Math.max(1, blockSteps ?? Math.ceil(Math.sqrt(total)));
  const out: NDArray[] = [y0];
  let state = y0;
  for (const interval of steps) {
    for (let start = 0; start < interval.length; start += len) {
      const block = interval.slice(start, start + len);
      const run = checkpoint((y: NDArray, p: P) => {
        let x = y;
        for (const [a, b] of block) x = rkStep(tab, f, a, x, b - a, p);
        return x;
      });
      state = run(state, params);
    }
    out.push(state);
  }
  return stack(out, { axis: 0 });
}

/** The augmented adjoint field at (t, y, a): [f(t, y), −aᵀ∂f/∂y, −aᵀ∂f/∂θ (raveled)], with NDArray ops. */
function adjointField<P extends PyTree>(
  f: Field<P>,
  p: P,
  t: number,
  y: NDArray,
  a: NDArray,
): NDArray[] {
  const [dy, pull] = vjp((yy: NDArray, pp: P) => f(t, yy, pp), y, p);
  const [ay, ap] = pull(a) as [NDArray, P];
  const leaves = ravelPytree(ap)[0];
  return leaves.size > 0 ? [dy, mul(-1, ay), mul(-1, leaves)] : [dy, mul(-1, ay)];
}

/**
 * The backsolve adjoint over the grid `steps`, backwards with the tableau `tab` (each forward step [tA, tB]
 * becomes the step from tB to tA): returns [∂L/∂y0, ∂L/∂θ] for the cotangent `ct` of the stacked output
 * `ys` (shape [ts.length, …y0.shape]). Its error is that of the tableau on the forward grid applied to the
 * adjoint system; memory does not grow with the number of steps.
 */
export function gridBacksolve<P extends PyTree>(
  tab: ButcherTableau,
  f: Field<P>,
  ct: NDArray,
  ys: NDArray,
  params: P,
  steps: StepGrid,
): [NDArray, P] {
  const p = stopGradient(params);
  const [theta, unravel] = ravelPytree(p);
  const rows = stopGradient(ys);
  const cts = stopGradient(ct);
  const s = propagatedStages(tab);
  const row = (x: NDArray, i: number) => slice(x, i);
  let a = row(cts, steps.length);
  let g: NDArray | undefined = theta.size > 0 ? mul(0, theta) : undefined;
  for (let i = steps.length; i >= 1; i--) {
    let y = row(rows, i);
    const interval = steps[i - 1]!;
    for (let st = interval.length - 1; st >= 0; st--) {
      const [tA, tB] = interval[st]!;
      const h = tA - tB; // backwards
      const z = g === undefined ? [y, a] : [y, a, g];
      const k: NDArray[][] = [];
      for (let r = 0; r < s; r++) {
        const col = (j: number) => k.map((kk) => kk[j]!);
        const zr = z.map((x, j) => combine(x, h, tab.A[r], col(j)));
        k.push(adjointField(f, p, tB + tab.c[r] * h, zr[0]!, zr[1]!));
      }
      const next = z.map((x, j) =>
        combine(
          x,
          h,
          tab.b,
          k.map((kk) => kk[j]!),
        ),
      );
      y = next[0]!;
      a = next[1]!;
      if (g !== undefined) g = next[2]!;
    }
    a = add(a, row(cts, i - 1));
  }
  return [a, g === undefined ? p : unravel(g)];
}
