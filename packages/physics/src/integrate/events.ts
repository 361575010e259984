/**
 * Zero crossings of event functions g(t, y) between two accepted steps, located on the step's dense
 * output by the Illinois variant of regula falsi (Dowell & Jarratt 1971): superlinear, and bracketing,
 * so it never leaves [tOld, t].
 */
import { NotFiniteError, ValueError } from '@sciml/linalg';

/** An event with its options filled in (`G`: the event function's signature). */
export interface NormalizedEvent<G = (t: number, y: Float64Array) => number> {
  g: G;
  terminal: boolean;
  direction: -1 | 0 | 1;
}

/** An event as given: a bare function, or the function with its options (SciPy's `events`). */
export type EventSpec<G> = G | { g: G; terminal?: boolean; direction?: -1 | 0 | 1 };

export function normalizeEvents<G = (t: number, y: Float64Array) => number>(
  op: string,
  events: EventSpec<G> | readonly EventSpec<G>[] | undefined,
): NormalizedEvent<G>[] {
  if (events === undefined) return [];
  const list = (Array.isArray(events) ? events : [events]) as EventSpec<G>[];
  return list.map((e, i) => {
    if (typeof e === 'function') return { g: e as G, terminal: false, direction: 0 };
    const spec = e as { g?: unknown; terminal?: boolean; direction?: unknown } | null;
    if (spec == null || typeof spec.g !== 'function') {
      throw new ValueError(
        op,
        `events[${i}] must be a function g(t, y) or { g, terminal?, direction? }`,
      );
    }
    const direction = spec.direction ?? 0;
    if (direction !== -1 && direction !== 0 && direction !== 1) {
      throw new ValueError(
        op,
        `events[${i}].direction must be -1, 0 or 1, got ${String(direction)}`,
      );
    }
    return { g: spec.g as G, terminal: spec.terminal ?? false, direction };
  });
}

/**
 * g(t, y) of event `index`, which must be a number that is not NaN (±Infinity is a sign, and allowed): a NaN
 * compares false with everything, so that event would silently never fire. `op` is the public entry point
 * that owns the event (`'solveIVP'`, `'odeintEvents'`, …) and is the name the error carries.
 */
export function eventValue(
  op: string,
  e: NormalizedEvent,
  index: number,
  t: number,
  y: Float64Array,
): number {
  return checkEventNumber(op, e.g(t, y), index, t);
}

/** `g` if it is a number that is not NaN, else a `NotFiniteError` of `op` naming event `index` and time t. */
export function checkEventNumber(op: string, g: unknown, index: number, t: number): number {
  if (typeof g !== 'number' || Number.isNaN(g))
    throw new NotFiniteError(
      op,
      `event ${index} returned ${typeof g === 'number' ? 'NaN' : typeof g} at t = ${t}; an event function must return a number whose sign changes at the event (a NaN event never fires)`,
    );
  return g;
}

/** Whether g went from gOld to gNew across zero in the requested direction (gOld = 0 is not a new crossing). */
export function crosses(gOld: number, gNew: number, direction: -1 | 0 | 1): boolean {
  const up = gOld < 0 && gNew >= 0;
  const down = gOld > 0 && gNew <= 0;
  return direction > 0 ? up : direction < 0 ? down : up || down;
}

/**
 * Root of `g` on [a, b] given g(a) = ga and g(b) = gb of opposite signs (or gb = 0), by Illinois regula falsi.
 * Stops when the bracket is below 4 ulps of its end points (or after 200 iterations) and returns the bracket
 * end with the smaller |g|.
 */
export function illinois(
  g: (t: number) => number,
  a: number,
  b: number,
  ga: number,
  gb: number,
): number {
  if (gb === 0) return b;
  let fa = ga;
  let fb = gb;
  let side = 0;
  for (let it = 0; it < 200; it++) {
    const tol = 4 * Number.EPSILON * Math.max(Math.abs(a), Math.abs(b), 1e-300);
    if (Math.abs(b - a) <= tol) break;
    let c = b - (fb * (b - a)) / (fb - fa);
    // keep the iterate strictly inside the bracket (regula falsi can stall on an end point)
    if (!(c > Math.min(a, b) && c < Math.max(a, b))) c = 0.5 * (a + b);
    const fc = g(c);
    if (fc === 0) return c;
    if (fc * fb < 0) {
      a = b;
      fa = fb;
      b = c;
      fb = fc;
      side = 0;
    } else {
      b = c;
      fb = fc;
      // the same end point retained twice in a row: halve its value (the Illinois modification)
      if (side === -1) fa *= 0.5;
      side = -1;
    }
  }
  return Math.abs(fb) <= Math.abs(fa) ? b : a;
}
