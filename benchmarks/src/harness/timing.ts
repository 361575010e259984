/** Interleaved timing: every contender is sampled once per round, so drift hits all alike. */

/** A function under measurement and its name. */
export interface Contender {
  readonly name: string;
  readonly run: () => unknown;
}

/** Settings of {@link timeInterleaved}. */
export interface TimingSettings {
  readonly warmup: number;
  readonly reps: number;
  readonly minSampleMs: number;
  /** Milliseconds. */
  readonly clock: () => number;
}

/** Last result of every call, kept so that no engine may drop a call whose value is unused. */
let sink: unknown;

/** The most recent value a measured call returned (exists so results stay observable). */
export function lastResult(): unknown {
  return sink;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** Runs `fn` `n` times back to back (awaiting promises) and returns the elapsed milliseconds. */
async function sample(fn: () => unknown, n: number, clock: () => number): Promise<number> {
  const start = clock();
  for (let i = 0; i < n; i++) {
    const r = fn();
    sink = isThenable(r) ? await r : r;
  }
  return clock() - start;
}

/**
 * Number of back-to-back calls that makes one sample last at least `minSampleMs`, so that a
 * call far shorter than the clock's resolution is still timed accurately. With `minSampleMs` ≤ 0 every
 * sample is one call, decided without calling `fn` (a call that takes minutes is not run just to learn that).
 */
export async function calibrate(
  fn: () => unknown,
  minSampleMs: number,
  clock: () => number,
): Promise<number> {
  if (minSampleMs <= 0) return 1;
  let n = 1;
  for (let attempt = 0; attempt < 40; attempt++) {
    const elapsed = await sample(fn, n, clock);
    if (elapsed >= minSampleMs) return n;
    // Jump towards the target (with 20 % margin), at least doubling; a zero reading only doubles.
    const guess = elapsed > 0 ? Math.ceil((n * minSampleMs * 1.2) / elapsed) : 2 * n;
    n = Math.min(Math.max(2 * n, guess), 2 ** 30);
  }
  return n;
}

/** Frees garbage left by the previous contender before a timed sample, when Node runs with --expose-gc. */
function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc === 'function') gc();
}

/**
 * Times all contenders in the same process on the same inputs: calibrate each, run `warmup`
 * untimed rounds, then `reps` timed rounds in which every contender takes one sample. The
 * starting contender rotates each round (ours, peer / peer, ours / ...) so that neither always
 * runs right after the other's garbage. Returns seconds per call: `[contender][rep]`.
 */
export async function timeInterleaved(
  contenders: readonly Contender[],
  settings: TimingSettings,
): Promise<number[][]> {
  const { warmup, reps, minSampleMs, clock } = settings;
  const calls: number[] = [];
  for (const c of contenders) calls.push(await calibrate(c.run, minSampleMs, clock));
  for (let w = 0; w < warmup; w++) {
    for (let i = 0; i < contenders.length; i++) await sample(contenders[i].run, calls[i], clock);
  }
  const seconds: number[][] = contenders.map(() => []);
  for (let r = 0; r < reps; r++) {
    for (let j = 0; j < contenders.length; j++) {
      const i = (r + j) % contenders.length;
      collectGarbage();
      const ms = await sample(contenders[i].run, calls[i], clock);
      seconds[i].push(ms / 1000 / calls[i]);
    }
  }
  return seconds;
}
