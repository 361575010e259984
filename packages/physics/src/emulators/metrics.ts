import { type NDArray, ShapeError, ValueError, formatShape } from '@sciml/linalg';

/**
 * Normalised forecast error E(t) = ‖u(t) − ũ(t)‖ / ⟨‖u‖²⟩^{1/2} at each time of a forecast, the average
 * ⟨·⟩ taken over the true trajectory (Pathak, Hunt, Girvan, Lu & Ott 2018, PRL 120:024102). `truth` and
 * `forecast` are (times × n).
 * @public
 */
export function normalizedError(truth: NDArray, forecast: NDArray): Float64Array {
  const op = 'normalizedError';
  if (
    truth.ndim !== 2 ||
    forecast.ndim !== 2 ||
    truth.shape[0] !== forecast.shape[0] ||
    truth.shape[1] !== forecast.shape[1]
  )
    throw new ShapeError(
      op,
      `truth and forecast must be the same (times × n), got ${formatShape(truth.shape)} and ${formatShape(forecast.shape)}`,
    );
  const [m, n] = truth.shape as [number, number];
  const a = truth.dataSync();
  const b = forecast.dataSync();
  let norm = 0;
  for (let e = 0; e < m * n; e++) norm += a[e]! ** 2;
  norm = Math.sqrt(norm / m);
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) {
      const d = b[i * n + j]! - a[i * n + j]!;
      s += d * d;
    }
    out[i] = Number.isFinite(s) ? Math.sqrt(s) / norm : Number.POSITIVE_INFINITY;
  }
  return out;
}

/** Options of {@link validPredictionTime}. @public */
export interface ValidPredictionTimeOptions {
  /** Time between forecast states. */
  dt: number;
  /** Largest Lyapunov exponent λ₁ (Lorenz-63: 0.906); the result is in Lyapunov times λ₁t. */
  lyapunovExponent: number;
  /** Error level that ends the valid prediction (default 0.4). */
  threshold?: number;
}

/**
 * Valid prediction time: the first time the normalised error E(t) exceeds `threshold` (0.4), in Lyapunov
 * times λ₁t (Pathak et al. 2018). A forecast that never exceeds it returns its whole length.
 * @public
 */
export function validPredictionTime(
  truth: NDArray,
  forecast: NDArray,
  options: ValidPredictionTimeOptions,
): number {
  const { dt, lyapunovExponent } = options;
  const threshold = options.threshold ?? 0.4;
  if (!(dt > 0) || !(lyapunovExponent > 0) || !(threshold > 0))
    throw new ValueError(
      'validPredictionTime',
      `dt, lyapunovExponent and threshold must be > 0, got ${dt}, ${lyapunovExponent}, ${threshold}`,
    );
  const e = normalizedError(truth, forecast);
  let k = 0;
  while (k < e.length && e[k]! <= threshold) k++;
  return k * dt * lyapunovExponent;
}
