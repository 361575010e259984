import type { BackendInput, OutputSpec } from '../backend/backend.js';
import type { TypedArray } from '../core/dtype.js';
import type { LinalgPrimitive, PrimitiveParams } from '../core/primitives.js';
import { runBatched } from '../decomp/kernels/batch.js';
import { choleskyInPlace } from '../decomp/kernels/cholesky.js';
import { eighKernel } from '../decomp/kernels/eigh.js';
import { luInPlace } from '../decomp/kernels/lu.js';
import { qrKernel } from '../decomp/kernels/qr.js';
import { svdKernel } from '../decomp/kernels/svd.js';
import { triangularSolveInPlace } from '../decomp/kernels/triangular.js';

type Routine<P extends Exclude<LinalgPrimitive, 'matmul'>> = (
  inputs: readonly BackendInput[],
  params: PrimitiveParams<P>,
  outputs: readonly OutputSpec[],
) => TypedArray[];

/**
 * CPU implementations of the named matrix routines (the readable float64 references other backends may
 * replace). Each kernel works on one float64 row-major matrix; `runBatched` loops over leading axes,
 * computes float32 inputs in float64 and rounds the results to the output dtype.
 */
export const cpuRoutines: { [P in Exclude<LinalgPrimitive, 'matmul'>]?: Routine<P> } = {
  cholesky: (inputs, _p, outputs) =>
    runBatched('cholesky', inputs, outputs, [2], ([a]) => {
      choleskyInPlace(a!.data, a!.rows);
      return [a!.data];
    }),
  triangularSolve: (inputs, p, outputs) =>
    runBatched('triangularSolve', inputs, outputs, [2], ([t, b]) => {
      triangularSolveInPlace(t!.data, b!.data, t!.rows, b!.cols, p.lower, p.transA, p.unitDiagonal);
      return [b!.data];
    }),
  lu: (inputs, _p, outputs) =>
    runBatched('lu', inputs, outputs, [2, 1], ([a]) => {
      const perm = luInPlace(a!.data, a!.rows, a!.cols);
      return [a!.data, perm];
    }),
  qr: (inputs, p, outputs) =>
    runBatched('qr', inputs, outputs, [2, 2], ([a]) =>
      qrKernel(a!.data, a!.rows, a!.cols, p.mode === 'complete'),
    ),
  eigh: (inputs, _p, outputs) =>
    runBatched('eigh', inputs, outputs, [1, 2], ([a]) => eighKernel(a!.data, a!.rows)),
  svd: (inputs, p, outputs) =>
    runBatched('svd', inputs, outputs, [2, 1, 2], ([a]) =>
      svdKernel(a!.data, a!.rows, a!.cols, p.fullMatrices),
    ),
};
