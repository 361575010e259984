import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../cpu/cpu-backend.js';
import { conformanceCases, primitivesWithoutCases } from './conformance.js';

describe.each(['float64', 'float32'] as const)('CPU backend conformance (%s)', (dtype) => {
  it.each(conformanceCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const out = c.run({ backend: cpuBackend, dtype });
    expect(out.shape).toEqual(c.shape);
    const tol = dtype === 'float64' ? 1e-12 : 2e-6;
    const got = Array.from(out.dataSync());
    expect(got.length).toBe(c.expected.length);
    got.forEach((v, i) => {
      const e = c.expected[i]!;
      if (Number.isNaN(e)) expect(v).toBeNaN();
      else expect(Math.abs(v - e)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(e)));
    });
  });
});

describe('conformance coverage', () => {
  it('covers every non-routine primitive', () => {
    // the matrix routines have their own suites (src/decomp); the complex primitives have cases here and
    // fuller suites in src/fft/fft.test.ts and src/ops/complex.test.ts
    expect(primitivesWithoutCases.sort()).toEqual([
      'cholesky',
      'eigh',
      'lu',
      'qr',
      'svd',
      'triangularSolve',
    ]);
  });
});
