import { describe, expect, it } from 'vitest';
import { bidiagonalize, formLeft, formRight } from './kernels/bidiagonal.js';
import {
  type Dense,
  generalZoo,
  matmul,
  orthogonality,
  randomMatrix,
  scaledResidual,
  transpose,
} from './test-utils/zoo.js';

/**
 * The blocked Golub–Kahan reduction (panels of 32 from 128 columns on) checked directly: A = U B Vᵀ with
 * U, V orthonormal, on the square zoo at n = 200 (three panels, then the unblocked tail) and a tall
 * 300×200 case. The SVD tests only reach the panels through one 200×150 matrix.
 */
const cases = [
  ...generalZoo(200).filter((c) => c.a.rows === 200 && c.a.cols === 200),
  { name: 'tall 300×200', a: randomMatrix(300, 200, 41) },
];

describe('blocked bidiagonalisation', () => {
  it.each(cases)('$name: ‖A − U B Vᵀ‖/(‖A‖ n ε) ≤ 30, U and V orthonormal', ({ a }) => {
    const { rows: m, cols: n } = a;
    const b = bidiagonalize(a.data.slice(), m, n);
    const U: Dense = { data: formLeft(b, m, n), rows: m, cols: n };
    const V: Dense = { data: formRight(b, n), rows: n, cols: n };
    const B: Dense = { data: new Float64Array(n * n), rows: n, cols: n };
    for (let i = 0; i < n; i++) {
      B.data[i * n + i] = b.d[i]!;
      if (i + 1 < n) B.data[i * n + i + 1] = b.e[i]!;
    }
    const rec = matmul(matmul(U, B), transpose(V));
    expect(scaledResidual(a, rec.data)).toBeLessThanOrEqual(30);
    expect(orthogonality(U)).toBeLessThanOrEqual(30);
    expect(orthogonality(V)).toBeLessThanOrEqual(30);
  });
});
