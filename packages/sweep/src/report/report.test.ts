import { describe, expect, it } from 'vitest';
import type { IndexRow, SweepIndex } from '../store/index-file.js';
import { aggregate, sweptParams } from './aggregate.js';
import { renderReport } from './html.js';
import { ProgressTracker, formatProgress } from './progress.js';
import { formatSummary } from './summary.js';

function row(params: Record<string, number>, error: number | undefined): IndexRow {
  return {
    jobId: JSON.stringify(params),
    index: 0,
    status: error === undefined ? 'failed' : 'done',
    params,
    metrics: error === undefined ? {} : { error },
    ...(error === undefined ? { error: { name: 'RangeError', message: 'boom' }, attempts: 2 } : {}),
  };
}

const rows: IndexRow[] = [];
for (const noise of [0, 0.1]) {
  for (const threshold of [0.05, 0.2]) {
    for (const seed of [0, 1]) rows.push(row({ noise, threshold, seed }, noise + threshold + seed));
  }
}
rows.push(row({ noise: 0.5, threshold: 0.05, seed: 0 }, undefined));
const index: SweepIndex = { dir: '/tmp/s', rows, done: 8, failed: 1, pending: 0 };

describe('report', () => {
  it('averages a metric over the unplotted parameters', () => {
    const cells = aggregate(rows, ['noise', 'threshold'], 'error');
    // mean over seeds 0 and 1 of noise + threshold + seed
    expect(cells.get(JSON.stringify([0.1, 0.2]))).toEqual({
      mean: 0.8,
      min: 0.30000000000000004,
      max: 1.3,
      count: 2,
    });
    expect(sweptParams(rows)).toEqual(['noise', 'threshold', 'seed']);
  });

  it('draws a heat map over two parameters with one cell per pair, and lists the failures', () => {
    const html = renderReport(index);
    expect(html).toContain('aria-label="heat map of error"');
    expect(html).toContain('(mean over seed)');
    // 3 noise values × 2 thresholds = 6 cells, one of them without a result
    expect(html.match(/<rect /g)).toHaveLength(6);
    expect(html).toContain('no result');
    expect(html).toContain('RangeError: boom');
  });

  it('draws a line plot when one parameter is named and none for the vertical axis exists', () => {
    const oneAxis = rows.filter((r) => r.params.threshold === 0.05 && r.params.seed === 0);
    const html = renderReport({ ...index, rows: oneAxis }, { x: 'noise' });
    expect(html).toContain('aria-label="line plot of error"');
    expect(() => renderReport(index, { metric: 'nope' })).toThrow(/no metric 'nope'/);
  });

  it('formats the summary and the progress line', () => {
    const text = formatSummary(index);
    expect(text).toMatch(/^9 jobs: 8 done, 1 failed, 0 pending/);
    expect(text).toMatch(/after 2 attempt\(s\): RangeError: boom/);
    const line = formatProgress({
      total: 10,
      done: 4,
      failed: 1,
      skipped: 2,
      elapsedMs: 1000,
      inFlight: 0,
      etaMs: 1500,
    });
    expect(line).toBe('[############------------]   5/10  1 failed  2 resumed  3.0 jobs/s  ETA 2s');
  });

  it("extrapolates the ETA from this run's progress, running jobs' fractions included", async () => {
    const tracker = new ProgressTracker(10, 2);
    expect(tracker.snapshot().etaMs).toBeUndefined();
    tracker.jobProgress('a', 0.5);
    await new Promise((r) => setTimeout(r, 5));
    const p = tracker.snapshot();
    expect(p.inFlight).toBe(0.5);
    // 0.5 job's worth in elapsedMs; 10 − 2 − 0.5 = 7.5 left
    expect(p.etaMs! / p.elapsedMs).toBeCloseTo(15, 10);
    tracker.jobEnded('a', true);
    expect(tracker.snapshot()).toMatchObject({ done: 3, inFlight: 0 });
  });
});
