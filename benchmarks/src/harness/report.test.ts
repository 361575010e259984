import { describe, expect, it } from 'vitest';
import { describeMachine, formatNumber } from './report.js';

describe('formatNumber', () => {
  it('keeps four significant digits', () => {
    expect(formatNumber(1.234567)).toBe('1.235');
    expect(formatNumber(1234.567)).toBe('1235');
    expect(formatNumber(0.012345)).toBe('0.01235');
  });

  it('switches to exponents for very large or small magnitudes', () => {
    expect(formatNumber(1.5e9)).toBe('1.500e+9');
    expect(formatNumber(2e-5)).toBe('2.000e-5');
    expect(formatNumber(0)).toBe('0');
  });
});

describe('describeMachine', () => {
  it('names the CPU, core count and Node version, and the GPU only when given', () => {
    const m = describeMachine();
    expect(m.node).toBe(process.version);
    expect(m.cores).toBeGreaterThan(0);
    expect(m.loadAverage).toBeGreaterThanOrEqual(0);
    expect('gpu' in m).toBe(false);
    expect(describeMachine('lavapipe').gpu).toBe('lavapipe');
  });

  it('records the load `pnpm bench` read before starting the process, not the load the set-up adds', () => {
    const saved = process.env.SCIML_BENCH_START_LOAD;
    try {
      process.env.SCIML_BENCH_START_LOAD = '0.42';
      expect(describeMachine().loadAverage).toBe(0.42);
      process.env.SCIML_BENCH_START_LOAD = '';
      expect(describeMachine().loadAverage).toBeGreaterThanOrEqual(0);
    } finally {
      if (saved === undefined) delete process.env.SCIML_BENCH_START_LOAD;
      else process.env.SCIML_BENCH_START_LOAD = saved;
    }
  });
});
