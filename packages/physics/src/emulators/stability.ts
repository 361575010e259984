import { jacobian, type PyTree } from '@sciml/autodiff';
import {
  type NDArray,
  ShapeError,
  ValueError,
  eigvals,
  formatShape,
  fromTypedArray,
  reshape,
  slice,
} from '@sciml/linalg';
import type { Emulator } from './emulator.js';

/** ∂M/∂u of an emulator's step at one state u (length-n vector or (1 × n)), an (n × n) array. @public */
export function stepJacobian<P extends PyTree>(
  emulator: Emulator<P>,
  params: P,
  u: NDArray,
): NDArray {
  const n = emulator.dim;
  if (u.size !== n)
    throw new ShapeError(
      'stepJacobian',
      `expects one state of ${n} values, got ${formatShape(u.shape)}`,
    );
  const J = jacobian((x: NDArray) => reshape(emulator.step(params, reshape(x, [1, n])), [n]))(
    reshape(u, [n]),
  );
  return J;
}

/**
 * Spectral radius ρ(∂M/∂u) = max |λ| of the step map's Jacobian at each row of `states` (B × n). A step
 * map with ρ > 1 along a rollout amplifies errors in some direction each step (lecture notes, stability
 * analysis, eₜ = J eₜ₋₁); the Jacobian penalty lowers it.
 * @public
 */
export function spectralRadii<P extends PyTree>(
  emulator: Emulator<P>,
  params: P,
  states: NDArray,
): Float64Array {
  if (states.ndim !== 2 || states.shape[1] !== emulator.dim)
    throw new ShapeError(
      'spectralRadii',
      `expects states (B × ${emulator.dim}), got ${formatShape(states.shape)}`,
    );
  const B = states.shape[0]!;
  const out = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    const { re, im } = eigvals(
      stepJacobian(emulator, params, slice(states, { start: b, stop: b + 1 })),
    );
    const r = re.dataSync();
    const i = im.dataSync();
    let rho = 0;
    for (let k = 0; k < r.length; k++) rho = Math.max(rho, Math.hypot(r[k]!, i[k]!));
    out[b] = rho;
  }
  return out;
}

/** Options of {@link escapeSteps}. @public */
export interface EscapeStepsOptions {
  /** Number of steps to roll out. */
  steps: number;
  /** Radius R of the ball a rollout must stay in: escape is ‖u − c‖₂ > R or a non-finite state. */
  radius: number;
  /** Centre c of the ball (length n; default the origin). */
  center?: ArrayLike<number>;
}

/**
 * Rolls out each row of `u0` (B × n) and returns, per member, the first step k at which ‖ũₖ − c‖₂ > R or ũₖ
 * is not finite (the blow-up time of an unstable emulator, in steps), `Infinity` for a member that stays
 * inside for all `steps`. Members that escaped are frozen, so overflowing states never poison the batch.
 * @public
 */
export function escapeSteps<P extends PyTree>(
  emulator: Emulator<P>,
  params: P,
  u0: NDArray,
  options: EscapeStepsOptions,
): Float64Array {
  const op = 'escapeSteps';
  const n = emulator.dim;
  if (u0.ndim !== 2 || u0.shape[1] !== n)
    throw new ShapeError(op, `expects initial states (B × ${n}), got ${formatShape(u0.shape)}`);
  const { steps, radius } = options;
  if (!Number.isInteger(steps) || steps < 0)
    throw new ValueError(op, `steps must be an integer ≥ 0, got ${steps}`);
  if (!(radius > 0) || !Number.isFinite(radius))
    throw new ValueError(op, `radius must be finite and > 0, got ${radius}`);
  const c = Float64Array.from(options.center ?? new Float64Array(n));
  if (c.length !== n) throw new ShapeError(op, `center has ${c.length} entries for ${n} variables`);
  if (!c.every(Number.isFinite)) throw new ValueError(op, 'center must be finite');
  const B = u0.shape[0]!;
  const out = new Float64Array(B).fill(Number.POSITIVE_INFINITY);
  const outside = (d: ArrayLike<number>, b: number) => {
    let s = 0;
    for (let j = 0; j < n; j++) s += (d[b * n + j]! - c[j]!) ** 2;
    return !(Math.sqrt(s) <= radius);
  };
  const u = Float64Array.from(u0.dataSync());
  for (let b = 0; b < B; b++) if (outside(u, b)) out[b] = 0;
  for (let k = 1; k <= steps; k++) {
    const next = emulator.step(params, fromTypedArray(u, [B, n])).dataSync();
    let alive = 0;
    for (let b = 0; b < B; b++) {
      if (out[b] !== Number.POSITIVE_INFINITY) continue;
      if (outside(next, b)) out[b] = k;
      else {
        for (let j = 0; j < n; j++) u[b * n + j] = next[b * n + j]!;
        alive++;
      }
    }
    if (alive === 0) break;
  }
  return out;
}
