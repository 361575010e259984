#!/usr/bin/env node
// `pnpm bench <name> [...]`: builds the @sciml packages the benchmark imports, then runs
// benchmarks/src/<name>.bench.ts with tsx (TypeScript straight from source; the @sciml packages
// resolve to their built dist/, the code users install).
//
//   pnpm bench dot                  one benchmark
//   pnpm bench dot matmul           several, one after the other
//   pnpm bench all                  every benchmarks/src/*.bench.ts
//   pnpm bench --list               what exists
// Flags: --reps N  --warmup N  --min-sample-ms N  (override the benchmark's own settings)
//        --no-write (don't write benchmarks/results/<name>.json)  --no-build (skip turbo build)

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const benchDir = join(root, 'benchmarks');
const srcDir = join(benchDir, 'src');

function available() {
  return readdirSync(srcDir)
    .filter((f) => f.endsWith('.bench.ts'))
    .map((f) => f.slice(0, -'.bench.ts'.length))
    .sort();
}

function usage(message) {
  if (message) console.error(`bench: ${message}`);
  console.error(
    'usage: pnpm bench <name...|all> [--reps N] [--warmup N] [--min-sample-ms N] [--no-write] [--no-build]',
  );
  console.error(`available: ${available().join(', ') || '(none)'}`);
  process.exit(message ? 1 : 0);
}

const env = { ...process.env };
const names = [];
let build = true;
const args = process.argv.slice(2).filter((a) => a !== '--');
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  const numeric = {
    '--reps': 'SCIML_BENCH_REPS',
    '--warmup': 'SCIML_BENCH_WARMUP',
    '--min-sample-ms': 'SCIML_BENCH_MIN_SAMPLE_MS',
  };
  if (arg in numeric) {
    const value = args[++i];
    if (value === undefined || !(Number(value) >= 0)) usage(`${arg} needs a non-negative number`);
    env[numeric[arg]] = value;
  } else if (arg === '--no-write') env.SCIML_BENCH_WRITE = '0';
  else if (arg === '--no-build') build = false;
  else if (arg === '--list') {
    console.log(available().join('\n'));
    process.exit(0);
  } else if (arg === '--help' || arg === '-h') usage();
  else if (arg.startsWith('-')) usage(`unknown flag ${arg}`);
  else if (arg === 'all') names.push(...available());
  else names.push(arg.replace(/\.bench\.ts$/, ''));
}
if (names.length === 0) usage('name a benchmark');
for (const name of names) {
  if (!existsSync(join(srcDir, `${name}.bench.ts`))) usage(`no benchmarks/src/${name}.bench.ts`);
}

function run(command, argv, cwd) {
  const r = spawnSync(command, argv, { cwd, env, stdio: 'inherit' });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

/** The @sciml packages a benchmark file imports (only those are built, so one broken package elsewhere does not block it). */
function sciMLImports(name) {
  const text = readFileSync(join(srcDir, `${name}.bench.ts`), 'utf8');
  return [...new Set([...text.matchAll(/from\s+['"](@sciml\/[\w-]+)/g)].map((m) => m[1]))];
}

const toBuild = [...new Set(names.flatMap(sciMLImports))];
if (build && toBuild.length > 0) {
  const filters = toBuild.map((p) => `--filter=${p}`);
  console.log(`building ${toBuild.join(', ')} (and what they depend on)`);
  const status = run(
    'pnpm',
    ['exec', 'turbo', 'run', 'build', ...filters, '--output-logs=errors-only'],
    root,
  );
  if (status !== 0) {
    console.error('bench: the build failed; fix it (pnpm build) before benchmarking.');
    process.exit(status);
  }
}

let failed = 0;
for (const name of names) {
  console.log(`\n== benchmark ${name} ==`);
  // the load before the process starts: a benchmark's own set-up (building a 10⁶-row matrix) raises it before
  // the harness could read it, and the harness records this value instead
  env.SCIML_BENCH_START_LOAD = String(loadavg()[0]);
  // --expose-gc lets the harness collect one contender's garbage before timing the other.
  const status = run(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', join('src', `${name}.bench.ts`)],
    benchDir,
  );
  if (status !== 0) {
    console.error(`bench: ${name} exited with status ${status}`);
    failed++;
  }
}
process.exit(failed === 0 ? 0 : 1);
