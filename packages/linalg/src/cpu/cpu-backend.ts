import type { Backend, BackendInput, OutputSpec } from '../backend/backend.js';
import { type FloatArray, type TypedArray, allocTyped } from '../core/dtype.js';
import { fftRows } from '../fft/execute.js';
import { recycleStorage } from '../core/host-pool.js';
import type { Primitive, PrimitiveParams, ReduceParams } from '../core/primitives.js';
import { UnsupportedRoutineError } from '../core/errors.js';
import {
  binaryFns,
  castTo,
  compareFns,
  mapBinary,
  selectWhere,
  type unaryFns,
  unaryPrimitive,
} from './elementwise.js';
import { gemm } from '../kernels/gemm.js';
import { convCpu, convTransposeCpu, convWeightGradCpu } from './conv.js';
import { avgPoolCpu, maxPoolCpu } from './pool.js';
import { type Gemm, matmulCpu } from './matmul.js';
import { argReduce, reduceAxes } from './reduce.js';
import { cpuRoutines } from './routines.js';
import {
  broadcastCpu,
  concatCpu,
  gatherCpu,
  padCpu,
  scatterAddCpu,
  sliceCpu,
  transposeCpu,
} from './structural.js';

type Kernel<P extends Primitive> = (
  inputs: readonly BackendInput[],
  params: PrimitiveParams<P>,
  outputs: readonly OutputSpec[],
) => TypedArray[];

// the WebAssembly SIMD GEMM (which itself keeps tiny products in TypeScript and splits large ones across
// worker threads) is the default; setCpuGemm can swap in another, e.g. the reference for testing
const gemms: { float64: Gemm; float32: Gemm } = { float64: gemm as Gemm, float32: gemm as Gemm };

/** Installs a faster GEMM for one float dtype (the wasm SIMD kernels register themselves here). */
export function setCpuGemm(dtype: 'float64' | 'float32', gemm: Gemm): void {
  gemms[dtype] = gemm;
}

/** The GEMM the CPU backend's matmul uses for one float dtype (jit calls it into buffers of its own plan). */
export function cpuGemm(dtype: 'float64' | 'float32'): Gemm {
  return gemms[dtype];
}

const gemmFor = (o: OutputSpec): Gemm => gemms[o.dtype as 'float64' | 'float32'];

type In = readonly BackendInput[];
type Out = readonly OutputSpec[];
const unary =
  (p: keyof typeof unaryFns) =>
  ([x]: In, _p: unknown, [o]: Out) => [unaryPrimitive(p, x!, o!)];
const binary =
  (p: keyof typeof binaryFns) =>
  ([a, b]: In, _p: unknown, [o]: Out) => [mapBinary(a!, b!, o!, binaryFns[p], p)];
const compare =
  (p: keyof typeof compareFns) =>
  ([a, b]: In, _p: unknown, [o]: Out) => [mapBinary(a!, b!, o!, compareFns[p], p)];
const reduce =
  (p: 'sum' | 'prod' | 'max' | 'min') =>
  ([x]: In, params: ReduceParams, [o]: Out) => [reduceAxes(p, x!, params.axes, o!)];
const routine =
  <P extends keyof typeof cpuRoutines>(p: P): Kernel<P> =>
  (inputs, params, outputs) => {
    const impl = cpuRoutines[p];
    if (!impl)
      throw new UnsupportedRoutineError(p, `the cpu backend has no routine registered for '${p}'`);
    return impl(inputs, params, outputs);
  };

const kernels: { [P in Primitive]: Kernel<P> } = {
  neg: unary('neg'),
  abs: unary('abs'),
  sign: unary('sign'),
  floor: unary('floor'),
  exp: unary('exp'),
  log: unary('log'),
  log1p: unary('log1p'),
  expm1: unary('expm1'),
  sqrt: unary('sqrt'),
  sin: unary('sin'),
  cos: unary('cos'),
  tanh: unary('tanh'),
  sigmoid: unary('sigmoid'),
  add: binary('add'),
  sub: binary('sub'),
  mul: binary('mul'),
  div: binary('div'),
  pow: binary('pow'),
  maximum: binary('maximum'),
  minimum: binary('minimum'),
  less: compare('less'),
  lessEqual: compare('lessEqual'),
  greater: compare('greater'),
  greaterEqual: compare('greaterEqual'),
  equal: compare('equal'),
  notEqual: compare('notEqual'),
  sum: reduce('sum'),
  prod: reduce('prod'),
  max: reduce('max'),
  min: reduce('min'),
  argmax: ([x], p) => [argReduce('argmax', x!, p.axis)],
  argmin: ([x], p) => [argReduce('argmin', x!, p.axis)],
  // arrays are immutable, so a reshape can share the storage of its input
  reshape: ([x]) => [x!.handle as TypedArray],
  transpose: ([x], p, [o]) => [transposeCpu(x!, p.perm, o!)],
  broadcastTo: ([x], _p, [o]) => [broadcastCpu(x!, o!)],
  slice: ([x], p, [o]) => [sliceCpu(x!, p.starts, p.steps, o!)],
  pad: ([x], p, [o]) => [padCpu(x!, p.before, o!)],
  concat: (inputs, p, [o]) => [concatCpu(inputs, p.axis, o!)],
  gather: ([x, i], p, [o]) => [gatherCpu(x!, i!, p.axis, o!)],
  scatterAdd: ([u, i], p, [o]) => [scatterAddCpu(u!, i!, p.axis, o!)],
  where: ([c, a, b], _p, [o]) => [selectWhere(c!, a!, b!, o!)],
  cast: ([x], _p, [o]) => [castTo(x!, o!)],
  matmul: ([a, b], p, [o]) => [
    matmulCpu(a!, b!, p.transA, p.transB, o!, gemms[o!.dtype as 'float64' | 'float32']),
  ],
  triangularSolve: routine('triangularSolve'),
  cholesky: routine('cholesky'),
  lu: routine('lu'),
  qr: routine('qr'),
  eigh: routine('eigh'),
  svd: routine('svd'),
  conv: ([x, w], p, [o]) => [convCpu(x!, w!, o!, p, gemmFor(o!))],
  convTranspose: ([y, w], p, [o]) => [convTransposeCpu(y!, w!, o!, p, gemmFor(o!))],
  convWeightGrad: ([x, y], p, [o]) => [convWeightGradCpu(x!, y!, o!, p, gemmFor(o!))],
  maxPool: ([x], p, [o]) => maxPoolCpu(x!, o!, p),
  avgPool: ([x], p, [o]) => [avgPoolCpu(x!, o!, p)],
  // complex storage is interleaved (re, im), so both views share the input's storage, like reshape
  viewAsReal: ([x]) => [x!.handle as TypedArray],
  viewAsComplex: ([x]) => [x!.handle as TypedArray],
  fft: ([x], p, [o]) => {
    const n = x!.shape[x!.shape.length - 1]!;
    const out = allocTyped(o!.dtype, x!.size);
    fftRows(
      x!.handle as FloatArray,
      out as FloatArray,
      n === 0 ? 0 : x!.size / n,
      n,
      p.inverse,
      p.scale,
    );
    return [out];
  },
};

const ROUTINES = new Set<Primitive>(['triangularSolve', 'cholesky', 'lu', 'qr', 'eigh', 'svd']);

/** The built-in CPU backend: typed arrays in host memory, float64 by default. */
export const cpuBackend: Backend = {
  name: 'cpu',
  dtypes: ['float64', 'float32', 'int32', 'bool', 'complex128', 'complex64'],
  upload: (values: TypedArray) => values.slice(),
  download: async (handle: unknown) => (handle as TypedArray).slice(),
  downloadSync: (handle: unknown) => handle as TypedArray,
  free: () => {},
  // storage of a disposed array that nothing else sees goes to the pool allocTyped draws from
  recycle: recycleStorage,
  supports: (p: Primitive) =>
    !ROUTINES.has(p) || cpuRoutines[p as keyof typeof cpuRoutines] !== undefined,
  execute<P extends Primitive>(
    p: P,
    inputs: readonly BackendInput[],
    params: PrimitiveParams<P>,
    outputs: readonly OutputSpec[],
  ): unknown[] {
    return (kernels[p] as Kernel<P>)(inputs, params, outputs);
  },
};
