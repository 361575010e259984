/**
 * Dot product of two float64 vectors of 1e6 elements against ml-matrix, on the same inputs in the
 * same process. Run with `pnpm bench dot`. Two @sciml figures: the plain typed-array loop our
 * reference kernels are written as, and `@sciml/linalg`'s public `dot` on NDArrays (which goes
 * through `matmul` and the backend's kernels).
 *
 * ml-matrix's `dot` copies both vectors into plain arrays (`to1DArray`) before its loop, and
 * `mmul` treats the vectors as 1×n and n×1 matrices read through `get`; both costs are part of
 * calling that library, so both are timed. Building the matrices is not timed.
 */

import { dot as linalgDot, fromTypedArray } from '@sciml/linalg';
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

const xa = fromTypedArray(x);
const ya = fromTypedArray(y);

/**
 * Two summation orders of the same sum differ by at most ~2·n·ε·Σ|xᵢyᵢ| (the standard bound for
 * recursive summation, Higham 2002 §3.1), so agreement within it means the same computation.
 */
let absSum = 0;
for (let i = 0; i < n; i++) absSum += Math.abs(x[i] * y[i]);
const tolerance = 2 * n * Number.EPSILON * absSum;

function sameValue(ours: unknown, peer: unknown, peerName: string): void {
  const a = ours as number;
  const b = peer instanceof Matrix ? peer.get(0, 0) : (peer as number);
  if (!(Math.abs(a - b) <= tolerance)) {
    throw new Error(
      `dot: ours = ${a} but ${peerName} = ${b}; the benchmark compares different sums.`,
    );
  }
}

const peers = [
  { name: 'ml-matrix dot', run: () => xRow.dot(yRow) },
  { name: 'ml-matrix mmul (1×n · n×1)', run: () => xRow.mmul(yCol) },
];

await runBenchmark({
  name: 'dot',
  cases: [
    {
      case: 'dot n=1e6 float64, typed-array loop',
      work: 2 * n, // one multiply and one add per element
      unit: 'GFLOP/s',
      ours: () => dot(x, y),
      peers,
      verify: sameValue,
    },
    {
      case: 'dot n=1e6 float64, @sciml/linalg dot',
      work: 2 * n,
      unit: 'GFLOP/s',
      ours: () => linalgDot(xa, ya).item(),
      peers,
      verify: sameValue,
    },
  ],
});
