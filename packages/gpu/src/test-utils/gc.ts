// Live-buffer counts in tests must not depend on when V8 collects garbage: an array nobody disposed frees
// its device buffer only when its FinalizationRegistry callback runs, which can land in the middle of a
// measurement and make a flat count look like a drop. Tests settle the garbage before they take a baseline.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const macrotask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Forces full collections and lets the finalisation callbacks run, until `count()` (e.g. the live-buffer
 * counter) is the same over three rounds in a row.
 */
export async function collectGarbage(count: () => number = () => 0): Promise<void> {
  let last = Number.NaN;
  let stable = 0;
  for (let round = 0; round < 50 && stable < 3; round++) {
    gc();
    await macrotask();
    await macrotask();
    const now = count();
    stable = now === last ? stable + 1 : 0;
    last = now;
  }
}
