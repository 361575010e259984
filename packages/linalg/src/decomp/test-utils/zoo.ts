/**
 * The matrix zoo of the accuracy tests (the classes LAPACK's test suite uses): random, ill-conditioned
 * (κ up to 1e12), graded, rank-deficient, zero, 1×1, tall, wide, and entries scaled near 1e±150 — with
 * scaled residual and orthogonality measures. Independent of the code under test: its own RNG, reflectors
 * and products.
 */

/** A dense row-major float64 matrix. */
export interface Dense {
  data: Float64Array;
  rows: number;
  cols: number;
}

/** One zoo entry. */
export interface ZooCase {
  name: string;
  a: Dense;
}

/** Mulberry32: a tiny seeded PRNG for test inputs (uniform in [0, 1)). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal samples by Box–Muller. */
export function gaussian(rand: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

export function randomMatrix(rows: number, cols: number, seed: number): Dense {
  const r = gaussian(rng(seed));
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = r();
  return { data, rows, cols };
}

export function matmul(a: Dense, b: Dense): Dense {
  const c = new Float64Array(a.rows * b.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let p = 0; p < a.cols; p++) {
      const v = a.data[i * a.cols + p]!;
      for (let j = 0; j < b.cols; j++) c[i * b.cols + j]! += v * b.data[p * b.cols + j]!;
    }
  }
  return { data: c, rows: a.rows, cols: b.cols };
}

export function transpose(a: Dense): Dense {
  const t = new Float64Array(a.rows * a.cols);
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < a.cols; j++) t[j * a.rows + i] = a.data[i * a.cols + j]!;
  return { data: t, rows: a.cols, cols: a.rows };
}

export function identity(n: number): Dense {
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) d[i * n + i] = 1;
  return { data: d, rows: n, cols: n };
}

export function scale(a: Dense, s: number): Dense {
  return { data: a.data.map((v) => v * s), rows: a.rows, cols: a.cols };
}

export function sub(a: Dense, b: Dense): Dense {
  return { data: a.data.map((v, i) => v - b.data[i]!), rows: a.rows, cols: a.cols };
}

/** Random orthogonal n×n matrix: a product of n random Householder reflectors. */
export function randomOrthogonal(n: number, seed: number): Dense {
  const q = identity(n);
  const r = gaussian(rng(seed));
  for (let k = 0; k < n; k++) {
    const v = Array.from({ length: n }, r);
    const vv = v.reduce((s, x) => s + x * x, 0);
    // Q ← Q (I − 2 v vᵀ / vᵀv)
    for (let i = 0; i < n; i++) {
      let d = 0;
      for (let j = 0; j < n; j++) d += q.data[i * n + j]! * v[j]!;
      const f = (2 * d) / vv;
      for (let j = 0; j < n; j++) q.data[i * n + j]! -= f * v[j]!;
    }
  }
  return q;
}

/** U diag(σ) Vᵀ with random orthogonal U (m×m), V (n×n) and the given singular values. */
export function withSingularValues(
  m: number,
  n: number,
  sigma: readonly number[],
  seed: number,
): Dense {
  const U = randomOrthogonal(m, seed);
  const V = randomOrthogonal(n, seed + 1);
  const k = Math.min(m, n);
  const us = { data: new Float64Array(m * n), rows: m, cols: n };
  for (let i = 0; i < m; i++)
    for (let j = 0; j < k; j++) us.data[i * n + j] = U.data[i * m + j]! * (sigma[j] ?? 0);
  return matmul(us, transpose(V));
}

/** Log-spaced values from 1 down to 1/κ. */
export function logspace(count: number, kappa: number): number[] {
  return Array.from({ length: count }, (_, i) => (count === 1 ? 1 : kappa ** (-i / (count - 1))));
}

/** A graded matrix: D R D with D = diag(10^(−6 i/(n−1))), entries spanning twelve orders of magnitude. */
export function graded(n: number, seed: number): Dense {
  const a = randomMatrix(n, n, seed);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) a.data[i * n + j]! *= 10 ** ((-6 * (i + j)) / Math.max(n - 1, 1));
  }
  return a;
}

/** The general (rectangular, possibly singular) zoo. */
export function generalZoo(n = 24): ZooCase[] {
  const rankDef = matmul(randomMatrix(n, 5, 11), randomMatrix(5, n, 12));
  return [
    { name: 'random', a: randomMatrix(n, n, 1) },
    { name: 'ill-conditioned κ=1e12', a: withSingularValues(n, n, logspace(n, 1e12), 2) },
    { name: 'graded', a: graded(n, 3) },
    { name: 'rank-deficient (rank 5)', a: rankDef },
    { name: 'zero', a: { data: new Float64Array(n * n), rows: n, cols: n } },
    { name: '1×1', a: { data: Float64Array.of(-3.5), rows: 1, cols: 1 } },
    { name: 'tall 40×12', a: randomMatrix(40, 12, 4) },
    { name: 'wide 12×40', a: randomMatrix(12, 40, 5) },
    { name: 'tiny entries 1e-150', a: scale(randomMatrix(n, n, 6), 1e-150) },
    { name: 'huge entries 1e+150', a: scale(randomMatrix(n, n, 7), 1e150) },
  ];
}

/** Symmetric positive definite cases (for Cholesky and eigh). */
export function spdZoo(n = 24): ZooCase[] {
  const spd = (a: Dense): Dense => {
    const g = matmul(a, transpose(a));
    for (let i = 0; i < a.rows; i++) g.data[i * a.rows + i]! += a.rows;
    return g;
  };
  const illSpd = (kappa: number): Dense => {
    const Q = randomOrthogonal(n, 21);
    const s = logspace(n, kappa);
    const qs = { data: Q.data.map((v, e) => v * s[e % n]!), rows: n, cols: n };
    const g = matmul(qs, transpose(Q));
    // make it exactly symmetric
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) g.data[j * n + i] = g.data[i * n + j]!;
    return g;
  };
  return [
    { name: 'random SPD', a: spd(randomMatrix(n, n, 31)) },
    { name: 'ill-conditioned SPD κ=1e12', a: illSpd(1e12) },
    { name: '1×1', a: { data: Float64Array.of(2.25), rows: 1, cols: 1 } },
    { name: 'tiny entries 1e-150', a: scale(spd(randomMatrix(n, n, 32)), 1e-150) },
    { name: 'huge entries 1e+150', a: scale(spd(randomMatrix(n, n, 33)), 1e150) },
    { name: 'diagonal graded', a: diagonalGraded(n) },
  ];
}

function diagonalGraded(n: number): Dense {
  const d = identity(n);
  for (let i = 0; i < n; i++) d.data[i * n + i] = 10 ** (-i / 2);
  return d;
}

/** Frobenius norm with scaling (LAPACK dlassq style), safe for entries near 1e±150 and beyond. */
export function frob(x: ArrayLike<number>): number {
  let scaleV = 0;
  let ssq = 1;
  for (let i = 0; i < x.length; i++) {
    const v = Math.abs(x[i]!);
    if (v === 0) continue;
    if (scaleV < v) {
      ssq = 1 + ssq * (scaleV / v) ** 2;
      scaleV = v;
    } else {
      ssq += (v / scaleV) ** 2;
    }
  }
  return scaleV * Math.sqrt(ssq);
}

/** ‖A − B‖_F / (‖A‖_F · max(m, n) · ε); 0 when both are exactly zero. */
export function scaledResidual(a: Dense, b: ArrayLike<number>, eps = Number.EPSILON): number {
  const diff = new Float64Array(a.data.length);
  for (let i = 0; i < diff.length; i++) diff[i] = a.data[i]! - b[i]!;
  const num = frob(diff);
  if (num === 0) return 0;
  return num / (frob(a.data) * Math.max(a.rows, a.cols) * eps);
}

/** ‖QᵀQ − I‖_F / (k · ε) for the k columns of an m×k matrix Q. */
export function orthogonality(q: Dense, eps = Number.EPSILON): number {
  const g = matmul(transpose(q), q);
  for (let i = 0; i < q.cols; i++) g.data[i * q.cols + i]! -= 1;
  return q.cols === 0 ? 0 : frob(g.data) / (Math.max(q.cols, 1) * eps);
}

/** A Dense view of an NDArray-like (2-D) value. */
export function dense(x: { dataSync(): ArrayLike<number>; shape: readonly number[] }): Dense {
  const d = x.dataSync();
  return { data: Float64Array.from(d as ArrayLike<number>), rows: x.shape[0]!, cols: x.shape[1]! };
}

/** Matrices as nested arrays, for ml-matrix. */
export function toRows(a: Dense): number[][] {
  return Array.from({ length: a.rows }, (_, i) =>
    Array.from(a.data.subarray(i * a.cols, (i + 1) * a.cols)),
  );
}
