import { type Generator, ValueError } from '@sciml/linalg';

/**
 * One Wolff cluster update of the 2-D ferromagnetic Ising model H = −J Σ_⟨ij⟩ sᵢsⱼ on a periodic L × L lattice
 * (Wolff 1989, Phys. Rev. Lett. 62, 361), in place: a cluster grows from a random seed spin, adding each aligned
 * neighbour with probability p = 1 − e^{−2J/T}, and is flipped whole. Rejection-free and ergodic, it satisfies
 * detailed balance and beats the critical slowing down of single-spin Metropolis near T_c (z ≈ 0.25 against
 * ≈ 2.17). `spins` holds ±1, row-major; returns the size of the flipped cluster.
 */
export function wolffUpdate(
  spins: Int8Array,
  L: number,
  temperature: number,
  rng: Generator,
  stack: Int32Array = new Int32Array(spins.length),
): number {
  const N = L * L;
  if (!Number.isInteger(L) || L < 2 || spins.length !== N)
    throw new ValueError(
      'wolffUpdate',
      `spins must hold L·L = ${N} values for an integer L ≥ 2, got L = ${L} and ${spins.length} spins`,
    );
  if (!(temperature > 0) || !Number.isFinite(temperature))
    throw new ValueError('wolffUpdate', `temperature must be positive, got ${temperature}`);
  if (stack.length < N)
    throw new ValueError('wolffUpdate', `stack needs room for ${N} sites, got ${stack.length}`);
  const pAdd = 1 - Math.exp(-2 / temperature);
  const seed = rng.nextInt(0, N);
  const s0 = spins[seed]!;
  // flip on entry: a flipped site is no longer aligned with s0, so it is never added twice
  spins[seed] = -s0 as -1 | 1;
  stack[0] = seed;
  let top = 1;
  let size = 1;
  while (top > 0) {
    const i = stack[--top]!;
    const x = i % L;
    const rowStart = i - x;
    const right = rowStart + ((x + 1) % L);
    const left = rowStart + ((x + L - 1) % L);
    const down = (i + L) % N;
    const up = (i - L + N) % N;
    for (const j of [right, left, down, up]) {
      if (spins[j] === s0 && rng.nextFloat() < pAdd) {
        spins[j] = -s0 as -1 | 1;
        stack[top++] = j;
        size++;
      }
    }
  }
  return size;
}
