/**
 * A step counter for the console: `[3/7] Discovering the equations …`. On a terminal it shows a spinner
 * and the elapsed time while a step runs and rewrites the line with ✓ when it ends; elsewhere (CI logs,
 * pipes) it prints one plain line per step, with no escape codes.
 */

/** Where progress goes: a stream with `write` and, for terminals, `isTTY`. */
export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Formats seconds for the console: `0.42 s`, `12.3 s`. */
export function formatSeconds(s: number): string {
  return s < 10 ? `${s.toFixed(2)} s` : `${s.toFixed(1)} s`;
}

export class Progress {
  readonly #total: number;
  readonly #out: ProgressStream;
  readonly #tty: boolean;
  #index = 0;

  constructor(total: number, out: ProgressStream = process.stderr) {
    this.#total = total;
    this.#out = out;
    this.#tty = out.isTTY === true && process.env.TERM !== 'dumb';
  }

  /** Runs one step, showing its label while it runs and its duration when done; rethrows its error. */
  async step<T>(label: string, work: () => T | Promise<T>): Promise<T> {
    this.#index++;
    const head = `[${this.#index}/${this.#total}] ${label}`;
    const start = performance.now();
    const elapsed = () => formatSeconds((performance.now() - start) / 1000);
    let frame = 0;
    let timer: ReturnType<typeof setInterval> | undefined;
    if (this.#tty) {
      const draw = () =>
        this.#out.write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${head} … ${elapsed()}`);
      draw();
      timer = setInterval(draw, 80);
    } else {
      this.#out.write(`${head} …`);
    }
    // Let the first frame reach the terminal before synchronous work blocks the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      const result = await work();
      this.#finish(
        timer,
        this.#tty ? `\r\x1b[2K✓ ${head} (${elapsed()})\n` : ` done (${elapsed()})\n`,
      );
      return result;
    } catch (e) {
      this.#finish(
        timer,
        this.#tty ? `\r\x1b[2K✗ ${head} (failed after ${elapsed()})\n` : ' failed\n',
      );
      throw e;
    }
  }

  #finish(timer: ReturnType<typeof setInterval> | undefined, line: string): void {
    if (timer) clearInterval(timer);
    this.#out.write(line);
  }
}
