/**
 * The primitives on the GPU. Elementwise ops and views (broadcastTo, transpose, slice, reshape of flat
 * views) build fusion DAGs; everything else records a kernel on materialised, contiguous inputs.
 * The table is typed over every primitive, so a new primitive without a GPU entry does not compile.
 */
import {
  type BackendInput,
  type OutputSpec,
  type Primitive,
  type PrimitiveParams,
  UnsupportedRoutineError,
  convDims,
  poolDims,
  sizeOf,
  stridesOf,
} from '@sciml/linalg';
import {
  type ElementOp,
  type Expr,
  type ExprNode,
  broadcastExpr,
  reshapeExpr,
  sliceExpr,
  transposeExpr,
} from '../lazy/expr.js';
import {
  MATMUL_BATCH_LIMIT,
  canVectorize,
  matmulGroups,
  matmulKernel,
  matmulParams,
} from '../kernels/matmul.js';
import {
  avgPoolKernel,
  convKernel,
  convParams,
  convTransposeKernel,
  convWeightGradKernel,
  maxPoolKernel,
  poolParams,
} from '../kernels/conv.js';
import { bluesteinTables } from '@sciml/linalg/kernels';
import type { KernelSource } from '../exec/pipelines.js';
import type { Storage } from '../memory/pool.js';
import { type Accumulate, argReduceKernel, planReduce } from '../kernels/reduce.js';
import {
  bluesteinCropKernel,
  bluesteinMulKernel,
  bluesteinPadKernel,
  complexScaleKernel,
  stockhamPassKernel,
} from '../kernels/fft.js';
import { gatherKernel, placeKernel, scatterAddKernel } from '../kernels/structural.js';
import { Params, grid, rowsFor } from '../kernels/wgsl.js';
import type { GpuContext } from './context.js';
import type { GpuArray } from './handle.js';

type In = readonly BackendInput[];
type Out = readonly OutputSpec[];
type Impl<P extends Primitive> = (
  ctx: GpuContext,
  inputs: In,
  params: PrimitiveParams<P>,
  outputs: Out,
) => GpuArray[];

/** A handle for `expr`, computed at once when fusion is off. */
function finish(ctx: GpuContext, expr: Expr, out: OutputSpec, op: string): GpuArray {
  const h = ctx.pending(expr);
  if (!ctx.options.fusion)
    ctx.materialize({ handle: h, shape: out.shape, dtype: out.dtype, size: sizeOf(out.shape) }, op);
  return h;
}

/** An elementwise op of broadcast inputs, fused with pending inputs when the DAG fits one kernel. */
function fuse(ctx: GpuContext, op: ElementOp, inputs: In, out: OutputSpec): GpuArray {
  const build = (): Expr => {
    const roots: ExprNode[] = inputs.map((x) => broadcastExpr(ctx.exprOf(x, op), out.shape).root);
    return { shape: out.shape, root: { kind: 'op', op, dtype: out.dtype, args: roots } };
  };
  let expr = build();
  if (!ctx.fits(expr)) {
    // compute pending inputs; constants stay parameters (a buffer for them would outlive the op)
    for (const x of inputs) if (ctx.stateOf(x, op).expr) ctx.materialize(x, op);
    expr = build();
  }
  return finish(ctx, expr, out, op);
}

const elementwise =
  (op: ElementOp) =>
  (ctx: GpuContext, inputs: In, _p: unknown, [o]: Out) => [fuse(ctx, op, inputs, o!)];

const reduce =
  (op: Accumulate): Impl<Accumulate> =>
  (ctx, [x], p, [o]) => {
    let input = ctx.materialize(x!, op);
    const passes = planReduce(op, x!.dtype, x!.shape, p.axes, ctx.options.subgroups);
    let owned: ReturnType<GpuContext['output']> | undefined;
    for (const pass of passes) {
      const out = ctx.output(pass.outSize, op);
      ctx.run(pass.kernel, pass.params, [out.buffer, input.buffer], pass.groups);
      owned?.release();
      owned = out;
      input = out;
    }
    if (!owned) throw new Error('reduction planned no pass (internal error)');
    if (sizeOf(o!.shape) !== passes[passes.length - 1]!.outSize)
      throw new Error('reduction output size mismatch (internal error)');
    return [ctx.wrap(owned)];
  };

const argReduce =
  (op: 'argmax' | 'argmin'): Impl<'argmax' | 'argmin'> =>
  (ctx, [x], p, [o]) => {
    const src = ctx.materialize(x!, op);
    const n = x!.shape[p.axis]!;
    const inner = sizeOf(x!.shape.slice(p.axis + 1));
    const total = sizeOf(o!.shape);
    const out = ctx.output(total, op);
    ctx.run(
      argReduceKernel(op, x!.dtype),
      new Params().u32(total).u32(n).u32(inner),
      [out.buffer, src.buffer],
      grid(total),
    );
    return [ctx.wrap(out)];
  };

/** Writes contiguous `x` into `out` at `base + Σ c_d · outStrides_d`. */
function place(
  ctx: GpuContext,
  x: BackendInput,
  out: GPUBuffer,
  outStrides: readonly number[],
  base: number,
  op: string,
): void {
  if (x.size === 0) return;
  const src = ctx.materialize(x, op);
  const p = new Params().u32(x.size);
  for (const d of x.shape) p.u32(d);
  for (const s of outStrides) p.u32(s);
  p.u32(base);
  ctx.run(placeKernel(x.shape.length, rowsFor(p.length)), p, [out, src.buffer], grid(x.size));
}

/** Strides of `inShape`'s batch axes (in matrices) seen through broadcasting to `batchShape`. */
function batchStrides(inBatch: readonly number[], batchShape: readonly number[]): number[] {
  const s = stridesOf(inBatch);
  const off = batchShape.length - inBatch.length;
  return batchShape.map((_, j) => (j < off || inBatch[j - off] === 1 ? 0 : s[j - off]!));
}

/** Records a kernel with one fresh output of `out`'s size, bound first, then the inputs' buffers. */
function direct(
  ctx: GpuContext,
  kernel: KernelSource,
  params: Params,
  inputs: In,
  out: OutputSpec,
): GpuArray {
  const buffers = inputs.map((x) => ctx.materialize(x, kernel.name).buffer);
  const size = sizeOf(out.shape);
  const dst = ctx.output(size, kernel.name);
  if (size > 0) ctx.run(kernel, params, [dst.buffer, ...buffers], grid(size));
  return ctx.wrap(dst);
}

/**
 * The transform of every row (last axis) of complex64 `z`: log₂ n Stockham passes for a power-of-two n (see
 * kernels/fft.ts), Bluestein's chirp-z convolution at the next power of two m ≥ 2n − 1 for any other n.
 */
function fftRows(ctx: GpuContext, z: BackendInput, inverse: boolean, scale: number): GpuArray {
  const n = z.shape[z.shape.length - 1] ?? 1;
  const count = sizeOf(z.shape);
  const src = ctx.materialize(z, 'fft');
  const out = ctx.output(2 * count, 'fft');
  if (count === 0) return ctx.wrap(out);
  const rows = count / n;
  if (n === 1) {
    ctx.run(
      complexScaleKernel(),
      new Params().u32(count).f32(scale),
      [out.buffer, src.buffer],
      grid(count),
    );
  } else if ((n & (n - 1)) === 0) {
    stockhamPasses(ctx, src.buffer, out, rows, n, inverse, scale);
  } else {
    bluesteinRows(ctx, src.buffer, out, rows, n, inverse, scale);
  }
  return ctx.wrap(out);
}

/** log₂ n Stockham passes over `rows` rows of power-of-two length n ≥ 2 from `input` into `out`, times `scale`. */
function stockhamPasses(
  ctx: GpuContext,
  input: GPUBuffer,
  out: Storage,
  rows: number,
  n: number,
  inverse: boolean,
  scale: number,
): void {
  const passes = Math.round(Math.log2(n));
  // ping-pong so that the last pass lands in `out`
  const tmp = passes > 1 ? ctx.output(2 * rows * n, 'fft') : out;
  const kernel = stockhamPassKernel();
  let from = input;
  for (let s = 0; s < passes; s++) {
    const target = (passes - 1 - s) % 2 === 0 ? out.buffer : tmp.buffer;
    const params = new Params()
      .u32(rows)
      .u32(n)
      .u32(2 ** s)
      .f32(inverse ? 1 : -1)
      .f32(s === passes - 1 ? scale : 1);
    ctx.run(kernel, params, [target, from], grid((rows * n) / 2));
    from = target;
  }
  if (tmp !== out) tmp.release();
}

/** Float32 Bluestein tables per length (computed in float64 by @sciml/linalg); past 16 lengths the oldest entry goes. */
const chirpCache = new Map<number, { m: number; chirp: Float32Array; kernelHat: Float32Array }>();
const CHIRP_CACHE_LIMIT = 16;

function chirpFor(n: number): { m: number; chirp: Float32Array; kernelHat: Float32Array } {
  const hit = chirpCache.get(n);
  if (hit) return hit;
  const m = 2 ** Math.ceil(Math.log2(2 * n - 1));
  const t = bluesteinTables(n, m);
  const entry = { m, chirp: Float32Array.from(t.chirp), kernelHat: Float32Array.from(t.kernelHat) };
  if (chirpCache.size >= CHIRP_CACHE_LIMIT) chirpCache.delete(chirpCache.keys().next().value!);
  chirpCache.set(n, entry);
  return entry;
}

/** A pooled buffer holding `values` (released by the caller once the kernels reading it are recorded). */
function uploaded(ctx: GpuContext, values: Float32Array): Storage {
  const s = ctx.pool.acquire(values.byteLength, 'fft');
  ctx.device.queue.writeBuffer(s.buffer, 0, values.buffer, values.byteOffset, values.byteLength);
  return s;
}

/**
 * Rows of any length n by Bluestein (1970): X = c ⊙ IFFT_m(FFT_m(x ⊙ c) ⊙ FFT_m(c̄ wrapped)) with the chirp
 * c_j = e^{−iπ j²/n} and m the power of two ≥ 2n − 1, so both transforms are Stockham passes; the inverse is
 * conj(F(conj x)). Five kernels per call: pad, FFT, multiply, FFT, crop.
 */
function bluesteinRows(
  ctx: GpuContext,
  input: GPUBuffer,
  out: Storage,
  rows: number,
  n: number,
  inverse: boolean,
  scale: number,
): void {
  const { m, chirp, kernelHat } = chirpFor(n);
  const conj = inverse ? -1 : 1;
  const c = uploaded(ctx, chirp);
  const hat = uploaded(ctx, kernelHat);
  const a = ctx.output(2 * rows * m, 'fft');
  const b = ctx.output(2 * rows * m, 'fft');
  ctx.run(
    bluesteinPadKernel(),
    new Params()
      .u32(rows * m)
      .u32(n)
      .u32(m)
      .f32(conj),
    [a.buffer, input, c.buffer],
    grid(rows * m),
  );
  stockhamPasses(ctx, a.buffer, b, rows, m, false, 1);
  ctx.run(
    bluesteinMulKernel(),
    new Params().u32(rows * m).u32(m),
    [a.buffer, b.buffer, hat.buffer],
    grid(rows * m),
  );
  stockhamPasses(ctx, a.buffer, b, rows, m, false, 1);
  ctx.run(
    bluesteinCropKernel(),
    new Params()
      .u32(rows * n)
      .u32(n)
      .u32(m)
      .f32(conj)
      .f32(scale),
    [out.buffer, b.buffer, c.buffer],
    grid(rows * n),
  );
  for (const s of [a, b, c, hat]) s.release();
}

const routine = (p: Primitive) => (): GpuArray[] => {
  throw new UnsupportedRoutineError(
    p,
    `the webgpu backend does not implement '${p}'; move the inputs to the cpu backend`,
  );
};

/** GPU implementation of every primitive. */
export const gpuOps: { [P in Primitive]: Impl<P> } = {
  neg: elementwise('neg'),
  abs: elementwise('abs'),
  sign: elementwise('sign'),
  floor: elementwise('floor'),
  exp: elementwise('exp'),
  log: elementwise('log'),
  log1p: elementwise('log1p'),
  expm1: elementwise('expm1'),
  sqrt: elementwise('sqrt'),
  sin: elementwise('sin'),
  cos: elementwise('cos'),
  tanh: elementwise('tanh'),
  sigmoid: elementwise('sigmoid'),
  add: elementwise('add'),
  sub: elementwise('sub'),
  mul: elementwise('mul'),
  div: elementwise('div'),
  pow: elementwise('pow'),
  maximum: elementwise('maximum'),
  minimum: elementwise('minimum'),
  less: elementwise('less'),
  lessEqual: elementwise('lessEqual'),
  greater: elementwise('greater'),
  greaterEqual: elementwise('greaterEqual'),
  equal: elementwise('equal'),
  notEqual: elementwise('notEqual'),
  where: elementwise('where'),
  cast: elementwise('cast'),
  sum: reduce('sum'),
  prod: reduce('prod'),
  max: reduce('max'),
  min: reduce('min'),
  argmax: argReduce('argmax'),
  argmin: argReduce('argmin'),
  broadcastTo: (ctx, [x], p, [o]) => [
    finish(ctx, broadcastExpr(ctx.exprOf(x!, 'broadcastTo'), p.shape), o!, 'broadcastTo'),
  ],
  transpose: (ctx, [x], p, [o]) => [
    finish(ctx, transposeExpr(ctx.exprOf(x!, 'transpose'), p.perm), o!, 'transpose'),
  ],
  slice: (ctx, [x], p, [o]) => [
    finish(ctx, sliceExpr(ctx.exprOf(x!, 'slice'), p.starts, p.steps, p.lengths), o!, 'slice'),
  ],
  reshape: (ctx, [x], p, [o]) => {
    const state = ctx.stateOf(x!, 'reshape');
    if (state.constant) return [ctx.constant(state.constant.value, state.constant.dtype)];
    if (state.expr) {
      const e = reshapeExpr(state.expr, p.shape);
      if (e) return [finish(ctx, e, o!, 'reshape')];
    }
    // arrays are immutable, so a reshape shares the buffer
    return [ctx.wrap(ctx.materialize(x!, 'reshape').retain())];
  },
  pad: (ctx, [x], p, [o]) => {
    const size = sizeOf(o!.shape);
    const out = ctx.output(size, 'pad');
    ctx.recorder.clear(out.buffer, 0, size * 4);
    const strides = stridesOf(o!.shape);
    const base = p.before.reduce((s, b, d) => s + b * strides[d]!, 0);
    place(ctx, x!, out.buffer, strides, base, 'pad');
    return [ctx.wrap(out)];
  },
  concat: (ctx, inputs, p, [o]) => {
    const out = ctx.output(sizeOf(o!.shape), 'concat');
    const strides = stridesOf(o!.shape);
    let offset = 0;
    for (const x of inputs) {
      place(ctx, x, out.buffer, strides, offset * strides[p.axis]!, 'concat');
      offset += x.shape[p.axis]!;
    }
    return [ctx.wrap(out)];
  },
  gather: (ctx, [x, idx], p, [o]) => {
    const src = ctx.materialize(x!, 'gather');
    const ind = ctx.materialize(idx!, 'gather');
    const total = sizeOf(o!.shape);
    const out = ctx.output(total, 'gather');
    const params = new Params()
      .u32(total)
      .u32(x!.shape[p.axis]!)
      .u32(idx!.size)
      .u32(sizeOf(x!.shape.slice(p.axis + 1)));
    ctx.run(
      gatherKernel(x!.dtype),
      params,
      [out.buffer, src.buffer, ind.buffer, ctx.status],
      grid(total),
    );
    return [ctx.wrap(out)];
  },
  scatterAdd: (ctx, [u, idx], p, [o]) => {
    const upd = ctx.materialize(u!, 'scatterAdd');
    const ind = ctx.materialize(idx!, 'scatterAdd');
    const size = sizeOf(o!.shape);
    const out = ctx.output(size, 'scatterAdd');
    ctx.recorder.clear(out.buffer, 0, size * 4);
    const params = new Params()
      .u32(u!.size)
      .u32(p.shape[p.axis]!)
      .u32(idx!.size)
      .u32(sizeOf(p.shape.slice(p.axis + 1)));
    ctx.run(
      scatterAddKernel(u!.dtype),
      params,
      [out.buffer, upd.buffer, ind.buffer, ctx.status],
      grid(u!.size),
    );
    return [ctx.wrap(out)];
  },
  matmul: (ctx, [a, b], p, [o]) => {
    const nd = o!.shape.length;
    const m = o!.shape[nd - 2]!;
    const n = o!.shape[nd - 1]!;
    const k = p.transA ? a!.shape[a!.shape.length - 2]! : a!.shape[a!.shape.length - 1]!;
    const size = sizeOf(o!.shape);
    const out = ctx.output(size, 'matmul');
    if (size === 0) return [ctx.wrap(out)];
    if (k === 0) {
      ctx.recorder.clear(out.buffer, 0, size * 4);
      return [ctx.wrap(out)];
    }
    const A = ctx.materialize(a!, 'matmul');
    const B = ctx.materialize(b!, 'matmul');
    const batchShape = o!.shape.slice(0, -2);
    const aStrides = batchStrides(a!.shape.slice(0, -2), batchShape);
    const bStrides = batchStrides(b!.shape.slice(0, -2), batchShape);
    const batches = sizeOf(batchShape);
    const tile = ctx.tile;
    const kernel = matmulKernel(
      tile,
      p.transA,
      p.transB,
      canVectorize(m, n, k, p.transA, p.transB),
      batchShape.length,
    );
    const [gx, gy] = matmulGroups(tile, m, n);
    for (let b0 = 0; b0 < batches; b0 += MATMUL_BATCH_LIMIT) {
      const params = matmulParams(m, n, k, b0, batchShape, aStrides, bStrides);
      ctx.run(
        kernel,
        params,
        [out.buffer, A.buffer, B.buffer],
        [gx, gy, Math.min(MATMUL_BATCH_LIMIT, batches - b0)],
      );
    }
    return [ctx.wrap(out)];
  },
  triangularSolve: routine('triangularSolve'),
  cholesky: routine('cholesky'),
  lu: routine('lu'),
  qr: routine('qr'),
  eigh: routine('eigh'),
  svd: routine('svd'),
  // complex64 is stored interleaved (re, im), so both views share the input's buffer, like reshape
  viewAsReal: (ctx, [z]) => [ctx.wrap(ctx.materialize(z!, 'viewAsReal').retain())],
  viewAsComplex: (ctx, [x]) => [ctx.wrap(ctx.materialize(x!, 'viewAsComplex').retain())],
  fft: (ctx, [z], p) => [fftRows(ctx, z!, p.inverse, p.scale)],
  // the three partial maps of one trilinear form: which operand is x, w or y differs, the sizes do not
  conv: (ctx, [x, w], p, [y]) => [
    direct(ctx, convKernel(), convParams(convDims(x!.shape, w!.shape, y!.shape, p)), [x!, w!], y!),
  ],
  convTranspose: (ctx, [y, w], p, [x]) => [
    direct(
      ctx,
      convTransposeKernel(),
      convParams(convDims(x!.shape, w!.shape, y!.shape, p)),
      [y!, w!],
      x!,
    ),
  ],
  convWeightGrad: (ctx, [x, y], p, [w]) => [
    direct(
      ctx,
      convWeightGradKernel(),
      convParams(convDims(x!.shape, w!.shape, y!.shape, p)),
      [x!, y!],
      w!,
    ),
  ],
  maxPool: (ctx, [x], p, [y, i]) => {
    const size = sizeOf(y!.shape);
    const values = ctx.output(size, 'maxPool');
    const indices = ctx.output(size, 'maxPool');
    const src = ctx.materialize(x!, 'maxPool');
    if (size > 0) {
      const params = poolParams(poolDims(x!.shape, i!.shape, p));
      ctx.run(maxPoolKernel(), params, [values.buffer, src.buffer, indices.buffer], grid(size));
    }
    return [ctx.wrap(values), ctx.wrap(indices)];
  },
  avgPool: (ctx, [x], p, [y]) => [
    direct(
      ctx,
      avgPoolKernel(),
      poolParams(poolDims(x!.shape, y!.shape, p), p.countIncludePad),
      [x!],
      y!,
    ),
  ],
};
