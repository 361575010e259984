// A derivative that cannot see the function (identically zero where the function is not flat) must not end
// in `success: true` at the starting point.
import {
  type NDArray,
  TracedValueError,
  array,
  fromTypedArray,
  mul,
  sub,
  sum,
  zeros,
} from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { leastSquares, minimize, rosenbrock } from './index.js';

const t = [0, 1, 2, 3, 4];
const y = [2.0, 1.2, 0.75, 0.44, 0.27];
/** The residual of optim's old README example: computed on JavaScript numbers read out of q. */
const residualOnNumbers = (q: NDArray) => {
  const [a, k] = q.dataSync();
  return fromTypedArray(Float64Array.from(t, (ti, i) => a! * Math.exp(-k! * ti) - y[i]!));
};

describe('derivatives that cannot see the function', () => {
  it('the old README residual (values read with dataSync) now fails loudly under autodiff', () => {
    expect(() => leastSquares(residualOnNumbers, [1, 0.1])).toThrow(TracedValueError);
    expect(() => leastSquares(residualOnNumbers, [1, 0.1])).toThrow(
      /dataSync: .*traced by jacobian/,
    );
  });

  it('leastSquares with an all-zero Jacobian at a non-stationary start reports success: false', () => {
    const res = leastSquares(residualOnNumbers, [1, 0.1], { jac: () => zeros([5, 2]) });
    expect(res.success).toBe(false);
    expect(res.nit).toBe(0);
    expect(res.message).toMatch(/Jacobian is identically zero at x0 but the residual changes/);
  });

  it('minimize with an all-zero gradient at a non-stationary start reports success: false', () => {
    const p = rosenbrock(2);
    for (const method of ['lbfgs', 'bfgs', 'gd', 'cg'] as const) {
      const res = minimize(p.f, array(p.x0), { method, jac: (x) => zeros([x.size]) });
      expect(res.success, method).toBe(false);
      expect(res.message).toMatch(/gradient is identically zero at x0 but the objective changes/);
    }
  });

  it('a genuinely stationary start still succeeds (minimum of Σx², a residual that does not depend on x)', () => {
    const bowl = minimize((x: NDArray) => sum(mul(x, x)), array([0, 0, 0]));
    expect(bowl.success).toBe(true);
    expect(bowl.message).not.toMatch(/identically zero/);
    const constant = leastSquares((x: NDArray) => sub(mul(x, 0), array([1, 2])), [3, 4]);
    expect(constant.success).toBe(true);
  });
});
