// Seeded, shuffling mini-batches over arrays that share their first axis; iterable with for-of and for-await.
import { type NDArray, ShapeError, ValueError, fromTypedArray, take } from '@sciml/linalg';
import { type RandomOptions, permutation, resolveRng } from '../random.js';

/**
 * Arrays to batch together: a tuple or a record of arrays with the same number of rows.
 * @public
 */
export type BatchSource = readonly NDArray[] | Readonly<Record<string, NDArray>>;

/**
 * An epoch's worth of mini-batches; iterate again for the next epoch (a new shuffle from the same stream).
 * @public
 */
export interface Batches<T extends BatchSource> extends Iterable<T>, AsyncIterable<T> {
  /** Number of batches per epoch. */
  readonly length: number;
}

/**
 * Options of {@link batches}.
 * @public
 */
export interface BatchOptions extends RandomOptions {
  /** Rows per batch. */
  batchSize: number;
  /** Shuffle rows each epoch (default true). */
  shuffle?: boolean;
  /** Drop the last batch when it is smaller than `batchSize` (default false). */
  dropLast?: boolean;
}

/**
 * Mini-batches of rows of `data` (same rows across all arrays), reshuffled each epoch from a seeded stream.
 * Works with `for (const b of ...)` and `for await (const b of ...)`.
 * @example
 * ```ts
 * for (let epoch = 0; epoch < 10; epoch++)
 *   for await (const [xb, yb] of loader) step(xb, yb);
 * ```
 * @public
 */
export function batches<T extends BatchSource>(data: T, options: BatchOptions): Batches<T> {
  const op = 'batches';
  const arrays = Object.values(data) as NDArray[];
  if (arrays.length === 0) throw new ValueError(op, 'needs at least one array');
  const n = arrays[0]!.shape[0];
  for (const a of arrays) {
    if (a.ndim === 0 || a.shape[0] !== n) {
      throw new ShapeError(
        op,
        `every array needs the same first dimension; got shapes ${arrays.map((b) => `(${b.shape.join(', ')})`).join(', ')}`,
      );
    }
  }
  const rows = n ?? 0;
  const { batchSize } = options;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1)
    throw new ValueError(op, `batchSize must be a positive integer, got ${batchSize}`);
  const dropLast = options.dropLast ?? false;
  const shuffle = options.shuffle ?? true;
  const rng = resolveRng(op, options);
  const length = dropLast ? Math.floor(rows / batchSize) : Math.ceil(rows / batchSize);
  const isTuple = Array.isArray(data);
  const keys = Object.keys(data);

  function* epoch(): Generator<T> {
    const order = shuffle ? permutation(rng, rows) : Int32Array.from({ length: rows }, (_, i) => i);
    for (let b = 0; b < length; b++) {
      const rowsOf = order.slice(b * batchSize, Math.min(rows, (b + 1) * batchSize));
      // the indices go where each array lives (a GPU's arrays are gathered on the GPU)
      const picked = arrays.map((a) =>
        take(a, fromTypedArray(rowsOf, [rowsOf.length], { backend: a.backend }), 0),
      );
      yield (isTuple
        ? picked
        : Object.fromEntries(keys.map((k, i) => [k, picked[i]]))) as unknown as T;
    }
  }
  return {
    length,
    [Symbol.iterator]: epoch,
    async *[Symbol.asyncIterator]() {
      yield* epoch();
    },
  };
}
