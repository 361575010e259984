import { type NDArray, add, mul, reshape, slice, stack, sub } from '@sciml/linalg';
import type { Layer } from '@sciml/nn';

/** Column j of a (B × n) batch as (B). */
export function col(u: NDArray, j: number): NDArray {
  return reshape(slice(u, null, { start: j, stop: j + 1 }), [u.shape[0]!]);
}

/**
 * The exact Lorenz-63 vector field (σ = 10, ρ = 28, β = 8/3) as a parameter-free "network" layer on batches,
 * so the emulator forms can be checked against the integrators' own Euler and RK4 maps. Test helper.
 */
export function lorenzLayer(): Layer<Record<string, never>> {
  return {
    kind: 'lorenz63',
    init: () => ({}),
    initState: () => ({}),
    outputShape: (s) => [...s],
    apply: (_p, u) => {
      const x = col(u, 0);
      const y = col(u, 1);
      const z = col(u, 2);
      const dx = mul(sub(y, x), 10);
      const dy = sub(mul(x, sub(28, z)), y);
      const dz = sub(mul(x, y), mul(z, 8 / 3));
      return { y: stack([dx, dy, add(dz, 0)], { axis: 1 }), state: {} };
    },
  };
}
