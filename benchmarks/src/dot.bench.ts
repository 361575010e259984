/**
 * Dot product of two float64 vectors of 1e6 elements: @sciml's plain typed-array loop against
 * ml-matrix, on the same inputs in the same process. Run with `pnpm bench dot`.
 *
 * ml-matrix's `dot` copies both vectors into plain arrays (`to1DArray`) before its loop, and
 * `mmul` treats the vectors as 1×n and n×1 matrices read through `get`; both costs are part of
 * calling that library, so both are timed. Building the matrices is not timed.
 */

import { Matrix } from 'ml-matrix';
import { runBenchmark } from './harness/index.js';

const n = 1_000_000;

/** Deterministic inputs in [-1, 1) from a 32-bit linear congruential generator (Numerical Recipes constants). */
function vector(length: number, seed: number): Float64Array {
  const out = new Float64Array(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 31 - 1;
  }
  return out;
}

/** Σ xᵢyᵢ over contiguous float64 storage: the loop @sciml's CPU reference kernels are written as. */
function dot(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
}

const x = vector(n, 1);
const y = vector(n, 2);
const xRow = Matrix.rowVector(x);
const yRow = Matrix.rowVector(y);
const yCol = Matrix.columnVector(y);

/** Same summation order on both sides, so the results agree to rounding of the inputs' copy (exactly). */
function sameValue(ours: unknown, peer: unknown, peerName: string): void {
  const a = ours as number;
  const b = peer instanceof Matrix ? peer.get(0, 0) : (peer as number);
  if (Math.abs(a - b) > 1e-9 * Math.max(1, Math.abs(a))) {
    throw new Error(
      `dot: ours = ${a} but ${peerName} = ${b}; the benchmark compares different sums.`,
    );
  }
}

await runBenchmark({
  name: 'dot',
  cases: [
    {
      case: 'dot n=1e6 float64',
      work: 2 * n, // one multiply and one add per element
      unit: 'GFLOP/s',
      ours: () => dot(x, y),
      peers: [
        { name: 'ml-matrix dot', run: () => xRow.dot(yRow) },
        { name: 'ml-matrix mmul (1×n · n×1)', run: () => xRow.mmul(yCol) },
      ],
      verify: sameValue,
    },
  ],
});
