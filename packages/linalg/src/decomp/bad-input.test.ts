// The non-finite-input policy (core/finite.ts) and the dtype/symmetry checks of the routines, as one table:
// each row is a bad input that once gave a silent wrong answer (issue 26, issue 25's "Silent NaN").
import { type BadInputRow, describeBadInputs } from '@sciml/config/test-helpers';
import { describe, expect, it } from 'vitest';
import { DTypeError, NotFiniteError, ValueError } from '../core/errors.js';
import { assertFinite, findNonFinite, positionOf } from '../core/finite.js';
import { array } from '../ops/creation.js';
import { matmul, mT } from '../ops/index.js';
import { eig } from './eig.js';
import { eigh, eigvalsh } from './eigh.js';
import { lstsq } from './lstsq.js';
import { solve } from './lu.js';
import { svd, svdvals } from './svd.js';

const A = array([
  [4, 1],
  [1, 3],
]);
const NaN_ = Number.NaN;
const Inf = Number.POSITIVE_INFINITY;

const BAD_INPUTS: BadInputRow[] = [
  // before: NotFiniteError from the internal 'triangularSolve' with the (2, 1) column it made of b
  [
    'solve: NaN in b',
    () => solve(A, array([1, NaN_])),
    NotFiniteError,
    /^solve: b \(2,\) holds NaN at index 1/,
  ],
  [
    'solve: Infinity in b',
    () => solve(A, array([[Inf], [1]])),
    NotFiniteError,
    /^solve: b \(2, 1\) holds Infinity at row 0, column 0/,
  ],
  // before: named the internal 'lu'
  [
    'solve: NaN in A',
    () =>
      solve(
        array([
          [NaN_, 1],
          [1, 3],
        ]),
        array([1, 2]),
      ),
    NotFiniteError,
    /^solve: A \(2, 2\) holds NaN at row 0, column 0/,
  ],
  // before: returned [NaN, NaN] silently on the SVD path
  [
    'lstsq (svd): NaN in b',
    () => lstsq(A, array([1, NaN_])),
    NotFiniteError,
    /^lstsq: b \(2,\) holds NaN at index 1/,
  ],
  [
    'lstsq (qr): NaN in b',
    () => lstsq(A, array([1, NaN_]), { method: 'qr' }),
    NotFiniteError,
    /^lstsq: b/,
  ],
  [
    'lstsq: -Infinity in A',
    () =>
      lstsq(
        array([
          [1, -Inf],
          [0, 1],
          [1, 1],
        ]),
        array([1, 2, 3]),
      ),
    NotFiniteError,
    /^lstsq: A \(3, 2\) holds -Infinity at row 0, column 1/,
  ],
  // before: eigenvalues [4, 2] (rounded to int32) and all-zero eigenvectors
  [
    'eig: int32 matrix',
    () =>
      eig(
        array(
          [
            [4, 1],
            [1, 3],
          ],
          { dtype: 'int32' },
        ),
      ),
    DTypeError,
    /^eig: needs a float64 or float32 array, got int32/,
  ],
  [
    'eig: bool matrix',
    () =>
      eig(
        array([
          [true, false],
          [true, true],
        ]),
      ),
    DTypeError,
    /got bool/,
  ],
  // before: eigenvalues of the lower triangle [[1, 5], [5, 3]], −3.10 and 7.10, where the truth is 2 ± 5i
  [
    'eigh: nonsymmetric matrix',
    () =>
      eigh(
        array([
          [1, -5],
          [5, 3],
        ]),
      ),
    ValueError,
    /^eigh: the matrix is not symmetric: entry \(1, 0\) is 5 but \(0, 1\) is -5; .*use eig .* \{ uplo: 'L' \}/,
  ],
  [
    'eigvalsh: nonsymmetric matrix',
    () =>
      eigvalsh(
        array([
          [1, 2],
          [0, 1],
        ]),
      ),
    ValueError,
    /not symmetric/,
  ],
  [
    'eigh: unknown uplo',
    () => eigh(A, { uplo: 'X' as 'L' }),
    ValueError,
    /uplo must be 'L' or 'U'/,
  ],
];

describeBadInputs(
  'bad input to the linalg routines: a typed error naming the public function and the argument',
  BAD_INPUTS,
);

describe('what the routines compute at the edges the policy allows', () => {
  it("eigh with uplo reads one triangle, as NumPy's UPLO", () => {
    const B = array([
      [2, 7],
      [1, 2],
    ]);
    // 'L': [[2, 1], [1, 2]] → 1, 3; 'U': [[2, 7], [7, 2]] → −5, 9
    expect(eigvalsh(B, { uplo: 'L' }).toNested()).toEqual([1, 3].map((v) => expect.closeTo(v, 14)));
    expect(eigvalsh(B, { uplo: 'U' }).toNested()).toEqual(
      [-5, 9].map((v) => expect.closeTo(v, 14)),
    );
    const { values, vectors } = eigh(B, { uplo: 'U' });
    const sym = array([
      [2, 7],
      [7, 2],
    ]);
    // A V = V Λ for the matrix the upper triangle defines
    const av = matmul(sym, vectors).dataSync();
    const vl = matmul(
      vectors,
      array([
        [values.dataSync()[0]!, 0],
        [0, values.dataSync()[1]!],
      ]),
    ).dataSync();
    for (let i = 0; i < 4; i++) expect(av[i]!).toBeCloseTo(vl[i]!, 12);
    // a symmetric matrix with rounding-level asymmetry is accepted (X Xᵀ from a GEMM)
    const X = array([
      [0.1, 0.7, 1 / 3],
      [0.2, 0.3, 2 / 7],
      [0.9, 0.11, 0.5],
    ]);
    expect(() => eigh(matmul(X, mT(X)))).not.toThrow();
  });

  it('eig of the float matrix gives (7 ± √5)/2', () => {
    const { valuesRe, valuesIm } = eig(A);
    const re = [...valuesRe.dataSync()].sort((a, b) => a - b);
    expect(re[0]).toBeCloseTo((7 - Math.sqrt(5)) / 2, 14);
    expect(re[1]).toBeCloseTo((7 + Math.sqrt(5)) / 2, 14);
    expect([...valuesIm.dataSync()]).toEqual([0, 0]);
  });

  it('svd, eigh and eig scale before factorising: σ = √2·1e308 is representable, so it is returned', () => {
    // before: svd gave S = [Infinity, Infinity] (the scale 2^1024 overflowed when undone)
    const big = array([
      [1e308, 1e308],
      [1e308, -1e308],
    ]);
    const s = svdvals(big).dataSync();
    for (const v of s) expect(v / (Math.SQRT2 * 1e308)).toBeCloseTo(1, 14);
    const { U, Vt } = svd(big);
    // orthogonal factors (the product U Σ Vᵀ itself would overflow)
    const utu = matmul(mT(U), U).dataSync();
    const vvt = matmul(Vt, mT(Vt)).dataSync();
    for (const [i, v] of [1, 0, 0, 1].entries()) {
      expect(utu[i]!).toBeCloseTo(v, 14);
      expect(vvt[i]!).toBeCloseTo(v, 14);
    }
    const w = eigvalsh(big).dataSync();
    expect(w[0]! / (-Math.SQRT2 * 1e308)).toBeCloseTo(1, 14);
    expect(w[1]! / (Math.SQRT2 * 1e308)).toBeCloseTo(1, 14);
    const re = [...eig(big).valuesRe.dataSync()].sort((a, b) => a - b);
    expect(re[1]! / (Math.SQRT2 * 1e308)).toBeCloseTo(1, 14);
    // and at the other end, subnormal entries
    const tiny = svdvals(
      array([
        [1e-310, 1e-310],
        [1e-310, -1e-310],
      ]),
    ).dataSync();
    for (const v of tiny) expect(v / (Math.SQRT2 * 1e-310)).toBeCloseTo(1, 10);
  });
});

describe('assertFinite', () => {
  it('names the op, the argument, the shape and the position; ignores integer arrays', () => {
    expect(() =>
      assertFinite(
        'op',
        'x',
        array([
          [1, 2],
          [3, NaN_],
        ]),
      ),
    ).toThrow(/^op: x \(2, 2\) holds NaN at row 1, column 1/);
    expect(() => assertFinite('op', 'x', array([1, 2], { dtype: 'int32' }))).not.toThrow();
    expect(findNonFinite(array([1, Number.NEGATIVE_INFINITY]))).toEqual({ index: 1, value: -Inf });
    expect(findNonFinite(array([1, 2]))).toBeUndefined();
    expect(positionOf(7, [2, 2, 2])).toBe('[1, 1, 1]');
    expect(positionOf(3, [])).toBe('index 3');
  });
});
