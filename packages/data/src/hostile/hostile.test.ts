// The hostile-input corpus (issue 26), run case by case in child processes with a memory and time bound:
// each hostile file must end in a clear error (or a correct read) quickly and without a memory spike.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_CASES } from './corpus.js';
import type { CaseOutcome } from './run-case.js';

/** Peak resident memory allowed to a child reading one hostile file (Node and h5wasm alone take ~100 MB). */
const MEMORY_BOUND = 384 * 2 ** 20;
/** Wall-clock bound of one child; a runaway reader is killed here instead of hanging CI. */
const TIME_BOUND_MS = 30_000;
/** V8 heap cap of each child: a reader that builds huge JS structures dies instead of swapping. */
const HEAP_MB = 256;

const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
// inside the package, so the bundle's runtime import of h5wasm resolves from its node_modules
const runner = join(packageRoot, 'node_modules', '.cache', 'sciml-hostile', 'run-case.mjs');
let dir = '';
const paths = new Map<string, string>();
const peaks: [string, number, number][] = [];

beforeAll(async () => {
  await build({
    entryPoints: [fileURLToPath(new URL('./run-case.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: runner,
    conditions: ['@sciml/source'],
    logLevel: 'silent',
  });
  dir = await mkdtemp(join(tmpdir(), 'sciml-hostile-'));
  for (const c of HOSTILE_CASES) paths.set(c.name, await c.make(dir));
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  peaks.sort((a, b) => b[1] - a[1]);
  const rows = peaks.map(
    ([n, rss, ms]) => `  ${n.padEnd(32)} ${(rss / 2 ** 20).toFixed(0)} MiB  ${ms.toFixed(0)} ms`,
  );
  console.info(`hostile corpus, peak RSS per case (worst first):\n${rows.join('\n')}`);
});

function runCase(reader: string, path: string, options: Record<string, unknown> = {}): CaseOutcome {
  const child = spawnSync(
    process.execPath,
    [`--max-old-space-size=${HEAP_MB}`, runner, reader, path, JSON.stringify(options)],
    { encoding: 'utf8', timeout: TIME_BOUND_MS, killSignal: 'SIGKILL' },
  );
  if (child.error || child.status !== 0)
    throw new Error(
      `the child reading ${path} did not finish (status ${child.status}, signal ${child.signal}, ${child.error?.message ?? ''}): ${child.stderr.slice(-2000)}`,
    );
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as CaseOutcome;
}

// What a successful read of each 'ok' case must contain.
const CHECKS: Record<string, (summary: Record<string, unknown>) => void> = {
  'hdf5-hard-link-cycle': (s) => {
    expect(s.datasets).toEqual({ '/g/x': [3] });
    expect((s.skipped as Record<string, string>)['/g/loop']).toMatch(
      /hard link to the group \/, already read \(a cycle\)/,
    );
  },
  'hdf5-hard-link-diamond': (s) => {
    const datasets = Object.keys(s.datasets as object);
    expect(datasets).toEqual([`/l1${'/a'.repeat(39)}/leaf`]);
    // each level's second link, and the root's own links to /l2 … /l40: each reported once, walked never
    expect(Object.keys(s.skipped as object)).toHaveLength(78);
  },
  'csv-prototype-column-names': (s) => {
    expect(Object.entries(s.columns as object)).toEqual([
      ['constructor', { dtype: 'float64', values: [300, -1] }],
      ['__proto__', { dtype: 'float64', values: [1, 3] }],
      ['toString', { dtype: 'float64', values: [2, 4] }],
      ['b', { dtype: 'float64', values: [1, 2] }],
    ]);
  },
};

describe('hostile inputs end in a clear error or a correct read, within memory and time bounds', () => {
  for (const c of HOSTILE_CASES) {
    it(`${c.reader}: ${c.name}`, () => {
      const out = runCase(c.reader, paths.get(c.name)!, c.options);
      peaks.push([c.name, out.maxRss, out.ms]);
      if (c.expect === 'ok') {
        expect(out.error).toBeUndefined();
        CHECKS[c.name]!(out.summary!);
      } else {
        expect(out.ok).toBe(false);
        expect(out.error!.name).toBe('DataFormatError');
        expect(out.error!.message).toMatch(c.expect);
      }
      expect(out.maxRss).toBeLessThan(MEMORY_BOUND);
    });
  }
});
