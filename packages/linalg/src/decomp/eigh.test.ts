import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { NotFiniteError } from '../core/errors.js';
import { array, fromTypedArray } from '../ops/creation.js';
import { eigh } from './eigh.js';
import {
  type Dense,
  dense,
  frob,
  generalZoo,
  matmul,
  orthogonality,
  randomMatrix,
  spdZoo,
  toRows,
  transpose,
} from './test-utils/zoo.js';

const nd = (a: Dense) => fromTypedArray(a.data.slice(), [a.rows, a.cols]);

/** Symmetric members of the zoo: A + Aᵀ for the square general cases, plus the SPD cases. */
function symmetricZoo(): { name: string; a: Dense }[] {
  const sym = generalZoo()
    .filter(({ a }) => a.rows === a.cols)
    .map(({ name, a }) => {
      const s = matmul(a, {
        data: new Float64Array(a.rows * a.rows).map((_, e) => (e % (a.rows + 1) === 0 ? 1 : 0)),
        rows: a.rows,
        cols: a.rows,
      });
      const t = transpose(a);
      return {
        name: `sym(${name})`,
        a: { ...s, data: s.data.map((v, e) => (v + t.data[e]!) / 2) },
      };
    });
  return [...sym, ...spdZoo()];
}

describe('eigh', () => {
  it.each(symmetricZoo())(
    '$name: ‖A − V Λ Vᵀ‖/(‖A‖ n ε) ≤ 30, ‖VᵀV − I‖/(n ε) ≤ 30, ascending',
    ({ a }) => {
      const { values, vectors } = eigh(nd(a));
      const w = values.dataSync();
      const v = dense(vectors);
      const n = a.rows;
      for (let i = 1; i < n; i++) expect(w[i]!).toBeGreaterThanOrEqual(w[i - 1]!);
      const vl = { data: v.data.map((x, e) => x * w[e % n]!), rows: n, cols: n };
      const rec = matmul(vl, transpose(v));
      const diff = rec.data.map((x, e) => x - a.data[e]!);
      const normA = frob(a.data);
      expect(
        normA === 0 ? frob(diff) : frob(diff) / (normA * n * Number.EPSILON),
      ).toBeLessThanOrEqual(30);
      expect(orthogonality(v)).toBeLessThanOrEqual(30);
    },
  );

  it('agrees with ml-matrix and closed forms', () => {
    const { values } = eigh(
      array([
        [2, 1],
        [1, 2],
      ]),
    );
    expect(values.get(0)).toBeCloseTo(1, 15);
    expect(values.get(1)).toBeCloseTo(3, 15);
    const r = randomMatrix(40, 40, 3);
    const s = matmul(r, transpose(r));
    const ours = eigh(nd(s)).values.dataSync();
    const theirs = new EigenvalueDecomposition(new Matrix(toRows(s)), { assumeSymmetric: true })
      .realEigenvalues;
    theirs.sort((x, y) => x - y);
    for (let i = 0; i < 40; i++)
      expect(Math.abs(ours[i]! - theirs[i]!)).toBeLessThan(1e-12 * Math.abs(theirs[39]!));
  });

  it('one 200×200 case: residual and orthogonality ≤ 30', () => {
    const r = randomMatrix(200, 200, 9);
    const s = matmul(r, transpose(r));
    const { values, vectors } = eigh(nd(s));
    const w = values.dataSync();
    const v = dense(vectors);
    const av = matmul(s, v);
    const diff = av.data.map((x, e) => x - v.data[e]! * w[e % 200]!);
    expect(frob(diff) / (frob(s.data) * 200 * Number.EPSILON)).toBeLessThanOrEqual(30);
    expect(orthogonality(v)).toBeLessThanOrEqual(30);
  });

  it("reads only the lower triangle with uplo 'L' (and refuses a nonsymmetric matrix without it), batches, computes float32 in float64", () => {
    const lopsided = array([
      [2, 100],
      [1, 2],
    ]);
    const w = eigh(lopsided, { uplo: 'L' }).values;
    expect(w.get(0)).toBeCloseTo(1, 14);
    expect(() => eigh(lopsided)).toThrow(/not symmetric/);
    const b = eigh(
      array(
        [
          [
            [1, 0],
            [0, 2],
          ],
          [
            [4, 0],
            [0, 3],
          ],
        ],
        { dtype: 'float32' },
      ),
    );
    expect(b.values.dtype).toBe('float32');
    expect(b.values.toNested()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(Math.abs(b.vectors.get(1, 1, 0))).toBe(1);
  });

  it('NaN input throws NotFiniteError', () => {
    expect(() =>
      eigh(
        array([
          [1, Number.NaN],
          [Number.NaN, 1],
        ]),
      ),
    ).toThrow(NotFiniteError);
  });
});
