// Progress of a sweep: counts, rate and ETA, drawn as one terminal line that rewrites itself.

/**
 * A snapshot of a running sweep.
 * @public
 */
export interface SweepProgress {
  /** Jobs in the sweep. */
  readonly total: number;
  /** Jobs with a result, those done in earlier runs included. */
  readonly done: number;
  /** Jobs that failed for good in this run. */
  readonly failed: number;
  /** Jobs whose results existed before this run (resumed, not re-run). */
  readonly skipped: number;
  /** Milliseconds since this run started. */
  readonly elapsedMs: number;
  /** Work in flight, in jobs: the sum of the running jobs' reported progress fractions. */
  readonly inFlight: number;
  /** Estimated milliseconds to the end (undefined until this run made measurable progress). */
  readonly etaMs: number | undefined;
}

/** Counts job ends and estimates the time left from this run's own rate. */
export class ProgressTracker {
  readonly #t0 = performance.now();
  #done: number;
  #failed = 0;
  readonly #partial = new Map<string, number>();

  constructor(
    readonly total: number,
    readonly skipped: number,
  ) {
    this.#done = skipped;
  }

  jobEnded(jobId: string, ok: boolean): void {
    this.#partial.delete(jobId);
    if (ok) this.#done++;
    else this.#failed++;
  }

  /** A running job reported its progress (a fraction in [0, 1]). */
  jobProgress(jobId: string, fraction: number): void {
    this.#partial.set(jobId, fraction);
  }

  snapshot(): SweepProgress {
    const elapsedMs = performance.now() - this.#t0;
    let inFlight = 0;
    for (const f of this.#partial.values()) inFlight += f;
    // jobs' worth of work done in this run, partial jobs included: the rate the ETA extrapolates
    const progressed = this.#done - this.skipped + this.#failed + inFlight;
    const left = this.total - this.#done - this.#failed - inFlight;
    return {
      total: this.total,
      done: this.#done,
      failed: this.#failed,
      skipped: this.skipped,
      elapsedMs,
      inFlight,
      etaMs: progressed <= 0 ? undefined : (elapsedMs / progressed) * Math.max(0, left),
    };
  }
}

/** Formats milliseconds as `1h02m`, `3m05s` or `12s`. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s >= 3600)
    return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/**
 * One line of progress: a bar, counts, rate and ETA, e.g.
 * `[#########-----------]  45/100  2 failed  12.5 jobs/s  ETA 4s`.
 * @public
 */
export function formatProgress(p: SweepProgress, width = 24): string {
  const ended = p.done + p.failed;
  const filled = p.total === 0 ? width : Math.round((ended / p.total) * width);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
  const count = `${String(ended).padStart(String(p.total).length)}/${p.total}`;
  const rate = p.elapsedMs > 0 ? ((ended - p.skipped) / p.elapsedMs) * 1000 : 0;
  const parts = [bar, count];
  if (p.failed > 0) parts.push(`${p.failed} failed`);
  if (p.skipped > 0) parts.push(`${p.skipped} resumed`);
  parts.push(`${rate.toFixed(1)} jobs/s`);
  parts.push(
    p.etaMs === undefined
      ? 'ETA --'
      : ended === p.total
        ? `in ${formatDuration(p.elapsedMs)}`
        : `ETA ${formatDuration(p.etaMs)}`,
  );
  return parts.join('  ');
}

/** A progress listener that redraws one line on a terminal stream (stderr by default), at most every 100 ms. */
export function terminalProgress(
  stream: NodeJS.WriteStream = process.stderr,
): (p: SweepProgress) => void {
  let last = 0;
  return (p) => {
    const now = performance.now();
    const final = p.done + p.failed === p.total;
    if (!final && now - last < 100) return;
    last = now;
    stream.write(`\r${formatProgress(p)}\u001b[K${final ? '\n' : ''}`);
  };
}
