// Child-process entry of the hostile corpus: `node run-case.mjs <reader> <path> <options-json>` reads one
// file with one reader and prints one JSON line: the outcome, and the process's peak resident memory.
import { readFile } from 'node:fs/promises';
import { readJsonArray } from '../io/json.js';
import { readCsvFile, readNpyFile, readNpzFile, readSafetensorsFile } from '../node/files.js';
import { readHdf5 } from '../node/hdf5.js';
import type { HostileReader } from './corpus.js';

/** One line of the child's output. */
export interface CaseOutcome {
  ok: boolean;
  /** The error's class name and message, when the read failed. */
  error?: { name: string; message: string };
  /** A short description of what was read, when it succeeded. */
  summary?: Record<string, unknown>;
  /** Peak resident set size of the child, bytes. */
  maxRss: number;
  /** Milliseconds spent in the reader. */
  ms: number;
}

async function read(
  reader: HostileReader,
  path: string,
  options: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  switch (reader) {
    case 'npy': {
      const r = await readNpyFile(path, options);
      return { shape: r.array.shape };
    }
    case 'safetensors': {
      const r = await readSafetensorsFile(path, options);
      return { tensors: [...r.tensors.keys()] };
    }
    case 'npz': {
      const r = await readNpzFile(path, options);
      return { arrays: [...r.keys()] };
    }
    case 'hdf5': {
      const r = await readHdf5(path, options);
      return {
        datasets: Object.fromEntries([...r.datasets].map(([k, v]) => [k, v.shape])),
        skipped: Object.fromEntries(r.skipped),
      };
    }
    case 'csv': {
      const t = await readCsvFile(path, options);
      return {
        columns: Object.fromEntries(
          [...t.columns].map(([k, v]) => [
            k,
            Array.isArray(v) ? v : { dtype: v.dtype, values: Array.from(v.dataSync()) },
          ]),
        ),
      };
    }
    case 'json': {
      const a = readJsonArray(await readFile(path, 'utf8'), options);
      return { dtype: a.dtype, values: Array.from(a.dataSync()) };
    }
  }
}

async function main(): Promise<void> {
  const [reader, path, optionsJson] = process.argv.slice(2) as [HostileReader, string, string];
  const start = performance.now();
  let outcome: Omit<CaseOutcome, 'maxRss' | 'ms'>;
  try {
    outcome = { ok: true, summary: await read(reader, path, JSON.parse(optionsJson ?? '{}')) };
  } catch (e) {
    const err = e as Error;
    outcome = { ok: false, error: { name: err.constructor.name, message: err.message } };
  }
  const ms = performance.now() - start;
  const result: CaseOutcome = { ...outcome, maxRss: process.resourceUsage().maxRSS * 1024, ms };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();
