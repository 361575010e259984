// What a sweep is made of: named parameter values, designs (lists of parameter sets) and the continuous
// ranges that random, Sobol and Latin-hypercube designs map the unit cube onto.
import { ValueError } from '@sciml/linalg';

/**
 * One parameter's value in a job: a number, a string (e.g. an activation's name) or a boolean.
 * @public
 */
export type ParamValue = number | string | boolean;

/**
 * The parameters of one job, by name.
 * @public
 */
export type Params = Readonly<Record<string, ParamValue>>;

/**
 * A design: the list of parameter sets a sweep runs, one job each. Plain arrays, so they can be built by
 * hand, filtered and concatenated as well as by {@link grid}, {@link sobol}, {@link product}, ...
 * @public
 */
export type Design = readonly Params[];

/**
 * A continuous range for random, Sobol and Latin-hypercube designs: `[low, high]` (linear), or an object
 * with `scale: 'log'` (uniform in log space; both ends positive) and `integer: true` (rounded down, `high`
 * excluded).
 * @public
 */
export type Range =
  | readonly [number, number]
  | {
      readonly low: number;
      readonly high: number;
      readonly scale?: 'linear' | 'log';
      readonly integer?: boolean;
    };

interface NormalRange {
  low: number;
  high: number;
  log: boolean;
  integer: boolean;
}

/** Checks a range and brings it to one form. */
function normalise(op: string, name: string, range: Range): NormalRange {
  const r = Array.isArray(range)
    ? { low: range[0], high: range[1], log: false, integer: false }
    : {
        low: (range as { low: number }).low,
        high: (range as { high: number }).high,
        log: (range as { scale?: string }).scale === 'log',
        integer: (range as { integer?: boolean }).integer === true,
      };
  if (!Number.isFinite(r.low) || !Number.isFinite(r.high) || !(r.low < r.high)) {
    throw new ValueError(
      op,
      `range of '${name}' must be finite numbers with low < high, got [${r.low}, ${r.high}]`,
    );
  }
  if (r.log && r.low <= 0) {
    throw new ValueError(op, `log-scaled range of '${name}' needs low > 0, got ${r.low}`);
  }
  return r;
}

/**
 * Maps points of the unit cube `[0, 1)^d` (one row per point, one column per name) onto named ranges.
 * Linear: `low + u (high − low)`; log: `low (high/low)^u`; integer: the floor of the linear map.
 */
export function mapUnitCube(
  op: string,
  ranges: Readonly<Record<string, Range>>,
  unit: readonly (readonly number[])[],
): Design {
  const names = Object.keys(ranges);
  if (names.length === 0) throw new ValueError(op, 'name at least one parameter range');
  const normal = names.map((n) => normalise(op, n, ranges[n]!));
  return unit.map((u) => {
    const point: Record<string, number> = {};
    names.forEach((name, j) => {
      const r = normal[j]!;
      const t = u[j]!;
      const value = r.log
        ? r.low * (r.high / r.low) ** t
        : r.integer
          ? Math.min(Math.floor(r.low + t * (r.high - r.low)), r.high - 1)
          : r.low + t * (r.high - r.low);
      // defineProperty, not `point[name] =`: a parameter named `__proto__` must stay an own key
      Object.defineProperty(point, name, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    });
    return Object.freeze(point);
  });
}

/** Checks a design size `n` (a positive integer). */
export function checkCount(op: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new ValueError(op, `n must be a positive integer, got ${n}`);
  }
}
