/**
 * Benchmark harness: times @sciml and a peer library side by side, interleaved, in one process,
 * and reports medians and ratios (`> 1` means @sciml is better). See benchmarks/README.md.
 */

export { buildResult, describeMachine, formatNumber, formatTable, writeResult } from './report.js';
export { DEFAULT_OUT_DIR, peersOf, runBenchmark } from './run.js';
export { makeMetric, median, ratio, throughputScale } from './stats.js';
export type { Metric } from './stats.js';
export { calibrate, lastResult, timeInterleaved } from './timing.js';
export type { Contender, TimingSettings } from './timing.js';
export type {
  BenchCase,
  BenchOptions,
  BenchResult,
  CaseSettings,
  Machine,
  Peer,
  ResultRow,
} from './types.js';
export { RATIO_DIRECTION } from './types.js';
export { loadJaxJsWasm, loadTfjsCoreWasm, loadTfjsWasm } from './peers.js';
