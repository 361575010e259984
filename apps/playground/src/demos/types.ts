/** What every playground page is: parameters in, numbers and plots out, the same in Node and in the browser. */
import type { TopLevelSpec } from 'vega-lite';

/** A slider of a page. */
export interface ParamSpec {
  /** Key in the parameter record. */
  name: string;
  label: string;
  min: number;
  max: number;
  step: number;
  value: number;
}

/** Where a demo may run its array work. */
export type BackendChoice = 'cpu' | 'webgpu';

/** What a running demo can tell the page while it works. */
export interface Progress {
  /** Fraction done, 0…1. */
  fraction: number;
  /** A line of status text. */
  message?: string;
  /** Plots to show while running (e.g. the loss curve so far). */
  plots?: TopLevelSpec[];
}

/** What a demo returns: named numbers (shown in a table and compared with Node by the tests), text, plots. */
export interface DemoResult {
  numbers: Record<string, number>;
  lines: string[];
  plots: TopLevelSpec[];
}

/** The context a demo runs in. */
export interface RunContext {
  backend: BackendChoice;
  /** Reports progress (the stop button terminates the demo's worker, so nothing needs polling). */
  progress: (p: Progress) => void;
  /** WebGPU's `GPU` object where the page offers one (navigator.gpu). */
  gpu?: GPU;
}

/** One page of the playground. */
export interface Demo {
  id: string;
  title: string;
  /** One paragraph on what the page shows and the maths behind it. */
  about: string;
  params: ParamSpec[];
  /** Whether the backend switch applies to this page (else it runs on the CPU's wasm kernels). */
  usesBackend?: boolean;
  run(params: Record<string, number>, ctx: RunContext): Promise<DemoResult>;
}

/** The default value of every slider. */
export function defaults(demo: Demo): Record<string, number> {
  return Object.fromEntries(demo.params.map((p) => [p.name, p.value]));
}
