/** The result file and the printed table. */

import { writeFileSync, mkdirSync } from 'node:fs';
import { arch, cpus, loadavg, platform, release } from 'node:os';
import { join } from 'node:path';
import { type BenchResult, type Machine, type ResultRow, RATIO_DIRECTION } from './types.js';

/** The 1-minute load when the run began: set by `pnpm bench` before it starts the process, else read now. */
function startLoad(): number {
  const raw = process.env.SCIML_BENCH_START_LOAD;
  const given = raw === undefined || raw === '' ? Number.NaN : Number(raw);
  return Number.isFinite(given) ? given : loadavg()[0];
}

/**
 * Describes this machine: CPU model, logical cores, Node version, OS, the 1-minute load average
 * when the run began (figures taken on a busy machine are worth less), and the GPU when given.
 */
export function describeMachine(gpu?: string): Machine {
  const list = cpus();
  const machine: Machine = {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    node: process.version,
    platform: `${platform()} ${release()} ${arch()}`,
    loadAverage: Number(startLoad().toFixed(2)),
  };
  return gpu === undefined ? machine : { ...machine, gpu };
}

/** Assembles the JSON document of a run. */
export function buildResult(parts: {
  name: string;
  date: Date;
  machine: Machine;
  settings: BenchResult['settings'];
  rows: readonly ResultRow[];
}): BenchResult {
  return {
    name: parts.name,
    date: parts.date.toISOString(),
    machine: parts.machine,
    ratioDirection: RATIO_DIRECTION,
    settings: parts.settings,
    rows: parts.rows,
  };
}

/** Writes `<outDir>/<name>.json` and returns its path. */
export function writeResult(result: BenchResult, outDir: string): string {
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, `${result.name}.json`);
  writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
  return path;
}

/** Four significant digits, without exponent notation for everyday magnitudes. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  if (abs !== 0 && (abs >= 1e7 || abs < 1e-3)) return x.toExponential(3);
  return Number(x.toPrecision(4)).toString();
}

/** A plain-text table: case | metric | ours | peer | peerName | ratio. */
export function formatTable(result: BenchResult): string {
  const header = ['case', 'metric', 'ours', 'peer', 'peerName', 'ratio'];
  const body = result.rows.map((r) => [
    r.case,
    `${r.metric} (${r.unit})`,
    formatNumber(r.ours),
    formatNumber(r.peer),
    r.peerName,
    `${r.ratio.toFixed(2)}x`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(' | ');
  const rule = widths.map((w) => '-'.repeat(w)).join('-|-');
  const m = result.machine;
  const gpu = m.gpu === undefined ? '' : `, GPU ${m.gpu}`;
  return [
    `${result.name} — ${m.cpu} (${m.cores} cores, load ${m.loadAverage}), Node ${m.node}${gpu}`,
    line(header),
    rule,
    ...body.map(line),
    `(${result.ratioDirection}; medians of ${result.settings.reps} interleaved samples)`,
  ].join('\n');
}
