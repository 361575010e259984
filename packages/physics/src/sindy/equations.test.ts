import { describe, expect, it } from 'vitest';
import { formatEquation } from './equations.js';

describe('formatEquation', () => {
  it('writes signed terms with fixed precision, pysindy-style', () => {
    expect(formatEquation('x', [0, -10, 10], ['1', 'x', 'y'], 3)).toBe("x' = -10.000 x + 10.000 y");
    expect(formatEquation('y', [0, 28, -1, -0.99995], ['1', 'x', 'y', 'x z'], 3)).toBe(
      "y' = 28.000 x - 1.000 y - 1.000 x z",
    );
  });

  it('prints the constant feature as a bare number and skips terms that round to zero', () => {
    expect(formatEquation('z', [-0.5, 0.0004, 2], ['1', 'x', 'x^2'], 3)).toBe(
      "z' = -0.500 + 2.000 x^2",
    );
    expect(formatEquation('z', [0.5, 0, 2], ['1', 'x', 'x^2'], 1)).toBe("z' = 0.5 + 2.0 x^2");
  });

  it('prints 0 when every term vanishes', () => {
    expect(formatEquation('u', [0, 1e-9], ['1', 'u'], 2)).toBe("u' = 0.00");
  });
});
