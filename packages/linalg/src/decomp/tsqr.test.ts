import { describe, expect, it } from 'vitest';
import { fromTypedArray } from '../ops/creation.js';
import { nrm2 } from './kernels/householder.js';
import { ShapeError } from '../core/errors.js';
import { extractR, householderQR, householderQrF64 } from './kernels/qr.js';
import { isTallSkinny, tsqrKernel } from './kernels/tsqr.js';
import { lstsq } from './lstsq.js';
import { qr } from './qr.js';
import { svd } from './svd.js';
import {
  type Dense,
  dense,
  frob,
  gaussian,
  logspace,
  matmul,
  orthogonality,
  randomMatrix,
  randomOrthogonal,
  rng,
  scaledResidual,
  transpose,
} from './test-utils/zoo.js';

const nd = (a: Dense) => fromTypedArray(a.data.slice(), [a.rows, a.cols]);

/** m×n with orthonormal columns by modified Gram–Schmidt run twice (independent of the code under test). */
function orthonormalColumns(m: number, n: number, seed: number): Dense {
  const q = randomMatrix(m, n, seed);
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < n; j++) {
      for (let p = 0; p < j; p++) {
        let d = 0;
        for (let i = 0; i < m; i++) d += q.data[i * n + p]! * q.data[i * n + j]!;
        for (let i = 0; i < m; i++) q.data[i * n + j]! -= d * q.data[i * n + p]!;
      }
      let s = 0;
      for (let i = 0; i < m; i++) s += q.data[i * n + j]! ** 2;
      s = Math.sqrt(s);
      for (let i = 0; i < m; i++) q.data[i * n + j]! /= s;
    }
  }
  return q;
}

/** Q diag(σ) Vᵀ: a tall matrix with exactly the singular values σ. */
function tallWithSingularValues(m: number, sigma: readonly number[], seed: number): Dense {
  const n = sigma.length;
  const q = orthonormalColumns(m, n, seed);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) q.data[i * n + j]! *= sigma[j]!;
  return matmul(q, transpose(randomOrthogonal(n, seed + 1)));
}

function expectQR(a: Dense): void {
  const { Q, R } = qr(nd(a));
  const q = dense(Q);
  const r = dense(R);
  expect(q.rows).toBe(a.rows);
  expect(q.cols).toBe(a.cols);
  expect(scaledResidual(a, matmul(q, r).data)).toBeLessThanOrEqual(30);
  expect(orthogonality(q)).toBeLessThanOrEqual(30);
  for (let i = 0; i < r.rows; i++)
    for (let j = 0; j < i; j++) expect(r.data[i * r.cols + j]).toBe(0);
}

describe('tall-skinny QR (TSQR)', () => {
  it('takes the TSQR path from four cache blocks of rows, up to 64 columns', () => {
    // a block holds 256 KiB of rows: 3276 rows of 10 columns, 512 rows of 64
    expect(isTallSkinny(4 * 3276, 10)).toBe(true);
    expect(isTallSkinny(4 * 3276 - 1, 10)).toBe(false);
    expect(isTallSkinny(4 * 512, 64)).toBe(true);
    expect(isTallSkinny(10 ** 6, 65)).toBe(false);
  });

  it('random 13 111×10 (remainder rows in the last block): LAPACK residual and orthogonality ≤ 30; R equals Householder R up to row signs', () => {
    const a = randomMatrix(4 * 3276 + 7, 10, 3);
    expect(isTallSkinny(a.rows, a.cols)).toBe(true);
    expectQR(a);
    // the plain Householder R of the same matrix (the path before TSQR)
    const work = a.data.slice();
    householderQR(work, a.rows, a.cols);
    const ref = extractR(work, a.rows, a.cols, a.cols);
    const ours = dense(qr(nd(a)).R).data;
    let diff = 0;
    for (let i = 0; i < 10; i++) {
      const s = Math.sign(ours[i * 10 + i]!) * Math.sign(ref[i * 10 + i]!);
      for (let j = i; j < 10; j++)
        diff = Math.max(diff, Math.abs(ours[i * 10 + j]! - s * ref[i * 10 + j]!));
    }
    expect(diff).toBeLessThan(1e-12 * frob(a.data));
  });

  it('ill-conditioned (κ = 1e12) and rank-deficient (a repeated column) stay backward stable', () => {
    expectQR(tallWithSingularValues(14000, logspace(10, 1e12), 5));
    const a = randomMatrix(14000, 10, 6);
    for (let i = 0; i < a.rows; i++) a.data[i * 10 + 7] = a.data[i * 10 + 2]!;
    expectQR(a);
  });

  it('recurses when the stacked R factors are themselves tall (16 484×64: 32 blocks → 2048×64)', () => {
    const a = randomMatrix(32 * 512 + 100, 64, 7);
    expect(isTallSkinny(32 * 64, 64)).toBe(true);
    expectQR(a);
  });

  it('the wasm and the TypeScript block kernels both meet the criteria and agree to 1e-13 (n = 7, 10; odd row counts)', () => {
    for (const [m, n] of [
      [4 * 3276 + 7, 10],
      [4 * 4681 + 3, 7],
    ] as const) {
      const a = randomMatrix(m, n, 13);
      const [qw, rw] = tsqrKernel(a.data.slice(), m, n, true);
      const [qt, rt] = tsqrKernel(a.data.slice(), m, n, false);
      for (const [q, r] of [
        [qw, rw],
        [qt, rt],
      ] as const) {
        const qd = { data: q, rows: m, cols: n };
        expect(
          scaledResidual(a, matmul(qd, { data: r, rows: n, cols: n }).data),
        ).toBeLessThanOrEqual(30);
        expect(orthogonality(qd)).toBeLessThanOrEqual(30);
      }
      let dq = 0;
      for (let e = 0; e < qw.length; e++) dq = Math.max(dq, Math.abs(qw[e]! - qt[e]!));
      expect(dq).toBeLessThan(1e-13);
    }
  });

  it('thin SVD through TSQR: exact singular values to 1e-13·σ₁, orthonormal U, reconstruction', () => {
    const sigma = logspace(10, 1e8).map((s) => 3 * s);
    const a = tallWithSingularValues(13200, sigma, 9);
    const { U, S, Vt } = svd(nd(a), { fullMatrices: false });
    const s = S.dataSync();
    for (let j = 0; j < 10; j++)
      expect(Math.abs(s[j]! - sigma[j]!)).toBeLessThan(1e-13 * sigma[0]!);
    const u = dense(U);
    expect(orthogonality(u)).toBeLessThanOrEqual(30);
    const us = { ...u, data: u.data.map((v, e) => v * s[e % 10]!) };
    expect(scaledResidual(a, matmul(us, dense(Vt)).data)).toBeLessThanOrEqual(30);
  });

  it('lstsq on a tall system: exact right-hand side recovers x; SVD and QR paths agree', () => {
    const a = randomMatrix(13200, 10, 11);
    const g = gaussian(rng(12));
    const xTrue = Float64Array.from({ length: 10 }, () => g());
    const b = matmul(a, { data: xTrue, rows: 10, cols: 1 });
    const x = lstsq(nd(a), fromTypedArray(b.data, [13200])).x.dataSync();
    const xq = lstsq(nd(a), fromTypedArray(b.data, [13200]), { method: 'qr' }).x.dataSync();
    for (let j = 0; j < 10; j++) {
      expect(Math.abs(x[j]! - xTrue[j]!)).toBeLessThan(1e-12);
      expect(Math.abs(xq[j]! - x[j]!)).toBeLessThan(1e-12);
    }
  });
});

describe('nrm2', () => {
  it('plain sum where safe, scaled where the squares overflow or underflow', () => {
    const v = (...x: number[]) => Float64Array.from(x);
    expect(nrm2(v(3, 4), 0, 1, 2)).toBe(5);
    // squares overflow to Infinity without the scaled fallback
    expect(nrm2(v(3e200, 4e200), 0, 1, 2) / 5e200).toBeCloseTo(1, 14);
    // squares underflow to 0 without it
    expect(nrm2(v(3e-200, 4e-200), 0, 1, 2) / 5e-200).toBeCloseTo(1, 14);
    // strided, one huge entry among ordinary ones
    expect(nrm2(v(1e300, 9, 1, 9, 1), 0, 2, 3) / 1e300).toBeCloseTo(1, 14);
    expect(nrm2(v(0, 0, 0), 0, 1, 3)).toBe(0);
  });
});

describe('householderQrF64 (the pre-TSQR path, on the kernels entry)', () => {
  it('13 111×10: residual and orthogonality ≤ 30, input untouched, R equals qr’s TSQR R up to row signs', () => {
    const a = randomMatrix(4 * 3276 + 7, 10, 17);
    const input = a.data.slice();
    const { Q, R } = householderQrF64(a.data, a.rows, a.cols);
    expect(a.data).toEqual(input);
    const q = { data: Q, rows: a.rows, cols: 10 };
    expect(scaledResidual(a, matmul(q, { data: R, rows: 10, cols: 10 }).data)).toBeLessThanOrEqual(
      30,
    );
    expect(orthogonality(q)).toBeLessThanOrEqual(30);
    const ours = dense(qr(nd(a)).R).data;
    let diff = 0;
    for (let i = 0; i < 10; i++) {
      const s = Math.sign(ours[i * 10 + i]!) * Math.sign(R[i * 10 + i]!);
      for (let j = i; j < 10; j++)
        diff = Math.max(diff, Math.abs(ours[i * 10 + j]! - s * R[i * 10 + j]!));
    }
    expect(diff).toBeLessThan(1e-12 * frob(a.data));
  });

  it('rejects a wide matrix or a length that does not match m·n with a ShapeError', () => {
    expect(() => householderQrF64(new Float64Array(6), 2, 3)).toThrow(ShapeError);
    expect(() => householderQrF64(new Float64Array(5), 3, 2)).toThrow(/m ≥ n ≥ 0/);
  });
});
