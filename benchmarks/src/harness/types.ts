/** Public types of the benchmark harness. */

/** A peer library's implementation of the same computation, on the same inputs. */
export interface Peer {
  /** Name shown in the table and the JSON, with what was called (e.g. `ml-matrix dot`). */
  readonly name: string;
  /** One call of the peer's computation; may return a promise, which is awaited. */
  readonly run: () => unknown;
}

/** One measured computation: ours against one or more peers. */
export interface BenchCase {
  /** What is computed and its size, e.g. `dot n=1e6 float64`. */
  readonly case: string;
  /** One call of @sciml's computation; may return a promise, which is awaited. */
  readonly ours: () => unknown;
  /** The peer (shorthand for one entry in `peers`). */
  readonly peer?: () => unknown;
  /** Name of `peer`. */
  readonly peerName?: string;
  /** Several peers: one row each. */
  readonly peers?: readonly Peer[];
  /**
   * Work done by one call (e.g. FLOPs). When given the case reports a throughput
   * (work / time, higher is better); otherwise the time per call (lower is better).
   */
  readonly work?: number;
  /** Unit of the reported value: a time unit (`ms` default, `s`, `us`, `ns`) or a `…/s` unit with `work` (`GFLOP/s` default). */
  readonly unit?: string;
  /** Metric name in the table (default `time` or `throughput`). */
  readonly metric?: string;
  /** Optional statement of intent; must agree with `work` (throughputs are higher-is-better). */
  readonly higherIsBetter?: boolean;
  /**
   * Called once before timing with one result of ours and of the peer; throw when they disagree,
   * so that a benchmark never compares two different computations.
   */
  readonly verify?: (ours: unknown, peer: unknown, peerName: string) => void;
  /**
   * This case's own rounds and sample length, overriding the benchmark's (the environment variables still
   * override both): more rounds or longer samples for a case whose peer varies from round to round.
   */
  readonly settings?: Partial<CaseSettings>;
}

/** Rounds and sample length of a case (see {@link BenchOptions}). */
export interface CaseSettings {
  readonly warmup: number;
  readonly reps: number;
  readonly minSampleMs: number;
}

/** Options of {@link runBenchmark}; environment variables override the numbers (see README). */
export interface BenchOptions {
  /** Name of the benchmark; the JSON goes to `results/<name>.json`. */
  readonly name: string;
  readonly cases: readonly BenchCase[];
  /** Rounds of untimed samples after calibration (default 3; env `SCIML_BENCH_WARMUP`). */
  readonly warmup?: number;
  /** Rounds of timed samples; the median is reported (default 15; env `SCIML_BENCH_REPS`). */
  readonly reps?: number;
  /** Each sample repeats a call until it lasts at least this long (default 25 ms; env `SCIML_BENCH_MIN_SAMPLE_MS`). */
  readonly minSampleMs?: number;
  /** GPU adapter description, recorded in `machine.gpu` for GPU benchmarks. */
  readonly gpu?: string;
  /** Folder of the JSON (default `benchmarks/results`; env `SCIML_BENCH_OUT_DIR`). */
  readonly outDir?: string;
  /** Write the JSON (default true; env `SCIML_BENCH_WRITE=0` turns it off). */
  readonly write?: boolean;
  /** Print the table (default true). */
  readonly print?: boolean;
  /** Clock in milliseconds (default `performance.now`); tests pass a fake one. */
  readonly clock?: () => number;
}

/** The machine a result was measured on. */
export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly node: string;
  readonly platform: string;
  /** 1-minute load average when the run began (0 on Windows). */
  readonly loadAverage: number;
  readonly gpu?: string;
}

/** One row of a result: one case against one peer. */
export interface ResultRow {
  readonly case: string;
  readonly metric: string;
  readonly unit: string;
  /** Median of ours, in `unit`. */
  readonly ours: number;
  /** Median of the peer, in `unit`. */
  readonly peer: number;
  readonly peerName: string;
  /** `> 1` means @sciml is better (see `ratioDirection`). */
  readonly ratio: number;
  /** The case's own rounds and sample length, where they differ from the benchmark's `settings`. */
  readonly settings?: CaseSettings;
}

/** What `results/<name>.json` holds. */
export interface BenchResult {
  readonly name: string;
  /** ISO 8601 time of the run. */
  readonly date: string;
  readonly machine: Machine;
  readonly ratioDirection: typeof RATIO_DIRECTION;
  readonly settings: {
    readonly warmup: number;
    readonly reps: number;
    readonly minSampleMs: number;
  };
  readonly rows: readonly ResultRow[];
}

/** The sentence every result carries so that a reader never guesses which way a ratio points. */
export const RATIO_DIRECTION = 'ratio > 1 means @sciml is better' as const;
