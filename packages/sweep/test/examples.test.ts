// The README's examples, run through the local runner on small designs, checked by what they compute.
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { grid } from '../src/design/grid.js';
import { product, seeds } from '../src/design/combine.js';
import { renderReport } from '../src/report/html.js';
import { localRunner } from '../src/run/local.js';
import { readResult } from '../src/store/index-file.js';
import { runSweep } from '../src/sweep.js';
import { tempDir } from './helpers.js';

const example = (path: string): string =>
  fileURLToPath(new URL(`../examples/${path}`, import.meta.url));
const tmp = tempDir();
afterAll(tmp.cleanup);
const runner = localRunner({ workers: 2 });

describe('examples', () => {
  it('SINDy ensemble: exact recovery without noise, coefficient error growing with noise, a heat map', async () => {
    const sweep = (await import(example('sindy-ensemble/sweep.mjs'))).sweep;
    expect(sweep.design).toHaveLength(100);
    const design = product(grid({ noise: [0, 0.02], threshold: [0.05, 0.5] }), seeds(2));
    const summary = await runSweep(
      { task: sweep.task, design, out: `${tmp.dir}/sindy` },
      { runner, progress: false },
    );
    expect(summary.done).toBe(8);
    const error = (noise: number, threshold: number) =>
      summary.index.rows
        .filter((r) => r.params.noise === noise && r.params.threshold === threshold)
        .map((r) => r.metrics.coefError as number);
    // clean data: the Lorenz coefficients to finite-difference accuracy, and the exact sparsity pattern
    for (const e of [...error(0, 0.05), ...error(0, 0.5)]) expect(e).toBeLessThan(1e-3);
    expect(
      summary.index.rows
        .filter((r) => r.params.noise === 0)
        .every((r) => r.metrics.support === true),
    ).toBe(true);
    // 2% noise: errors of order the noise, far above the clean fit's
    for (const e of [...error(0.02, 0.05), ...error(0.02, 0.5)]) expect(e).toBeGreaterThan(1e-3);
    const html = renderReport(summary.index, { x: 'noise', y: 'threshold', metric: 'coefError' });
    expect(html.match(/<rect /g)).toHaveLength(4);
  });

  it('hyper-parameter sweep: a good learning rate fits sin(πx), a tiny one barely moves; parameters stored as a pytree', async () => {
    const sweep = (await import(example('hyperparameters/sweep.mjs'))).sweep;
    expect(sweep.design).toHaveLength(16);
    const design = [
      { lr: 0.3, width: 16, steps: 200 },
      { lr: 0.001, width: 16, steps: 200 },
    ];
    const summary = await runSweep(
      { task: sweep.task, design, out: `${tmp.dir}/hyper` },
      { runner, progress: false },
    );
    const [good, tiny] = summary.index.rows.map((r) => r.metrics.valLoss as number);
    // the variance of sin(πx) on [−1, 1] is 1/2: a useful fit is far below it
    expect(good).toBeLessThan(0.05);
    expect(tiny).toBeGreaterThan(10 * good!);
    const stored = await readResult(summary.dir, summary.index.rows[0]!.jobId);
    expect(stored.arrays.get('params.w1')!.shape).toEqual([1, 16]);
    expect(stored.arrays.get('params.w2')!.shape).toEqual([16, 1]);
  });
});
