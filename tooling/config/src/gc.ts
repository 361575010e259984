// Tests that measure memory (heap bytes, live device buffers) must not depend on when V8 collects garbage:
// they force full collections before each reading. One copy of the `--expose-gc` set-up for every package.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

/** Runs a full, synchronous garbage collection (V8's `gc()`, exposed on first use, not at import). */
export function fullGc(): void {
  if (gc === undefined) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

const macrotask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Forces full collections and lets the finalisation callbacks run (an array nobody disposed frees its device
 * buffer only in its FinalizationRegistry callback), until `count()` — e.g. a live-buffer counter — is the
 * same over three rounds in a row.
 */
export async function collectGarbage(count: () => number = () => 0): Promise<void> {
  let last = Number.NaN;
  let stable = 0;
  for (let round = 0; round < 50 && stable < 3; round++) {
    fullGc();
    await macrotask();
    await macrotask();
    const now = count();
    stable = now === last ? stable + 1 : 0;
    last = now;
  }
}
