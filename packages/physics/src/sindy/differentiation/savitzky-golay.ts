import { ValueError, array, matmul, solve, transpose } from '@sciml/linalg';
import type { Matrix } from '../matrix.js';
import { type Differentiator, defineDifferentiator } from './differentiator.js';

/** Options of {@link savitzkyGolay}. @public */
export interface SavitzkyGolayOptions {
  /** Samples in each window, odd (default 11, as pysindy's smoothed finite difference). */
  windowLength?: number;
  /** Degree of the local polynomial, < windowLength (default 3). */
  polyorder?: number;
}

/**
 * Least-squares projection onto polynomials of degree `p` over the offsets −h..h, in the scaled variable
 * u = s/h (which keeps the normal matrix well conditioned): row k gives the coefficient of u^k.
 */
function projection(h: number, p: number): Float64Array[] {
  const w = 2 * h + 1;
  const vt = Array.from({ length: p + 1 }, (_, k) =>
    Array.from({ length: w }, (_, s) => ((s - h) / h) ** k),
  );
  const Vt = array(vt);
  const coef = solve(matmul(Vt, transpose(Vt)), Vt).dataSync();
  return Array.from({ length: p + 1 }, (_, k) =>
    Float64Array.from(coef.subarray(k * w, (k + 1) * w)),
  );
}

/**
 * Weights that evaluate the fitted polynomial (`deriv` 0) or its derivative in u (`deriv` 1) at scaled
 * position u, as a combination of the window's samples.
 */
function evaluationWeights(P: readonly Float64Array[], u: number, deriv: 0 | 1): Float64Array {
  const w = new Float64Array(P[0]!.length);
  for (let k = deriv; k < P.length; k++) {
    const factor = deriv === 0 ? u ** k : k * u ** (k - 1);
    for (let s = 0; s < w.length; s++) w[s]! += factor * P[k]![s]!;
  }
  return w;
}

/**
 * Savitzky–Golay differentiation (Savitzky & Golay 1964, Anal. Chem. 36(8):1627): a least-squares
 * polynomial of degree `polyorder` is fitted to each window of `windowLength` samples; its value is the
 * smoothed state and its slope the derivative. Near the ends the first/last full window's polynomial is
 * evaluated off-centre (SciPy's `savgol_filter` mode `'interp'`). Needs uniform sample times.
 * @public
 */
export function savitzkyGolay(options: SavitzkyGolayOptions = {}): Differentiator {
  const w = options.windowLength ?? 11;
  const p = options.polyorder ?? 3;
  const op = `savitzkyGolay(windowLength=${w}, polyorder=${p})`;
  if (!Number.isInteger(w) || w < 3 || w % 2 === 0) {
    throw new ValueError('savitzkyGolay', `windowLength must be an odd integer ≥ 3, got ${w}`);
  }
  if (!Number.isInteger(p) || p < 1 || p >= w) {
    throw new ValueError(
      'savitzkyGolay',
      `polyorder must be an integer with 1 ≤ polyorder < windowLength (${w}), got ${p}`,
    );
  }
  const h = (w - 1) / 2;
  const P = projection(h, p);
  return defineDifferentiator(op, w, (x, t) => {
    if (t.dt === undefined) {
      throw new ValueError(
        op,
        'needs uniformly spaced samples; use finiteDifference() for non-uniform times',
      );
    }
    return {
      smoothed: applyWindows(x, P, h, 0, 1),
      // d/dt = (1/(h dt)) d/du
      derivative: applyWindows(x, P, h, 1, 1 / (h * t.dt)),
    };
  });
}

/** Applies the window filter to every column; the first and last h samples use off-centre weights. */
function applyWindows(
  x: Matrix,
  P: readonly Float64Array[],
  h: number,
  deriv: 0 | 1,
  scale: number,
): Matrix {
  const { rows: m, cols: n } = x;
  const w = 2 * h + 1;
  const out = new Float64Array(m * n);
  const centre = evaluationWeights(P, 0, deriv);
  const edge = Array.from({ length: w }, (_, s) => evaluationWeights(P, (s - h) / h, deriv));
  for (let i = 0; i < m; i++) {
    let start: number;
    let wts: Float64Array;
    if (i < h) {
      start = 0;
      wts = edge[i]!;
    } else if (i >= m - h) {
      start = m - w;
      wts = edge[i - start]!;
    } else {
      start = i - h;
      wts = centre;
    }
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let k = 0; k < w; k++) acc += wts[k]! * x.data[(start + k) * n + j]!;
      out[i * n + j] = acc * scale;
    }
  }
  return { rows: m, cols: n, data: out };
}
