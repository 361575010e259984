/**
 * Adaptive step-size control for `sdeint` on a Brownian path that can be queried anywhere (a
 * {@link VirtualBrownianTree}), as diffrax's `PIDController` with a `HalfSolver` over a `VirtualBrownianTree`.
 *
 * Error estimate — step doubling: from (t, Y) a step of size h is taken twice, once whole with the increment
 * W(t+h) − W(t) (coarse, Y_h) and once as two halves with W(t+h/2) − W(t) and W(t+h) − W(t+h/2) (fine,
 * Y_{h/2∘h/2}); est = Y_{h/2∘h/2} − Y_h, measured in the RMS norm scaled by atol + rtol·max(|Y|, |Y_new|)
 * (Hairer–Nørsett–Wanner I, eq. II.4.11). The step is accepted when that norm is ≤ 1 and the fine value is
 * kept. For a method of strong order p the estimate scales as h^(p+½) (in mean square), so the PI controller
 * of the ODE solvers runs with r = p + ½ (`step-control.ts`). Gaines & Lyons, "Variable step size control in
 * the numerical solution of stochastic differential equations", SIAM J. Appl. Math. 57 (1997) introduced
 * this pairing of a Brownian tree with a local error test; Burrage & Burrage, SIAM J. Sci. Comput. 24 (2002)
 * and Lamba, J. Comput. Appl. Math. 161 (2003) use embedded pairs instead.
 *
 * Why the tree: a rejected step must not throw away what it learned about the path, or the accepted steps
 * would be biased toward small increments (Rackauckas & Nie, "Adaptive methods for stochastic differential
 * equations via natural embeddings and rejection sampling with memory", DCDS-B 22 (2017), keep the rejected
 * increments in a stack for this). Here every retry asks the tree for W at its new times, and the tree
 * returns the Brownian bridge between the values already implied — the same path whatever the step
 * sequence, so the rejection memory is implicit.
 *
 * Convergence needs a method that converges under path-dependent steps: Milstein (Itô or Stratonovich) and
 * Euler–Heun on diagonal (hence commutative) noise do; Euler–Maruyama need not reach the Itô solution when
 * steps depend on the increments (Gaines & Lyons 1997; Foster & Jelinčič, "On the convergence of adaptive
 * approximations for stochastic differential equations", arXiv:2311.14201, 2024), and is refused, as diffrax
 * refuses `Euler`.
 */
import { NotFiniteError, ValueError } from '@sciml/linalg';
import { TrajectoryBuffer } from '../output.js';
import { acceptedStepDivisor, piExponent, rejectedStepSize } from '../steppers/step-control.js';
import { type Tolerances, minimumStep, scaledErrorNorm } from '../steppers/stepper.js';
import type { BrownianPath } from './sdeint.js';
import type { SdeScheme } from './sde-scheme.js';

/** Settings of one adaptive solve, already validated. */
export interface AdaptiveSdeSettings {
  op: string;
  tol: Tolerances;
  /** Strong order p of the method (the estimate scales as h^(p+½)). */
  strongOrder: number;
  firstStep: number;
  maxStep: number;
  maxSteps: number;
  /** Output times (sorted, inside [t0, t1]); every accepted step when undefined. */
  tEval: Float64Array | undefined;
}

/** Result of {@link adaptiveSdeSolve}. */
export interface AdaptiveSdeOutput {
  out: TrajectoryBuffer;
  nsteps: number;
  nrejected: number;
}

/**
 * Integrates from (t0, y) to t1 with step doubling and PI control. `base` and `half` are two instances of
 * the same scheme (the first holds the evaluations at the step's start across retries, the second those at
 * its midpoint). `y` is overwritten with Y(t1).
 */
export function adaptiveSdeSolve(
  base: SdeScheme,
  half: SdeScheme,
  bm: BrownianPath,
  t0: number,
  t1: number,
  y: Float64Array,
  s: AdaptiveSdeSettings,
): AdaptiveSdeOutput {
  const n = y.length;
  const { op, tol, tEval } = s;
  const expo = piExponent(s.strongOrder + 0.5);
  const out = new TrajectoryBuffer(n, tEval ? tEval.length : 64);
  let evalIndex = 0;
  if (tEval) {
    for (; evalIndex < tEval.length && tEval[evalIndex] === t0; evalIndex++) out.push(t0, y);
  } else out.push(t0, y);

  const wStart = bm.evaluate(t0, new Float64Array(n));
  const wMid = new Float64Array(n);
  const wEnd = new Float64Array(n);
  const dW = new Float64Array(n);
  const yMid = new Float64Array(n);
  const coarse = new Float64Array(n);
  const fine = new Float64Array(n);
  const est = new Float64Array(n);
  const yOut = new Float64Array(n);

  /** The fine solution from (t, y) — `base` already at (t, y) — to tEnd, into `into` (W(tEnd) left in wEnd). */
  const twoHalves = (t: number, tEnd: number, into: Float64Array): void => {
    const tMid = t + 0.5 * (tEnd - t);
    bm.evaluate(tMid, wMid);
    bm.evaluate(tEnd, wEnd);
    for (let i = 0; i < n; i++) dW[i] = wMid[i] - wStart[i];
    base.advance(tMid - t, dW, yMid);
    half.at(tMid, yMid);
    for (let i = 0; i < n; i++) dW[i] = wEnd[i] - wMid[i];
    half.advance(tEnd - tMid, dW, into);
  };

  let t = t0;
  let h = Math.min(s.firstStep, s.maxStep);
  let facOld = 1e-4;
  let nsteps = 0;
  let nrejected = 0;
  base.at(t, y);
  while (t < t1) {
    let rejected = false;
    let errNorm = 0;
    let tNew = t;
    for (;;) {
      if (nsteps + nrejected >= s.maxSteps)
        throw new ValueError(
          op,
          `maxSteps = ${s.maxSteps} steps (${nsteps} accepted, ${nrejected} rejected) reached at t = ${t} before t1 = ${t1}; loosen rtol/atol or raise maxSteps`,
        );
      if (!(h >= minimumStep(t)))
        throw new NotFiniteError(
          op,
          Number.isNaN(h)
            ? `the step size became NaN at t = ${t}; f or g is not finite there`
            : `the required step size ${h} is below the spacing of numbers at t = ${t}; the solution may blow up there (check f and g, or loosen rtol/atol)`,
        );
      tNew = t + h;
      // clip to the end; a remainder below 1e-8 h (rounding in t + h) is absorbed rather than left as a sliver
      if (tNew - t1 > -1e-8 * h) tNew = t1;
      const hs = tNew - t;
      twoHalves(t, tNew, fine);
      for (let i = 0; i < n; i++) dW[i] = wEnd[i] - wStart[i];
      base.advance(hs, dW, coarse);
      for (let i = 0; i < n; i++) est[i] = fine[i] - coarse[i];
      errNorm = scaledErrorNorm(est, y, fine, tol);
      if (!Number.isFinite(errNorm)) errNorm = Number.POSITIVE_INFINITY;
      if (errNorm <= 1) break;
      nrejected++;
      rejected = true;
      h = rejectedStepSize(hs, errNorm, expo);
    }
    // output times inside the step: the state a step from (t, Y) ending there would give, on the same path
    // (the step sequence never depends on the output times, so neither does any output)
    if (tEval) {
      while (evalIndex < tEval.length && tEval[evalIndex] < tNew) {
        const te = tEval[evalIndex++];
        if (te === t) out.push(te, y);
        else {
          twoHalves(t, te, yOut);
          out.push(te, yOut);
        }
      }
    }
    const hs = tNew - t;
    const hNew = hs / acceptedStepDivisor(errNorm, facOld, expo);
    h = Math.min(rejected ? Math.min(hNew, hs) : hNew, s.maxStep);
    facOld = Math.max(errNorm, 1e-4);
    y.set(fine);
    bm.evaluate(tNew, wStart);
    t = tNew;
    nsteps++;
    if (tEval) {
      for (; evalIndex < tEval.length && tEval[evalIndex] === t; evalIndex++) out.push(t, y);
    } else out.push(t, y);
    if (t < t1) base.at(t, y);
  }
  return { out, nsteps, nrejected };
}
