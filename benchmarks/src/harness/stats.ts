/** Pure helpers of the harness: medians, unit scales and the direction of a ratio. */

/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median: needs at least one value, got none.');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Ratio of ours to a peer, oriented so that `> 1` always means @sciml is better:
 * ours/peer for throughputs (higher is better), peer/ours for times (lower is better).
 */
export function ratio(ours: number, peer: number, higherIsBetter: boolean): number {
  return higherIsBetter ? ours / peer : peer / ours;
}

/** Seconds per unit of each time unit the harness reports in. */
const TIME_UNITS: Readonly<Record<string, number>> = {
  s: 1,
  ms: 1e-3,
  us: 1e-6,
  µs: 1e-6,
  ns: 1e-9,
};

/** SI prefixes accepted in front of a throughput unit (`GFLOP/s`, `Msamples/s`). */
const PREFIXES: Readonly<Record<string, number>> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/** How a measured time per call becomes the number reported for a case. */
export interface Metric {
  /** Name of the metric (`time`, `throughput`, ...). */
  readonly metric: string;
  /** Unit the value is reported in (`ms`, `GFLOP/s`, ...). */
  readonly unit: string;
  /** Whether a bigger value is better (throughput) or worse (time). */
  readonly higherIsBetter: boolean;
  /** Turns seconds per call into the reported value. */
  readonly fromSeconds: (secondsPerCall: number) => number;
}

/**
 * Builds the metric of a case. Without `work` the value is the time per call in a time unit
 * (default `ms`, lower is better). With `work` (e.g. FLOPs per call) it is the throughput
 * work / time in a `<prefix><thing>/s` unit (default `GFLOP/s`, higher is better).
 */
export function makeMetric(spec: {
  work?: number;
  unit?: string;
  metric?: string;
  higherIsBetter?: boolean;
}): Metric {
  if (spec.work === undefined) {
    const unit = spec.unit ?? 'ms';
    const scale = TIME_UNITS[unit];
    if (scale === undefined) {
      throw new RangeError(
        `makeMetric: unit '${unit}' is not a time unit (${Object.keys(TIME_UNITS).join(', ')}); ` +
          'give `work` per call to report a throughput instead.',
      );
    }
    if (spec.higherIsBetter === true) {
      throw new RangeError('makeMetric: a time is lower-is-better; give `work` for a throughput.');
    }
    return {
      metric: spec.metric ?? 'time',
      unit,
      higherIsBetter: false,
      fromSeconds: (s) => s / scale,
    };
  }
  if (!(spec.work > 0) || !Number.isFinite(spec.work)) {
    throw new RangeError(`makeMetric: work must be a positive finite number, got ${spec.work}.`);
  }
  const unit = spec.unit ?? 'GFLOP/s';
  const scale = throughputScale(unit);
  if (spec.higherIsBetter === false) {
    throw new RangeError('makeMetric: a throughput (`work` given) is higher-is-better.');
  }
  const work = spec.work;
  return {
    metric: spec.metric ?? 'throughput',
    unit,
    higherIsBetter: true,
    fromSeconds: (s) => work / s / scale,
  };
}

/** Scale of a throughput unit: `GFLOP/s` -> 1e9, `samples/s` -> 1. */
export function throughputScale(unit: string): number {
  const match = /^(.+)\/s$/.exec(unit);
  if (match === null) {
    throw new RangeError(`throughputScale: unit '${unit}' must end in '/s' (e.g. 'GFLOP/s').`);
  }
  const thing = match[1];
  const prefix = PREFIXES[thing[0]];
  // A prefix counts only when an upper-case unit follows it ('GFLOP', 'MB'), so 'kernels/s' stays 1.
  if (prefix !== undefined && thing.length > 1 && /[A-Z]/.test(thing[1])) return prefix;
  return 1;
}
