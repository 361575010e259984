/**
 * What every example is: a name for `pnpm example <name>`, the course section it reproduces, and a `run` that
 * returns the reproduced numbers beside the theory's, plus one figure (a Vega-Lite spec).
 */
import type { TopLevelSpec } from 'vega-lite';

/** One reproduced number beside the value the theory predicts (NaN where the theory gives no number). */
export interface Check {
  /** What is compared, in words. */
  quantity: string;
  /** What the example measured. */
  measured: number;
  /** What the theory says. */
  theory: number;
  /** Why they should agree, or how closely (a tolerance, an asymptotic statement). */
  note?: string;
}

/** The output of one example run. */
export interface ExampleOutput {
  checks: Check[];
  /** The figure; the runner renders it to `<out>/<name>.svg`. */
  figure: TopLevelSpec;
  /** Extra lines printed after the table (remarks, errata in the notes). */
  remarks?: string[];
}

/** A runnable worked result of the course material. */
export interface Example {
  /** Command-line name, kebab-case. */
  name: string;
  /** One-line description (printed by `--list`). */
  title: string;
  /** Where the theory is in `shared/course-notes/`. */
  source: string;
  run(): ExampleOutput | Promise<ExampleOutput>;
}

/** |a − b| / max(|b|, tiny): the relative gap between a measured number and the theory. */
export function relativeGap(measured: number, theory: number): number {
  return Math.abs(measured - theory) / Math.max(Math.abs(theory), Number.MIN_VALUE);
}
