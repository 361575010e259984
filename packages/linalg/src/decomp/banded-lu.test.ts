import { LuDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { NotFiniteError, ShapeError, SingularMatrixError, ValueError } from '../core/errors.js';
import { array, fromTypedArray } from '../ops/creation.js';
import { complex } from '../ops/complex.js';
import { BandedLU, luFactorBanded, solveBanded } from './banded-lu.js';
import { solve } from './lu.js';
import { cond } from './norms.js';
import { type Dense, frob, gaussian, matmul, randomMatrix, rng, toRows } from './test-utils/zoo.js';

/**
 * A random n×n band matrix with l sub- and u superdiagonals whose diagonal is small (× 0.05), so that
 * partial pivoting must swap rows in most columns.
 */
function randomBand(n: number, l: number, u: number, seed: number): Dense {
  const g = gaussian(rng(seed));
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = Math.max(0, i - l); j <= Math.min(n - 1, i + u); j++)
      a[i * n + j] = i === j ? 0.05 * g() : g();
  }
  return { data: a, rows: n, cols: n };
}

/** SciPy's band storage of a dense A: ab[u + i − j][j] = A[i][j], the corners filled with `pad`. */
function toBand(a: Dense, l: number, u: number, pad = 0): Float64Array {
  const n = a.rows;
  const ab = new Float64Array((l + u + 1) * n).fill(pad);
  for (let j = 0; j < n; j++) {
    for (let i = Math.max(0, j - u); i <= Math.min(n - 1, j + l); i++)
      ab[(u + i - j) * n + j] = a.data[i * n + j]!;
  }
  return ab;
}

const nd = (a: Dense) => fromTypedArray(a.data.slice(), [a.rows, a.cols]);
const relDiff = (x: ArrayLike<number>, y: ArrayLike<number>) =>
  frob(Float64Array.from(x, (v, i) => v - y[i]!)) / frob(y);

const shapes: [number, number][] = [
  [0, 0],
  [0, 2],
  [2, 0],
  [1, 1],
  [2, 3],
  [3, 1],
  [4, 4],
];
const cases = [1, 2, 7, 60].flatMap((n) => shapes.map(([l, u]) => ({ n, l, u })));

describe('solveBanded / luFactorBanded (real)', () => {
  it.each(cases)('n = $n, (l, u) = ($l, $u): agrees with dense LU and ml-matrix', ({ n, l, u }) => {
    const a = randomBand(n, l, u, 100 * n + 10 * l + u);
    const kappa = cond(nd(a)).dataSync()[0]!;
    // corners filled with NaN: they must never be read
    const ab = fromTypedArray(toBand(a, l, u, Number.NaN), [l + u + 1, n]);
    const b = randomMatrix(n, 3, n + l);
    const x = solveBanded([l, u], ab, nd(b));
    expect(x.shape).toEqual([n, 3]);
    expect(x.dtype).toBe('float64');
    // both solvers are backward stable: each within ~n·κ·ε of the exact solution
    const ref = solve(nd(a), nd(b)).dataSync();
    expect(relDiff(x.dataSync(), ref)).toBeLessThan(10 * n * kappa * Number.EPSILON);
    const ml = new LuDecomposition(new Matrix(toRows(a))).solve(new Matrix(toRows(b)));
    expect(relDiff(x.dataSync(), ml.to1DArray())).toBeLessThan(10 * n * kappa * Number.EPSILON);
    // small backward error whatever κ is: ‖A x − b‖ ≲ n ε ‖A‖ ‖x‖ (partial pivoting, modest growth)
    const ax = matmul(a, { data: Float64Array.from(x.dataSync()), rows: n, cols: 3 });
    expect(frob(Float64Array.from(ax.data, (v, i) => v - b.data[i]!))).toBeLessThan(
      50 * n * Number.EPSILON * frob(a.data) * frob(x.dataSync()),
    );
  });

  it('pivots past exactly zero diagonal entries (tridiagonal with a zero diagonal)', () => {
    // A = tridiag(1, 0, 2), n = 6: nonsingular for even n, and unfactorable without row interchanges
    const n = 6;
    const a: Dense = { data: new Float64Array(n * n), rows: n, cols: n };
    for (let i = 0; i < n - 1; i++) {
      a.data[i * n + i + 1] = 2;
      a.data[(i + 1) * n + i] = 1;
    }
    const b = Float64Array.from({ length: n }, (_, i) => i + 1);
    const x = solveBanded([1, 1], fromTypedArray(toBand(a, 1, 1), [3, n]), fromTypedArray(b));
    const ref = solve(nd(a), fromTypedArray(b.slice())).dataSync();
    expect(relDiff(x.dataSync(), ref)).toBeLessThan(1e-15);
    // closed form from the recurrences: odd rows give x₁, x₃, x₅ forwards, x₄ = b₅ and the even rows backwards
    expect(relDiff(x.dataSync(), [18, 0.5, -8, 1.25, 6, 1.875])).toBeLessThan(1e-15);
  });

  it('a factor is reused: solve, solveInPlace and (n, k) right-hand sides agree', () => {
    const n = 40;
    const a = randomBand(n, 2, 1, 5);
    const f = luFactorBanded([2, 1], fromTypedArray(toBand(a, 2, 1), [4, n]));
    expect([f.n, f.kl, f.ku, f.complex]).toEqual([n, 2, 1, false]);
    const b = randomMatrix(n, 2, 6);
    const x = f.solve(nd(b)).dataSync();
    for (let c = 0; c < 2; c++) {
      const col = Float64Array.from({ length: n }, (_, i) => b.data[i * 2 + c]!);
      const xc = f.solve(fromTypedArray(col.slice())).dataSync();
      f.solveInPlace(col);
      for (let i = 0; i < n; i++) {
        expect(xc[i]).toBe(x[i * 2 + c]);
        expect(col[i]).toBe(x[i * 2 + c]);
      }
    }
    // the same numbers as a factor built from the typed array directly
    const g = BandedLU.fromBand([2, 1], n, toBand(a, 2, 1));
    const bb = b.data.slice();
    g.solveInPlace(bb, 2);
    expect(Array.from(bb)).toEqual(Array.from(x));
  });

  it('n = 1 and a float32 right-hand side (solution in b’s dtype)', () => {
    expect(Array.from(solveBanded([0, 0], array([[4]]), array([2])).dataSync())).toEqual([0.5]);
    expect(
      Array.from(solveBanded([1, 2], array([[0], [0], [-8], [0]]), array([2])).dataSync()),
    ).toEqual([-0.25]);
    const x = solveBanded(
      [1, 1],
      array([
        [0, 1, 1],
        [2, 2, 2],
        [1, 1, 0],
      ]),
      fromTypedArray(new Float32Array([1, 0, 1])),
    );
    expect(x.dtype).toBe('float32');
    expect(Array.from(x.dataSync())).toEqual([1, -1, 1]);
  });
});

/** A x for a complex band A (SciPy storage, interleaved) and interleaved x, computed entry by entry. */
function complexBandMatVec(ab: Float64Array, l: number, u: number, n: number, x: Float64Array) {
  const y = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    for (let j = Math.max(0, i - l); j <= Math.min(n - 1, i + u); j++) {
      const at = 2 * ((u + i - j) * n + j);
      const [ar, ai, xr, xi] = [ab[at]!, ab[at + 1]!, x[2 * j]!, x[2 * j + 1]!];
      y[2 * i] += ar * xr - ai * xi;
      y[2 * i + 1] += ar * xi + ai * xr;
    }
  }
  return y;
}

describe('solveBanded / luFactorBanded (complex)', () => {
  it.each([
    { n: 1, l: 0, u: 0 },
    { n: 9, l: 1, u: 1 },
    { n: 50, l: 2, u: 3 },
    { n: 30, l: 3, u: 1 },
  ])('n = $n, (l, u) = ($l, $u): matches the real 2n×2n form [[A, −B], [B, A]]', ({ n, l, u }) => {
    const re = randomBand(n, l, u, 31 * n + l);
    const im = randomBand(n, l, u, 17 * n + u);
    const abRe = toBand(re, l, u);
    const abIm = toBand(im, l, u);
    const bRe = randomMatrix(n, 1, 3).data;
    const bIm = randomMatrix(n, 1, 4).data;
    const x = solveBanded(
      [l, u],
      complexArray(abRe, abIm, [l + u + 1, n]),
      complexArray(bRe, bIm, [n]),
    );
    expect(x.dtype).toBe('complex128');
    const xs = Float64Array.from(x.dataSync());
    // residual of the complex system, computed independently from the band storage
    const abInter = Float64Array.from(complexArray(abRe, abIm, [l + u + 1, n]).dataSync());
    const ax = complexBandMatVec(abInter, l, u, n, xs);
    const bInter = Float64Array.from(complexArray(bRe, bIm, [n]).dataSync());
    const big: Dense = { data: new Float64Array(4 * n * n), rows: 2 * n, cols: 2 * n };
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        big.data[i * 2 * n + j] = re.data[i * n + j]!;
        big.data[(n + i) * 2 * n + n + j] = re.data[i * n + j]!;
        big.data[i * 2 * n + n + j] = -im.data[i * n + j]!;
        big.data[(n + i) * 2 * n + j] = im.data[i * n + j]!;
      }
    }
    const kappa = cond(nd(big)).dataSync()[0]!;
    expect(relDiff(ax, bInter)).toBeLessThan(50 * n * kappa * Number.EPSILON);
    const ref = solve(nd(big), fromTypedArray(Float64Array.from([...bRe, ...bIm]))).dataSync();
    const split = Float64Array.from({ length: 2 * n }, (_, k) =>
      k < n ? xs[2 * k]! : xs[2 * (k - n) + 1]!,
    );
    expect(relDiff(split, ref)).toBeLessThan(20 * n * kappa * Number.EPSILON);
  });

  it('a real factor solves a complex b, a complex factor a real b', () => {
    const n = 12;
    const a = randomBand(n, 1, 2, 77);
    const ab = toBand(a, 1, 2);
    const bRe = randomMatrix(n, 1, 8).data;
    const bIm = randomMatrix(n, 1, 9).data;
    const z = solveBanded([1, 2], fromTypedArray(ab.slice(), [4, n]), complexArray(bRe, bIm, [n]));
    expect(z.dtype).toBe('complex128');
    const xr = solveBanded([1, 2], fromTypedArray(ab.slice(), [4, n]), fromTypedArray(bRe.slice()));
    const xi = solveBanded([1, 2], fromTypedArray(ab.slice(), [4, n]), fromTypedArray(bIm.slice()));
    const zs = z.dataSync();
    for (let i = 0; i < n; i++) {
      expect(zs[2 * i]).toBeCloseTo(xr.dataSync()[i]!, 12);
      expect(zs[2 * i + 1]).toBeCloseTo(xi.dataSync()[i]!, 12);
    }
    // A + 0i as a complex matrix, real b: the real solution with zero imaginary parts
    const w = solveBanded(
      [1, 2],
      complexArray(ab, new Float64Array(ab.length), [4, n]),
      fromTypedArray(bRe.slice()),
    );
    expect(w.dtype).toBe('complex128');
    const ws = w.dataSync();
    for (let i = 0; i < n; i++) {
      expect(ws[2 * i]).toBeCloseTo(xr.dataSync()[i]!, 12);
      expect(Math.abs(ws[2 * i + 1]!)).toBe(0);
    }
  });
});

/** A complex128 array from real and imaginary parts. */
function complexArray(re: Float64Array, im: Float64Array, shape: number[]) {
  return complex(fromTypedArray(re.slice(), shape), fromTypedArray(im.slice(), shape));
}

describe('solveBanded: bad input', () => {
  const tri = () =>
    array([
      [0, 1, 1],
      [2, 2, 2],
      [1, 1, 0],
    ]);

  it('singular matrices throw SingularMatrixError', () => {
    // a zero column
    expect(() =>
      solveBanded(
        [1, 1],
        array([
          [0, 0, 1],
          [1, 0, 1],
          [1, 0, 0],
        ]),
        array([1, 1, 1]),
      ),
    ).toThrow(SingularMatrixError);
    // two equal rows: the zero pivot only appears after elimination
    expect(() =>
      luFactorBanded(
        [1, 1],
        array([
          [0, 1],
          [1, 1],
          [1, 0],
        ]),
      ),
    ).toThrow(/singular: after partial pivoting U\[1\]\[1\]/);
  });

  it('NaN or Infinity in the band or in b throws NotFiniteError', () => {
    expect(() =>
      solveBanded(
        [1, 1],
        array([
          [0, 1, 1],
          [2, Number.NaN, 2],
          [1, 1, 0],
        ]),
        array([1, 1, 1]),
      ),
    ).toThrow(NotFiniteError);
    expect(() => solveBanded([1, 1], tri(), array([1, Number.POSITIVE_INFINITY, 1]))).toThrow(
      NotFiniteError,
    );
  });

  it('bad shapes and bandwidths throw ShapeError / ValueError', () => {
    expect(() => solveBanded([1, 0], tri(), array([1, 1, 1]))).toThrow(ShapeError);
    expect(() => solveBanded([1, 1], tri(), array([1, 1]))).toThrow(ShapeError);
    expect(() => solveBanded([1, 1], tri(), array([[[1]], [[1]], [[1]]]))).toThrow(ShapeError);
    expect(() => solveBanded([1, 1], array([1, 2, 3]), array([1, 1, 1]))).toThrow(ShapeError);
    expect(() => solveBanded([-1, 1] as [number, number], tri(), array([1, 1, 1]))).toThrow(
      ValueError,
    );
    expect(() => solveBanded([1.5, 1] as [number, number], tri(), array([1, 1, 1]))).toThrow(
      ValueError,
    );
    const f = luFactorBanded([1, 1], tri());
    expect(() => f.solveInPlace(new Float64Array(4))).toThrow(ShapeError);
    expect(() => BandedLU.fromBand([1, 1], 3, new Float64Array(8))).toThrow(ShapeError);
  });
});
