import { describe, expect, it } from 'vitest';
import { fromTypedArray } from '../ops/creation.js';
import { eigh } from './eigh.js';
import { bidiagonalSvdDC } from './kernels/bidiagonal-dc.js';
import { tridiagonalEigDC } from './kernels/tridiagonal-dc.js';
import { svd } from './svd.js';
import {
  type Dense,
  dense,
  frob,
  generalZoo,
  matmul,
  orthogonality,
  rng,
  scaledResidual,
  spdZoo,
  transpose,
} from './test-utils/zoo.js';

const EPS = Number.EPSILON;

/** ‖T Z − Z Λ‖_F / (‖T‖_F n ε) and ‖ZᵀZ − I‖/(n ε) for a tridiagonal T. */
function tridiagonalChecks(
  d: Float64Array,
  e: Float64Array,
  w: Float64Array,
  Z: Float64Array,
): [number, number] {
  const n = d.length;
  const diff = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let tz = d[i]! * Z[i * n + j]!;
      if (i > 0) tz += e[i - 1]! * Z[(i - 1) * n + j]!;
      if (i < n - 1) tz += e[i]! * Z[(i + 1) * n + j]!;
      diff[i * n + j] = tz - w[j]! * Z[i * n + j]!;
    }
  }
  const normT = frob([...d, ...e, ...e]);
  const res = normT === 0 ? frob(diff) : frob(diff) / (normT * n * EPS);
  return [res, orthogonality({ data: Z, rows: n, cols: n })];
}

const cases: { name: string; d: Float64Array; e: Float64Array }[] = (() => {
  const n = 90;
  const r = rng(5);
  const wilkinson = Float64Array.from({ length: n }, (_, i) => Math.abs(i - (n - 1) / 2));
  const glued = Float64Array.from({ length: n }, (_, i) => Math.abs((i % 30) - 15));
  const gluedE = Float64Array.from({ length: n - 1 }, (_, i) => ((i + 1) % 30 === 0 ? 1e-12 : 1));
  return [
    {
      name: 'random',
      d: Float64Array.from({ length: n }, () => r() - 0.5),
      e: Float64Array.from({ length: n - 1 }, () => r() - 0.5),
    },
    { name: 'Wilkinson W+ (close pairs)', d: wilkinson, e: new Float64Array(n - 1).fill(1) },
    { name: 'glued Wilkinson (tiny couplings)', d: glued, e: gluedE },
    { name: 'identity (all deflate)', d: new Float64Array(n).fill(1), e: new Float64Array(n - 1) },
    {
      name: '1-2-1 (Laplacian)',
      d: new Float64Array(n).fill(2),
      e: new Float64Array(n - 1).fill(-1),
    },
    {
      name: 'graded 10^(−i/6)',
      d: Float64Array.from({ length: n }, (_, i) => 10 ** (-i / 6)),
      e: Float64Array.from({ length: n - 1 }, (_, i) => 10 ** (-(i + 0.5) / 6)),
    },
    { name: 'zero', d: new Float64Array(n), e: new Float64Array(n - 1) },
  ];
})();

describe('tridiagonal divide and conquer', () => {
  it.each(cases)('$name: residual ≤ 30, orthogonality ≤ 30, ascending', ({ d, e }) => {
    const [w, Z] = tridiagonalEigDC(d, e, d.length);
    const [res, orth] = tridiagonalChecks(d, e, w, Z);
    expect(res).toBeLessThanOrEqual(30);
    expect(orth).toBeLessThanOrEqual(30);
    for (let i = 1; i < d.length; i++) expect(w[i]!).toBeGreaterThanOrEqual(w[i - 1]!);
  });

  it('Laplacian eigenvalues match 2 − 2cos(kπ/(n+1))', () => {
    const { d, e } = cases[4]!;
    const n = d.length;
    const [w] = tridiagonalEigDC(d, e, n);
    for (let k = 1; k <= n; k++)
      expect(Math.abs(w[k - 1]! - (2 - 2 * Math.cos((k * Math.PI) / (n + 1))))).toBeLessThan(1e-14);
  });
});

describe('bidiagonal SVD by divide and conquer', () => {
  const n = 90;
  it.each([
    {
      name: 'random',
      d: Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1)),
      e: Float64Array.from({ length: n - 1 }, (_, i) => Math.cos(i)),
    },
    {
      name: 'zeros on the diagonal (singular)',
      d: Float64Array.from({ length: n }, (_, i) => (i % 7 === 3 ? 0 : 1 + i / n)),
      e: new Float64Array(n - 1).fill(0.5),
    },
    {
      name: 'diagonal with zeros',
      d: Float64Array.from({ length: n }, (_, i) => (i % 7 === 3 ? 0 : 1 + i / n)),
      e: new Float64Array(n - 1),
    },
    { name: 'zero', d: new Float64Array(n), e: new Float64Array(n - 1) },
    {
      name: 'graded',
      d: Float64Array.from({ length: n }, (_, i) => 10 ** (-i / 8)),
      e: Float64Array.from({ length: n - 1 }, (_, i) => 10 ** (-i / 8) / 3),
    },
    {
      name: 'all ones (clustered)',
      d: new Float64Array(n).fill(1),
      e: new Float64Array(n - 1).fill(1),
    },
  ])('$name: ‖B − U Σ Vᵀ‖ ≤ 30 n ε ‖B‖, U and V orthonormal, σ descending', ({ d, e }) => {
    const [s, U, V] = bidiagonalSvdDC(d, e, n);
    const B: Dense = { data: new Float64Array(n * n), rows: n, cols: n };
    for (let i = 0; i < n; i++) {
      B.data[i * n + i] = d[i]!;
      if (i < n - 1) B.data[i * n + i + 1] = e[i]!;
    }
    const us = { data: U.map((v, k) => v * s[k % n]!), rows: n, cols: n };
    expect(
      scaledResidual(B, matmul(us, transpose({ data: V, rows: n, cols: n })).data),
    ).toBeLessThanOrEqual(30);
    expect(orthogonality({ data: U, rows: n, cols: n })).toBeLessThanOrEqual(30);
    expect(orthogonality({ data: V, rows: n, cols: n })).toBeLessThanOrEqual(30);
    for (let i = 1; i < n; i++) expect(s[i]!).toBeLessThanOrEqual(s[i - 1]!);
  });
});

describe('eigh and svd on the zoo at n = 70 (divide-and-conquer paths)', () => {
  it.each([...generalZoo(70).filter((c) => c.a.rows === c.a.cols), ...spdZoo(70)])(
    '$name',
    ({ a }) => {
      const n = a.rows;
      const t = transpose(a);
      const sym = { ...a, data: a.data.map((v, k) => (v + t.data[k]!) / 2) };
      const { values, vectors } = eigh(fromTypedArray(sym.data.slice(), [n, n]));
      const v = dense(vectors);
      const w = values.dataSync();
      const rec = matmul(
        { data: v.data.map((x, k) => x * w[k % n]!), rows: n, cols: n },
        transpose(v),
      );
      expect(scaledResidual(sym, rec.data)).toBeLessThanOrEqual(30);
      expect(orthogonality(v)).toBeLessThanOrEqual(30);
      const { U, S, Vt } = svd(fromTypedArray(a.data.slice(), [n, n]));
      const s = S.dataSync();
      const u = dense(U);
      const us = { data: u.data.map((x, k) => x * s[k % n]!), rows: n, cols: n };
      expect(scaledResidual(a, matmul(us, dense(Vt)).data)).toBeLessThanOrEqual(30);
      expect(orthogonality(u)).toBeLessThanOrEqual(30);
      expect(orthogonality(transpose(dense(Vt)))).toBeLessThanOrEqual(30);
    },
  );
});
