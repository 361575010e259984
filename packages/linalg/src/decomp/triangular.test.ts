import { describe, expect, it } from 'vitest';
import { ShapeError, SingularMatrixError } from '../core/errors.js';
import { array, fromTypedArray } from '../ops/creation.js';
import { dense, frob, matmul, randomMatrix, transpose } from './test-utils/zoo.js';
import { solveTriangular } from './triangular.js';

function triangle(n: number, lower: boolean, seed: number): Float64Array {
  const a = randomMatrix(n, n, seed).data;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) if (lower ? j > i : j < i) a[i * n + j] = 0;
    a[i * n + i] = 2 + Math.abs(a[i * n + i]!);
  }
  return a;
}

describe('solveTriangular', () => {
  const n = 25;
  it.each([
    { lower: true, trans: false },
    { lower: true, trans: true },
    { lower: false, trans: false },
    { lower: false, trans: true },
  ])('lower=$lower trans=$trans: backward error ≤ 30 n ε', ({ lower, trans }) => {
    const t = { data: triangle(n, lower, 3), rows: n, cols: n };
    const b = randomMatrix(n, 4, 4);
    const x = dense(
      solveTriangular(
        fromTypedArray(t.data.slice(), [n, n]),
        fromTypedArray(b.data.slice(), [n, 4]),
        { lower, trans },
      ),
    );
    const r = matmul(trans ? transpose(t) : t, x);
    const err =
      frob(r.data.map((v, i) => v - b.data[i]!)) /
      (frob(t.data) * frob(x.data) * n * Number.EPSILON);
    expect(err).toBeLessThanOrEqual(30);
  });

  it('reads only its triangle and honours unitDiagonal', () => {
    const a = array([
      [2, 99],
      [1, 4],
    ]);
    expect(solveTriangular(a, array([2, 9])).toNested()).toEqual([1, 2]);
    expect(solveTriangular(a, array([2, 9]), { unitDiagonal: true }).toNested()).toEqual([2, 7]);
    expect(
      solveTriangular(
        array([
          [2, 1],
          [99, 4],
        ]),
        array([4, 8]),
        { lower: false },
      ).toNested(),
    ).toEqual([1, 2]);
  });

  it('broadcasts batch axes', () => {
    const a = array([
      [
        [1, 0],
        [1, 1],
      ],
      [
        [2, 0],
        [0, 2],
      ],
    ]);
    const x = solveTriangular(a, array([[1], [3]]));
    expect(x.toNested()).toEqual([
      [[1], [2]],
      [[0.5], [1.5]],
    ]);
  });

  it('zero diagonal throws SingularMatrixError; mismatched shapes throw ShapeError', () => {
    expect(() =>
      solveTriangular(
        array([
          [1, 0],
          [1, 0],
        ]),
        array([1, 1]),
      ),
    ).toThrow(SingularMatrixError);
    expect(() =>
      solveTriangular(
        array([
          [1, 0],
          [1, 1],
        ]),
        array([1, 1, 1]),
      ),
    ).toThrow(ShapeError);
    expect(() =>
      solveTriangular(
        array([
          [1, 0, 0],
          [1, 1, 0],
        ]),
        array([1, 1]),
      ),
    ).toThrow(ShapeError);
  });
});
