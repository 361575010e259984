import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { NotFiniteError, ShapeError } from '../core/errors.js';
import { array, fromTypedArray } from '../ops/creation.js';
import { eig, eigvals } from './eig.js';
import { type Dense, frob, generalZoo, randomMatrix, toRows } from './test-utils/zoo.js';

const nd = (a: Dense) => fromTypedArray(a.data.slice(), [a.rows, a.cols]);

/** ‖A V − V Λ‖_F / (‖A‖_F n ε) in complex arithmetic, and the largest |‖vⱼ‖ − 1|. */
function eigResidual(a: Dense, res: ReturnType<typeof eig>): { residual: number; norm: number } {
  const n = a.rows;
  const wr = res.valuesRe.dataSync();
  const wi = res.valuesIm.dataSync();
  const vr = res.vectorsRe.dataSync();
  const vi = res.vectorsIm.dataSync();
  const diff = new Float64Array(2 * n * n);
  let normErr = 0;
  for (let j = 0; j < n; j++) {
    let nn = 0;
    for (let i = 0; i < n; i++) {
      let re = 0;
      let im = 0;
      for (let k = 0; k < n; k++) {
        re += a.data[i * n + k]! * vr[k * n + j]!;
        im += a.data[i * n + k]! * vi[k * n + j]!;
      }
      // (λr + i λi)(vr + i vi)
      re -= wr[j]! * vr[i * n + j]! - wi[j]! * vi[i * n + j]!;
      im -= wr[j]! * vi[i * n + j]! + wi[j]! * vr[i * n + j]!;
      diff[2 * (i * n + j)] = re;
      diff[2 * (i * n + j) + 1] = im;
      nn += vr[i * n + j]! ** 2 + vi[i * n + j]! ** 2;
    }
    normErr = Math.max(normErr, Math.abs(Math.sqrt(nn) - 1));
  }
  const na = frob(a.data);
  return {
    residual: na === 0 ? frob(diff) : frob(diff) / (na * n * Number.EPSILON),
    norm: normErr,
  };
}

describe('eig (general real)', () => {
  it.each(generalZoo().filter((c) => c.a.rows === c.a.cols))(
    '$name: ‖AV − VΛ‖/(‖A‖ n ε) ≤ 30, unit vectors',
    ({ name, a }) => {
      const res = eig(nd(a));
      const { residual, norm } = eigResidual(a, res);
      expect(residual).toBeLessThanOrEqual(30);
      if (name !== 'zero') expect(norm).toBeLessThan(1e-13);
    },
  );

  it('closed forms: rotation (±i), companion matrix of (x−1)(x−2)(x−3), conjugate pairs ordered', () => {
    const r = eigvals(
      array([
        [0, -1],
        [1, 0],
      ]),
    );
    expect(Array.from(r.re.dataSync())).toEqual([0, 0]);
    expect(r.im.get(0)).toBeCloseTo(1, 15);
    expect(r.im.get(1)).toBeCloseTo(-1, 15);
    const c = eigvals(
      array([
        [6, -11, 6],
        [1, 0, 0],
        [0, 1, 0],
      ]),
    );
    const roots = Array.from(c.re.dataSync()).sort((x, y) => x - y);
    for (const [i, v] of roots.entries()) expect(v).toBeCloseTo(i + 1, 12);
    expect(Array.from(c.im.dataSync()).every((v) => v === 0)).toBe(true);
  });

  it('agrees with ml-matrix on a random 40×40 (same eigenvalues as a set)', () => {
    const a = randomMatrix(40, 40, 12);
    const { valuesRe, valuesIm } = eig(nd(a));
    const ref = new EigenvalueDecomposition(new Matrix(toRows(a)));
    const key = (re: ArrayLike<number>, im: ArrayLike<number>) =>
      Array.from(re, (v, i) => [v, im[i]!] as const).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    const ours = key(valuesRe.dataSync(), valuesIm.dataSync());
    const theirs = key(ref.realEigenvalues, ref.imaginaryEigenvalues);
    ours.forEach(([re, im], i) => {
      expect(Math.abs(re - theirs[i]![0])).toBeLessThan(1e-11);
      expect(Math.abs(im - theirs[i]![1])).toBeLessThan(1e-11);
    });
    // pairs: positive imaginary part first
    const wi = valuesIm.dataSync();
    for (let j = 0; j < 40; j++) if (wi[j]! > 0) expect(wi[j + 1]).toBe(-wi[j]!);
  });

  it('typed errors: non-square, NaN', () => {
    expect(() => eig(array([[1, 2, 3]]))).toThrow(ShapeError);
    expect(() =>
      eig(
        array([
          [1, Number.NaN],
          [0, 1],
        ]),
      ),
    ).toThrow(NotFiniteError);
  });
});
