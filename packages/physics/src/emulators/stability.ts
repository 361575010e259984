import { jacobian, type PyTree } from '@sciml/autodiff';
import { type NDArray, ShapeError, eigvals, formatShape, reshape, slice } from '@sciml/linalg';
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
