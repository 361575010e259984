import { describe, expect, it } from 'vitest';
import { makeMetric, median, ratio, throughputScale } from './stats.js';

describe('median', () => {
  it('takes the middle value of an odd count, whatever the order', () => {
    expect(median([5, 1, 9, 3, 7])).toBe(5);
  });

  it('averages the two middle values of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('is not moved by one outlier, unlike the mean', () => {
    expect(median([10, 11, 12, 1000])).toBe(11.5);
  });

  it('does not reorder its input', () => {
    const xs = [3, 1, 2];
    median(xs);
    expect(xs).toEqual([3, 1, 2]);
  });

  it('refuses an empty list', () => {
    expect(() => median([])).toThrow(/at least one value/);
  });
});

describe('ratio', () => {
  it('is ours/peer for a throughput: 10 GFLOP/s against 5 is 2 (we are better)', () => {
    expect(ratio(10, 5, true)).toBe(2);
  });

  it('is peer/ours for a time: 5 ms against 10 ms is 2 (we are better)', () => {
    expect(ratio(5, 10, false)).toBe(2);
  });

  it('is below 1 when the peer wins, in both directions', () => {
    expect(ratio(5, 10, true)).toBe(0.5);
    expect(ratio(10, 5, false)).toBe(0.5);
  });
});

describe('makeMetric', () => {
  it('reports time per call in ms by default, lower is better', () => {
    const m = makeMetric({});
    expect(m).toMatchObject({ metric: 'time', unit: 'ms', higherIsBetter: false });
    expect(m.fromSeconds(0.25)).toBeCloseTo(250, 12);
  });

  it('converts to the requested time unit', () => {
    expect(makeMetric({ unit: 'us' }).fromSeconds(2e-3)).toBeCloseTo(2000, 9);
    expect(makeMetric({ unit: 's' }).fromSeconds(2)).toBe(2);
  });

  it('reports work/time in GFLOP/s when work is given, higher is better', () => {
    const m = makeMetric({ work: 2e6 });
    expect(m).toMatchObject({ metric: 'throughput', unit: 'GFLOP/s', higherIsBetter: true });
    // 2e6 flops in 1 ms is 2e9 flop/s = 2 GFLOP/s.
    expect(m.fromSeconds(1e-3)).toBeCloseTo(2, 12);
  });

  it('keeps a custom metric name', () => {
    expect(makeMetric({ work: 1, unit: 'samples/s', metric: 'rate' }).metric).toBe('rate');
  });

  it('rejects contradictory or malformed specs', () => {
    expect(() => makeMetric({ higherIsBetter: true })).toThrow(/lower-is-better/);
    expect(() => makeMetric({ work: 1, higherIsBetter: false })).toThrow(/higher-is-better/);
    expect(() => makeMetric({ unit: 'GFLOP/s' })).toThrow(/not a time unit/);
    expect(() => makeMetric({ work: 0 })).toThrow(/positive/);
    expect(() => makeMetric({ work: 1, unit: 'GFLOP' })).toThrow(/must end in/);
  });
});

describe('throughputScale', () => {
  it('reads SI prefixes before an upper-case unit', () => {
    expect(throughputScale('GFLOP/s')).toBe(1e9);
    expect(throughputScale('MFLOP/s')).toBe(1e6);
    expect(throughputScale('TFLOP/s')).toBe(1e12);
    expect(throughputScale('kB/s')).toBe(1e3);
    expect(throughputScale('GB/s')).toBe(1e9);
  });

  it('reads no prefix in a plain word or a bare unit', () => {
    expect(throughputScale('FLOP/s')).toBe(1);
    expect(throughputScale('samples/s')).toBe(1);
    expect(throughputScale('kernels/s')).toBe(1);
    expect(throughputScale('B/s')).toBe(1);
  });
});
