import { type NDArray, array, exp, mul, sin, sum, tanh } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { GradientCheckError, checkGrad, checkGrads } from './check-grads.js';
import { customJvp } from './transforms/custom.js';
import { uniform } from './test-utils/random.js';

describe('checkGrads', () => {
  it('recurses to the requested order in the requested modes', () => {
    const report = checkGrads((x: NDArray) => sum(mul(sin(x), exp(x))), [array([0.3, -0.2])], {
      order: 3,
    });
    expect(report.ok).toBe(true);
    const orders = report.entries.map((e) => e.order);
    expect(Math.max(...orders)).toBe(3);
    // fwd and rev at order 1, each recursing into both modes: 2 + 4 + 8 checks
    expect(report.entries).toHaveLength(14);
    const fwdOnly = checkGrads((x: NDArray) => tanh(x), [array([0.1])], {
      order: 2,
      modes: ['fwd'],
    });
    expect(fwdOnly.entries.map((e) => e.mode)).toEqual(['fwd', 'fwd']);
    expect(checkGrad).toBe(checkGrads);
  });

  it('reports relative errors near rounding for correct rules in float64', () => {
    const report = checkGrads(
      (x: NDArray, y: NDArray) => [mul(x, y), sum(exp(x))],
      [uniform([3]), uniform([3], -1, 1, 2)],
    );
    expect(report.maxRelError).toBeLessThan(1e-8);
  });

  it('catches a wrong forward rule and names the mode and order', () => {
    const wrong = customJvp(
      (x: NDArray) => sin(x),
      ([t]) => mul(t!, 2),
    );
    let error: unknown;
    try {
      checkGrads(wrong, [array([0.4, 0.9])]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GradientCheckError);
    const report = (error as GradientCheckError).report;
    expect(report.entries.find((e) => e.mode === 'fwd')!.passed).toBe(false);
    expect(report.entries.find((e) => e.mode === 'rev')!.passed).toBe(true);
    expect((error as Error).message).toMatch(/fwd order 1/);
  });

  it('uses float32 step and tolerances for float32 arguments', () => {
    const report = checkGrads((x: NDArray) => tanh(x), [uniform([4], -1, 1, 3, 'float32')], {
      order: 2,
    });
    expect(report.ok).toBe(true);
    expect(report.maxRelError).toBeGreaterThan(1e-9); // float32 rounding is visible
  });
});
