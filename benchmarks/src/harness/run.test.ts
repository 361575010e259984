import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatTable } from './report.js';
import { runBenchmark } from './run.js';
import { RATIO_DIRECTION } from './types.js';

/**
 * A fake clock: each contender advances it by a fixed number of "milliseconds" per call, so
 * the medians are known exactly and no test depends on the real speed of the machine.
 */
function fakeWorld() {
  let now = 0;
  const log: string[] = [];
  const costing = (name: string, ms: number) => () => {
    now += ms;
    log.push(name);
    return name;
  };
  return { clock: () => now, log, costing, advance: (ms: number) => (now += ms) };
}

/** A settable 1-minute load average (undefined: the real one), to see when the harness reads it. */
const fakeLoad = vi.hoisted(() => ({ value: undefined as number | undefined }));
vi.mock('node:os', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:os')>();
  return {
    ...real,
    loadavg: () => (fakeLoad.value === undefined ? real.loadavg() : [fakeLoad.value, 0, 0]),
  };
});

const quiet = { print: false, write: false, warmup: 2, reps: 5, minSampleMs: 10 } as const;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('runBenchmark', () => {
  it('reports median time per call and peer/ours as the ratio of times', async () => {
    const w = fakeWorld();
    const result = await runBenchmark({
      ...quiet,
      name: 'fake',
      clock: w.clock,
      cases: [{ case: 'c', ours: w.costing('ours', 2), peer: w.costing('peer', 4), peerName: 'p' }],
    });
    expect(result.rows).toEqual([
      { case: 'c', metric: 'time', unit: 'ms', ours: 2, peer: 4, peerName: 'p', ratio: 2 },
    ]);
  });

  it('reports throughput from work and ours/peer as the ratio', async () => {
    const w = fakeWorld();
    const result = await runBenchmark({
      ...quiet,
      name: 'fake',
      clock: w.clock,
      cases: [
        {
          case: 'c',
          work: 1e6,
          ours: w.costing('ours', 2),
          peer: w.costing('peer', 4),
          peerName: 'p',
        },
      ],
    });
    const row = result.rows[0];
    // 1e6 flops in 2 ms = 0.5 GFLOP/s; in 4 ms = 0.25 GFLOP/s.
    expect(row.unit).toBe('GFLOP/s');
    expect(row.ours).toBeCloseTo(0.5, 12);
    expect(row.peer).toBeCloseTo(0.25, 12);
    expect(row.ratio).toBeCloseTo(2, 12);
  });

  it('writes one row per peer, with peer and peers combined', async () => {
    const w = fakeWorld();
    const result = await runBenchmark({
      ...quiet,
      name: 'fake',
      clock: w.clock,
      cases: [
        {
          case: 'c',
          ours: w.costing('ours', 3),
          peer: w.costing('a', 3),
          peerName: 'A',
          peers: [{ name: 'B', run: w.costing('b', 1) }],
        },
      ],
    });
    expect(result.rows.map((r) => [r.peerName, r.ratio])).toEqual([
      ['A', 1],
      ['B', 1 / 3],
    ]);
  });

  it('interleaves timed samples: one per contender per round, rotating who goes first', async () => {
    const w = fakeWorld();
    const reps = 4;
    await runBenchmark({
      ...quiet,
      reps,
      name: 'fake',
      clock: w.clock,
      cases: [{ case: 'c', ours: w.costing('o', 2), peer: w.costing('p', 4), peerName: 'p' }],
    });
    // minSampleMs 10: ours calibrates to 6 calls per sample (12 ms), the peer to 3 (12 ms).
    const ours = Array(6).fill('o');
    const peer = Array(3).fill('p');
    const rounds = Array.from({ length: reps }, (_, r) =>
      r % 2 === 0 ? [...ours, ...peer] : [...peer, ...ours],
    ).flat();
    expect(w.log.slice(-rounds.length)).toEqual(rounds);
  });

  it('with minSampleMs 0 runs each contender exactly warmup + reps times (no calibration call)', async () => {
    const w = fakeWorld();
    await runBenchmark({
      ...quiet,
      warmup: 1,
      reps: 2,
      minSampleMs: 0,
      name: 'fake',
      clock: w.clock,
      cases: [{ case: 'c', ours: w.costing('o', 2), peer: w.costing('p', 4), peerName: 'p' }],
    });
    expect(w.log).toEqual(['o', 'p', 'o', 'p', 'p', 'o']);
  });

  it("runs a case with its own settings (more rounds) and records them on that case's rows only", async () => {
    const w = fakeWorld();
    const result = await runBenchmark({
      ...quiet,
      warmup: 1,
      reps: 2,
      minSampleMs: 0,
      name: 'fake',
      clock: w.clock,
      cases: [
        { case: 'a', ours: w.costing('o', 2), peer: w.costing('p', 4), peerName: 'p' },
        {
          case: 'b',
          ours: w.costing('O', 2),
          peer: w.costing('P', 6),
          peerName: 'P',
          settings: { warmup: 0, reps: 3 },
        },
      ],
    });
    expect(w.log.filter((n) => n === 'O' || n === 'P')).toEqual(['O', 'P', 'P', 'O', 'O', 'P']);
    expect(result.rows[0]!.settings).toBeUndefined();
    expect(result.rows[1]!.settings).toEqual({ warmup: 0, reps: 3, minSampleMs: 0 });
    expect(result.rows[1]!.ratio).toBe(3);
  });

  it('awaits contenders that return promises', async () => {
    const w = fakeWorld();
    const result = await runBenchmark({
      ...quiet,
      name: 'fake',
      clock: w.clock,
      cases: [
        {
          case: 'async',
          ours: async () => {
            await Promise.resolve();
            w.advance(1);
          },
          peer: async () => {
            await new Promise((r) => setTimeout(r, 0));
            w.advance(5);
          },
          peerName: 'p',
        },
      ],
    });
    expect(result.rows[0]).toMatchObject({ ours: 1, peer: 5, ratio: 5 });
  });

  it('runs verify with one result of each, and stops on disagreement', async () => {
    const w = fakeWorld();
    const seen: unknown[] = [];
    await runBenchmark({
      ...quiet,
      name: 'fake',
      clock: w.clock,
      cases: [
        {
          case: 'c',
          ours: w.costing('o', 1),
          peer: w.costing('p', 1),
          peerName: 'p',
          verify: (a, b, name) => seen.push([a, b, name]),
        },
      ],
    });
    expect(seen).toEqual([['o', 'p', 'p']]);
    await expect(
      runBenchmark({
        ...quiet,
        name: 'fake',
        clock: w.clock,
        cases: [
          {
            case: 'c',
            ours: () => 1,
            peer: () => 2,
            peerName: 'p',
            verify: (a, b) => {
              if (a !== b) throw new Error(`results differ: ${a} vs ${b}`);
            },
          },
        ],
      }),
    ).rejects.toThrow('results differ: 1 vs 2');
  });

  it('refuses a case without a peer or a peer without a name', async () => {
    await expect(
      runBenchmark({ ...quiet, name: 'x', cases: [{ case: 'lonely', ours: () => 0 }] }),
    ).rejects.toThrow(/has no peer/);
    await expect(
      runBenchmark({ ...quiet, name: 'x', cases: [{ case: 'c', ours: () => 0, peer: () => 0 }] }),
    ).rejects.toThrow(/without a peerName/);
  });

  it('writes results/<name>.json with the documented shape', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sciml-bench-'));
    dirs.push(dir);
    const w = fakeWorld();
    const result = await runBenchmark({
      ...quiet,
      write: true,
      outDir: dir,
      gpu: 'llvmpipe',
      name: 'shape',
      clock: w.clock,
      cases: [{ case: 'c', ours: w.costing('o', 1), peer: w.costing('p', 2), peerName: 'p' }],
    });
    const json = JSON.parse(readFileSync(join(dir, 'shape.json'), 'utf8'));
    expect(json).toEqual(JSON.parse(JSON.stringify(result)));
    expect(Object.keys(json).sort()).toEqual(
      ['date', 'machine', 'name', 'ratioDirection', 'rows', 'settings'].sort(),
    );
    expect(json.name).toBe('shape');
    expect(json.ratioDirection).toBe(RATIO_DIRECTION);
    expect(json.ratioDirection).toBe('ratio > 1 means @sciml is better');
    expect(new Date(json.date).toISOString()).toBe(json.date);
    expect(json.machine).toMatchObject({ gpu: 'llvmpipe', node: process.version });
    expect(typeof json.machine.cpu).toBe('string');
    expect(json.machine.cores).toBeGreaterThan(0);
    expect(json.settings).toEqual({ warmup: 2, reps: 5, minSampleMs: 10 });
    expect(Object.keys(json.rows[0]).sort()).toEqual(
      ['case', 'metric', 'unit', 'ours', 'peer', 'peerName', 'ratio'].sort(),
    );
    expect(json.rows[0]).toMatchObject({ ours: 1, peer: 2, ratio: 2 });
  });

  it('records the load average from before the first case, not the load the cases themselves add', async () => {
    const w = fakeWorld();
    fakeLoad.value = 0.5;
    try {
      const result = await runBenchmark({
        ...quiet,
        name: 'load',
        clock: w.clock,
        cases: [
          {
            case: 'c',
            ours: () => {
              fakeLoad.value = 9; // the benchmark's own worker threads raise the load while it runs
              return w.costing('o', 1)();
            },
            peer: w.costing('p', 2),
            peerName: 'p',
          },
        ],
      });
      expect(result.machine.loadAverage).toBe(0.5);
    } finally {
      fakeLoad.value = undefined;
    }
  });

  it('prints every row in the table', async () => {
    const w = fakeWorld();
    const result = await runBenchmark({
      ...quiet,
      name: 'table',
      clock: w.clock,
      cases: [
        { case: 'dot n=8', ours: w.costing('o', 1), peer: w.costing('p', 2), peerName: 'lib' },
      ],
    });
    const table = formatTable(result);
    const lines = table.split('\n');
    expect(lines[1].split('|').map((s) => s.trim())).toEqual([
      'case',
      'metric',
      'ours',
      'peer',
      'peerName',
      'ratio',
    ]);
    expect(lines[3].split('|').map((s) => s.trim())).toEqual([
      'dot n=8',
      'time (ms)',
      '1',
      '2',
      'lib',
      '2.00x',
    ]);
  });
});
