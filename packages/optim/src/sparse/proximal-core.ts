/**
 * The proximal-gradient iteration shared by the matrix and the pytree forms of ISTA/FISTA: it sees only a
 * smooth part f on flat float64 vectors and minimises F(x) = f(x) + λ‖x‖₁.
 */
import { type Evaluations, runLocal } from '../objective.js';
import { softThresholdScalar } from './soft-threshold.js';

/** The smooth part f of a composite objective F = f + λ‖·‖₁, evaluated on flat float64 vectors. */
export interface SmoothPart {
  /** f(x). */
  value(x: Float64Array): number;
  /** [f(x), ∇f(x)]. */
  valueAndGrad(x: Float64Array): [number, Float64Array];
}

/**
 * The smooth part as a coroutine over evaluation requests: the function (pytree) forms ask an `Objective`
 * for f and ∇f, answered synchronously (`ista`) or through the backend's asynchronous reads (`istaAsync`).
 */
export interface SmoothSteps {
  /** f(x), requested. */
  value$(x: Float64Array): Evaluations<number>;
  /** [f(x), ∇f(x)], requested. */
  valueAndGrad$(x: Float64Array): Evaluations<[number, Float64Array]>;
}

/**
 * When FISTA drops its momentum (O'Donoghue & Candès 2015, "Adaptive restart for accelerated gradient
 * schemes", Found. Comput. Math.): 'gradient' when the momentum points uphill, (y − x⁺)ᵀ(x⁺ − x) > 0;
 * 'function' when F increases; 'none' for Beck & Teboulle's original scheme.
 */
export type FistaRestart = 'gradient' | 'function' | 'none';

/** Settings of one proximal-gradient run. */
export interface ProximalSettings {
  lambda: number;
  tol: number;
  maxIter: number;
  accelerated: boolean;
  restart: FistaRestart;
  /** First Lipschitz estimate L₀ (step 1/L₀); backtracking doubles it as needed. */
  lipschitz: number;
  /** Relative rounding slack of f's values in the backtracking test (a few ulps of f's dtype). */
  slack: number;
}

/** Where the iteration stopped. */
export interface ProximalOutcome {
  x: Float64Array;
  nit: number;
  success: boolean;
  /** Final Lipschitz estimate (1/step). */
  lipschitz: number;
}

function l1(x: Float64Array): number {
  let s = 0;
  for (const v of x) s += Math.abs(v);
  return s;
}

/**
 * Proximal gradient with backtracking on L (Beck & Teboulle 2009, SIAM J. Imaging Sci. 2(1), §4, η = 2):
 * x⁺ = S_{λ/L}(y − ∇f(y)/L), accepted once f(x⁺) ≤ f(y) + ∇f(y)ᵀ(x⁺ − y) + (L/2)‖x⁺ − y‖². ISTA takes y = x;
 * FISTA takes y = x⁺ + ((t − 1)/t⁺)(x⁺ − x) with t⁺ = (1 + √(1 + 4t²))/2, for O(1/k²) convergence.
 * Stops when max|Δx| ≤ tol·max|x|.
 */
export function proximalGradientLoop(
  f: SmoothPart,
  x0: Float64Array,
  s: ProximalSettings,
): ProximalOutcome {
  return runLocal(proximalGradient$(hostSteps(f), x0, s));
}

/** A smooth part computed on the host, as coroutines that ask for nothing. */
function hostSteps(f: SmoothPart): SmoothSteps {
  return {
    // biome-ignore lint/correctness/useYield: answered at once, on the host
    *value$(x) {
      return f.value(x);
    },
    // biome-ignore lint/correctness/useYield: answered at once, on the host
    *valueAndGrad$(x) {
      return f.valueAndGrad(x);
    },
  };
}

/** {@link proximalGradientLoop} as a coroutine over evaluations of the smooth part (sync or async). */
export function* proximalGradient$(
  f: SmoothSteps,
  x0: Float64Array,
  s: ProximalSettings,
): Evaluations<ProximalOutcome> {
  const n = x0.length;
  const { lambda } = s;
  let x = x0.slice();
  let y = x.slice();
  let t = 1;
  let L = s.lipschitz;
  let Fx = (yield* f.value$(x)) + lambda * l1(x);
  const xNew = new Float64Array(n);
  for (let k = 1; k <= s.maxIter; k++) {
    const [fy, g] = yield* f.valueAndGrad$(y);
    let fNew: number;
    for (;;) {
      for (let j = 0; j < n; j++) xNew[j] = softThresholdScalar(y[j]! - g[j]! / L, lambda / L);
      fNew = yield* f.value$(xNew);
      let lin = 0;
      let sq = 0;
      for (let j = 0; j < n; j++) {
        const d = xNew[j]! - y[j]!;
        lin += g[j]! * d;
        sq += d * d;
      }
      // the relative slack absorbs rounding once the step is below f's precision (else L would grow
      // without bound on float32 values and the steps stall)
      if (fNew <= fy + lin + 0.5 * L * sq + s.slack * Math.abs(fy)) break;
      L *= 2;
      if (!Number.isFinite(L)) return { x, nit: k, success: false, lipschitz: L };
    }
    const FNew = fNew + lambda * l1(xNew);
    let change = 0;
    let scale = 0;
    for (let j = 0; j < n; j++) {
      change = Math.max(change, Math.abs(xNew[j]! - x[j]!));
      scale = Math.max(scale, Math.abs(xNew[j]!));
    }
    if (s.accelerated) {
      let restart = false;
      if (s.restart === 'gradient') {
        let uphill = 0;
        for (let j = 0; j < n; j++) uphill += (y[j]! - xNew[j]!) * (xNew[j]! - x[j]!);
        restart = uphill > 0;
      } else if (s.restart === 'function') restart = FNew > Fx;
      if (restart) t = 1;
      const tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
      const w = (t - 1) / tNext;
      y = Float64Array.from(xNew, (v, j) => v + w * (v - x[j]!));
      t = tNext;
    } else y = xNew.slice();
    x = xNew.slice();
    Fx = FNew;
    if (!Number.isFinite(Fx)) return { x, nit: k, success: false, lipschitz: L };
    if (change <= s.tol * Math.max(scale, 1e-300))
      return { x, nit: k, success: true, lipschitz: L };
  }
  return { x, nit: s.maxIter, success: false, lipschitz: L };
}
