/**
 * A derivative that is identically zero where the function is not flat: the signature of a derivative that
 * cannot see how the function depends on x (values read in JavaScript are constants to autodiff, a
 * hand-written `jac` that returns zeros). Every method would stop at once with "gradient below tolerance"
 * and report success at the starting point, so `minimize` and `leastSquares` probe the function once —
 * only when the derivative is exactly zero, so a working derivative costs nothing — and report failure.
 */

/** A fixed direction without symmetry (|dᵢ| in [0.5, 1.5), alternating signs), so no simple f is flat along it. */
function probeDirection(n: number): Float64Array {
  return Float64Array.from(
    { length: n },
    (_, i) => (i % 2 ? -1 : 1) * (0.5 + ((i * 0.6180339887) % 1)),
  );
}

/**
 * Whether a function whose derivative is exactly zero at `x0` still changes along a probe: the central
 * difference (F(x0 + h d) − F(x0 − h d)) exceeds what rounding explains. `evaluate` returns the function's
 * value(s) (a scalar for `minimize`, the residual vector for `leastSquares`). A true stationary point
 * (a minimum of a smooth f) has a central difference of order h², far below the threshold.
 * Returns the largest change seen, or `undefined` when the function is flat there.
 */
export function changesAlongProbe(
  evaluate: (x: Float64Array) => ArrayLike<number>,
  x0: Float64Array,
): number | undefined {
  // with a synchronous `evaluate` the coroutine never yields: one `next()` runs it to the end
  // biome-ignore lint/correctness/useYield: the coroutine form of a plain function
  const steps = changesAlongProbe$(function* (x) {
    return evaluate(x);
  }, x0);
  return steps.next().value as number | undefined;
}

/** {@link changesAlongProbe} with `evaluate` a coroutine (so the values may be read asynchronously). */
export function* changesAlongProbe$<Req, Rep>(
  evaluate: (x: Float64Array) => Generator<Req, ArrayLike<number>, Rep>,
  x0: Float64Array,
): Generator<Req, number | undefined, Rep> {
  const n = x0.length;
  const scale = Math.max(1, ...Array.from(x0, Math.abs));
  const h = 1e-5 * scale;
  const d = probeDirection(n);
  const plus = yield* evaluate(Float64Array.from(x0, (v, i) => v + h * d[i]!));
  const minus = yield* evaluate(Float64Array.from(x0, (v, i) => v - h * d[i]!));
  const at = yield* evaluate(x0);
  let change = 0;
  let size = 0;
  for (let i = 0; i < at.length; i++) {
    change = Math.max(change, Math.abs(plus[i]! - minus[i]!));
    size = Math.max(size, Math.abs(at[i]!));
  }
  return change > 1e-8 * (1 + size) ? change : undefined;
}

/** The `message` of a result whose derivative was blind: what happened and the fix. */
export function blindDerivativeMessage(what: 'gradient' | 'Jacobian', change: number): string {
  return `the ${what} is identically zero at x0 but the ${what === 'gradient' ? 'objective' : 'residual'} changes nearby (by ${change.toExponential(2)} across a step of 2e-5): the ${what} does not see how it depends on x. Values read in JavaScript (dataSync(), item(), Math.*) are constants to autodiff — build the function from @sciml/linalg ops, or pass a correct \`jac\``;
}
