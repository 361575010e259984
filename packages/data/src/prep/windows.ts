// Time-series windows for autoregressive training: (u_t, u_{t+1}) pairs and (history h → horizon k)
// windows, over one trajectory or several of different lengths, never crossing a trajectory boundary.
import {
  DTypeError,
  type NDArray,
  ShapeError,
  ValueError,
  allocTyped,
  fromTypedArray,
} from '@sciml/linalg';

/**
 * Windows cut from trajectories.
 * @public
 */
export interface Windows {
  /** Inputs: `[N, history, ...features]`. */
  inputs: NDArray;
  /** Targets: `[N, horizon, ...features]`. */
  targets: NDArray;
  /** Which trajectory each window came from, `[N]` int32. */
  trajectory: NDArray;
  /** Time index of each window's first input step within its trajectory, `[N]` int32. */
  start: NDArray;
}

/**
 * Options of {@link timeWindows}.
 * @public
 */
export interface WindowOptions {
  /** Steps of history per input (default 1). */
  history?: number;
  /** Steps predicted per target (default 1). */
  horizon?: number;
  /** Steps between consecutive window starts (default 1). */
  stride?: number;
}

/**
 * Cuts trajectories `[T, ...features]` (one, or a list of different lengths T) into windows of `history`
 * steps followed by `horizon` target steps. A trajectory shorter than history + horizon gives no window.
 * @example `timeWindows(u, { history: 4, horizon: 2 }) // inputs [N, 4, d], targets [N, 2, d]`
 * @public
 */
export function timeWindows(
  series: NDArray | readonly NDArray[],
  options: WindowOptions = {},
): Windows {
  const op = 'timeWindows';
  const list = Array.isArray(series) ? (series as readonly NDArray[]) : [series as NDArray];
  if (list.length === 0) throw new ValueError(op, 'needs at least one trajectory');
  const h = options.history ?? 1;
  const k = options.horizon ?? 1;
  const stride = options.stride ?? 1;
  for (const [name, v] of [
    ['history', h],
    ['horizon', k],
    ['stride', stride],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 1)
      throw new ValueError(op, `${name} must be a positive integer, got ${v}`);
  }
  const first = list[0]!;
  const featShape = first.shape.slice(1);
  for (const s of list) {
    if (s.ndim === 0 || s.shape.slice(1).join(',') !== featShape.join(',')) {
      throw new ShapeError(
        op,
        `trajectories must share their feature shape; got (${s.shape.join(', ')}) and (${first.shape.join(', ')})`,
      );
    }
    if (s.dtype !== first.dtype)
      throw new DTypeError(
        op,
        `trajectories must share a dtype; got ${s.dtype} and ${first.dtype}`,
      );
  }
  const f = featShape.reduce((a, b) => a * b, 1);
  const counts = list.map((s) =>
    s.shape[0]! >= h + k ? Math.floor((s.shape[0]! - h - k) / stride) + 1 : 0,
  );
  const total = counts.reduce((a, b) => a + b, 0);
  const inputs = allocTyped(first.dtype, total * h * f);
  const targets = allocTyped(first.dtype, total * k * f);
  const trajectory = new Int32Array(total);
  const start = new Int32Array(total);
  let w = 0;
  list.forEach((s, j) => {
    const data = s.dataSync();
    for (let c = 0; c < counts[j]!; c++, w++) {
      const t = c * stride;
      inputs.set(data.subarray(t * f, (t + h) * f), w * h * f);
      targets.set(data.subarray((t + h) * f, (t + h + k) * f), w * k * f);
      trajectory[w] = j;
      start[w] = t;
    }
  });
  return {
    inputs: fromTypedArray(inputs, [total, h, ...featShape]),
    targets: fromTypedArray(targets, [total, k, ...featShape]),
    trajectory: fromTypedArray(trajectory),
    start: fromTypedArray(start),
  };
}

/**
 * One-step pairs (u_t, u_{t+1}) from trajectories `[T, ...features]`: inputs and targets `[N, ...features]`.
 * @public
 */
export function stepPairs(series: NDArray | readonly NDArray[]): Windows {
  const w = timeWindows(series, { history: 1, horizon: 1 });
  const feat = w.inputs.shape.slice(2);
  const n = w.inputs.shape[0]!;
  return {
    ...w,
    inputs: fromTypedArray(w.inputs.dataSync(), [n, ...feat]),
    targets: fromTypedArray(w.targets.dataSync(), [n, ...feat]),
  };
}
