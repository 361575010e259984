/** `runBenchmark`: measures every case against its peers and reports medians and ratios. */

import { fileURLToPath } from 'node:url';
import { buildResult, describeMachine, formatTable, writeResult } from './report.js';
import { makeMetric, median, ratio } from './stats.js';
import { timeInterleaved } from './timing.js';
import type { BenchCase, BenchOptions, BenchResult, Peer, ResultRow } from './types.js';

/** Default folder of the result files: `benchmarks/results/`. */
export const DEFAULT_OUT_DIR = fileURLToPath(new URL('../../results/', import.meta.url));

/** The peers of a case, from `peer`/`peerName` and `peers`. */
export function peersOf(c: BenchCase): Peer[] {
  const peers: Peer[] = [...(c.peers ?? [])];
  if (c.peer !== undefined) {
    if (c.peerName === undefined) {
      throw new TypeError(`runBenchmark: case '${c.case}' has a peer without a peerName.`);
    }
    peers.unshift({ name: c.peerName, run: c.peer });
  }
  if (peers.length === 0) {
    throw new TypeError(
      `runBenchmark: case '${c.case}' has no peer; every benchmark compares with one (peer or peers).`,
    );
  }
  return peers;
}

/** A positive integer from the environment, or `fallback`. */
function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`runBenchmark: ${name}=${raw} is not a non-negative number.`);
  }
  return value;
}

/**
 * Runs a benchmark: for each case, checks ours against every peer once (`verify`), then times
 * them interleaved in this process and reports the median of each. Prints a table, writes
 * `results/<name>.json` and returns the result.
 */
export async function runBenchmark(options: BenchOptions): Promise<BenchResult> {
  const settings = {
    warmup: envNumber('SCIML_BENCH_WARMUP', options.warmup ?? 3),
    reps: Math.max(1, envNumber('SCIML_BENCH_REPS', options.reps ?? 15)),
    minSampleMs: envNumber('SCIML_BENCH_MIN_SAMPLE_MS', options.minSampleMs ?? 25),
  };
  const clock = options.clock ?? (() => performance.now());
  const print = options.print ?? true;
  // the load average is read before the first case: read afterwards it counts the benchmark's own worker threads
  const machine = describeMachine(options.gpu);
  const rows: ResultRow[] = [];
  for (const c of options.cases) {
    const metric = makeMetric(c);
    const peers = peersOf(c);
    if (c.verify !== undefined) {
      const mine = await c.ours();
      for (const p of peers) c.verify(mine, await p.run(), p.name);
    }
    const contenders = [{ name: 'ours', run: c.ours }, ...peers];
    // a case's own settings, unless the environment sets them for the whole run
    const own = c.settings ?? {};
    const caseSettings = {
      warmup: envNumber('SCIML_BENCH_WARMUP', own.warmup ?? settings.warmup),
      reps: Math.max(1, envNumber('SCIML_BENCH_REPS', own.reps ?? settings.reps)),
      minSampleMs: envNumber('SCIML_BENCH_MIN_SAMPLE_MS', own.minSampleMs ?? settings.minSampleMs),
    };
    const differs =
      caseSettings.warmup !== settings.warmup ||
      caseSettings.reps !== settings.reps ||
      caseSettings.minSampleMs !== settings.minSampleMs;
    const seconds = await timeInterleaved(contenders, { ...caseSettings, clock });
    const values = seconds.map((s) => metric.fromSeconds(median(s)));
    peers.forEach((p, k) => {
      const ours = values[0];
      const peer = values[k + 1];
      rows.push({
        case: c.case,
        metric: metric.metric,
        unit: metric.unit,
        ours,
        peer,
        peerName: p.name,
        ratio: ratio(ours, peer, metric.higherIsBetter),
        ...(differs ? { settings: caseSettings } : {}),
      });
    });
    if (print) console.error(`  measured: ${c.case}`);
  }
  const result = buildResult({
    name: options.name,
    date: new Date(),
    machine,
    settings,
    rows,
  });
  if (print) console.log(`\n${formatTable(result)}\n`);
  const write = (options.write ?? true) && process.env.SCIML_BENCH_WRITE !== '0';
  if (write) {
    const outDir = process.env.SCIML_BENCH_OUT_DIR || options.outDir || DEFAULT_OUT_DIR;
    const path = writeResult(result, outDir);
    if (print) console.log(`wrote ${path}`);
  }
  return result;
}
