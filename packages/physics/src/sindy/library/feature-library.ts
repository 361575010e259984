import { type NDArray, ShapeError, ValueError } from '@sciml/linalg';
import { type Matrix, type MatrixLike, readMatrix, toNDArray } from '../matrix.js';

/**
 * What a candidate library must say about itself. Features are functions of one sample's state,
 * so the same definition builds the regression matrix Θ(X) and evaluates a fitted model's right-hand side.
 * @public
 */
export interface FeatureLibrarySpec {
  /** Short description, e.g. `polynomial(degree=2)`, used in model summaries. */
  readonly description: string;
  /** Number of features produced from `nInputs` state variables. */
  size(nInputs: number): number;
  /** Readable feature names in pysindy's style (`1`, `x`, `x y`, `x^2`, `sin(1 x)`), given the variables' names. */
  names(inputNames: readonly string[]): string[];
  /** Writes the features of one sample `x` (its length is the number of variables) to `out[offset …]`. */
  evaluate(x: ArrayLike<number>, out: Float64Array, offset: number): void;
}

/**
 * A candidate-function library Θ for SINDy (Brunton, Proctor & Kutz 2016): a spec plus `transform`, which
 * evaluates every feature on every sample.
 * @public
 */
export interface FeatureLibrary extends FeatureLibrarySpec {
  /** Θ(X): the (samples × features) matrix of every feature evaluated on every row of `x`. */
  transform(x: MatrixLike): NDArray;
}

/**
 * Turns a {@link FeatureLibrarySpec} into a {@link FeatureLibrary} (adds `transform`). Use it to write a
 * library of your own; `customLibrary` covers the common case of a few named functions.
 * @public
 */
export function defineLibrary(spec: FeatureLibrarySpec): FeatureLibrary {
  const lib: FeatureLibrary = {
    description: spec.description,
    size: (n) => spec.size(n),
    names: (inputNames) => spec.names(inputNames),
    evaluate: (x, out, offset) => spec.evaluate(x, out, offset),
    transform: (x) =>
      toNDArray(
        evaluateLibrary('FeatureLibrary.transform', lib, readMatrix('FeatureLibrary.transform', x)),
      ),
  };
  return lib;
}

/** Θ(X) as a plain matrix: every feature of `lib` on every row of `x`. */
export function evaluateLibrary(op: string, lib: FeatureLibrarySpec, x: Matrix): Matrix {
  const p = lib.size(x.cols);
  if (p < 1)
    throw new ShapeError(
      op,
      `the library ${lib.description} produces no features for ${x.cols} variables`,
    );
  const data = new Float64Array(x.rows * p);
  for (let i = 0; i < x.rows; i++) {
    lib.evaluate(x.data.subarray(i * x.cols, (i + 1) * x.cols), data, i * p);
  }
  return { rows: x.rows, cols: p, data };
}

/** Checks that a library was given as many variable names as it has variables. */
export function checkNames(op: string, names: readonly string[], nInputs: number): void {
  if (names.length !== nInputs) {
    throw new ValueError(
      op,
      `expected ${nInputs} variable names, got ${names.length} (${names.join(', ')})`,
    );
  }
}

/** Default variable names `x0, x1, …` (pysindy's), or `x, y, z` for three variables or fewer. */
export function defaultNames(n: number): string[] {
  if (n <= 3) return ['x', 'y', 'z'].slice(0, n);
  return Array.from({ length: n }, (_, i) => `x${i}`);
}
