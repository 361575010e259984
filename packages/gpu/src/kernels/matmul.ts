/**
 * Batched float32 matmul C = op(A)·op(B) over broadcast batch axes, tiled for the GPU memory hierarchy:
 * a workgroup of WX×WY threads computes a BM×BN tile of C (BM = WY·TM, BN = WX·TN), staging BK-deep slabs
 * of A and B in workgroup (shared) memory; each thread keeps a TM×TN block of C in registers (register
 * blocking) and reads TM + TN shared values per k for TM·TN multiply-adds. Transposed operands change only
 * how tiles are loaded (loads stay coalesced either way). Edges that are not multiples of the tile are
 * guarded: out-of-range loads read zero and out-of-range stores are skipped.
 *
 * When K, and the loaded dimension of each operand, are multiples of 4, tiles are loaded as vec4<f32>.
 *
 * Reference: the classic shared-memory GEMM decomposition (Volkov & Demmel, "Benchmarking GPUs to tune
 * dense linear algebra", SC 2008), as in most WebGPU matmul kernels (tfjs-backend-webgpu's matmul_packed).
 */
import type { KernelSource } from '../exec/pipelines.js';
import { Params, int, paramsDecl, rowsFor } from './wgsl.js';

/** A tile shape: threads per workgroup (wx × wy), outputs per thread (tm × tn), depth of a slab (bk). */
export interface MatmulTile {
  /** Threads per workgroup along the columns of C. */
  readonly wx: number;
  /** Threads per workgroup along the rows of C. */
  readonly wy: number;
  /** Rows of C per thread. */
  readonly tm: number;
  /** Columns of C per thread. */
  readonly tn: number;
  /** Depth of a shared-memory slab; 0 = no shared memory (each thread reads its operands directly). */
  readonly bk: number;
}

/** Tile shapes the autotuner chooses from (all fit 16 KiB of workgroup memory and 256 threads). */
export const MATMUL_TILES: readonly MatmulTile[] = [
  { wx: 16, wy: 16, tm: 4, tn: 4, bk: 16 },
  { wx: 16, wy: 16, tm: 8, tn: 8, bk: 8 },
  { wx: 16, wy: 8, tm: 4, tn: 8, bk: 16 },
  { wx: 8, wy: 8, tm: 4, tn: 4, bk: 16 },
  // without shared memory: CPU implementations (lavapipe) cache operands themselves, and barriers are
  // costly there; large register blocks win (measured on lavapipe: 8x4 threads of 8x8 ≈ 6× the 16x16_4x4 tile)
  { wx: 8, wy: 4, tm: 8, tn: 8, bk: 0 },
  { wx: 4, wy: 4, tm: 8, tn: 8, bk: 0 },
  { wx: 8, wy: 4, tm: 4, tn: 8, bk: 0 },
];

/** Default tile before (or without) autotuning: shared-memory tiles on GPUs, direct loads on CPU adapters. */
export function defaultTile(isSoftware: boolean): MatmulTile {
  return isSoftware ? MATMUL_TILES[4]! : MATMUL_TILES[0]!;
}

/** Short name of a tile, e.g. `16x16_4x4_k16`. */
export function tileName(t: MatmulTile): string {
  return `${t.wx}x${t.wy}_${t.tm}x${t.tn}_${t.bk > 0 ? `k${t.bk}` : 'direct'}`;
}

/** Whether the vec4 load path applies to these dimensions. */
export function canVectorize(
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
): boolean {
  // A's rows have length K (or M when transposed), B's rows N (or K when transposed)
  const aRow = transA ? m : k;
  const bRow = transB ? k : n;
  return aRow % 4 === 0 && bRow % 4 === 0;
}

/** `n` statements from `f(i)`, one per line. */
function unrolled(n: number, f: (i: number) => string): string {
  return Array.from({ length: n }, (_, i) => f(i)).join('\n      ');
}

/** Accumulators acc_r_c as scalar variables (registers), zero-initialised. */
function declareAcc(tm: number, tn: number): string {
  const names: string[] = [];
  for (let r = 0; r < tm; r++) for (let c = 0; c < tn; c++) names.push(`var acc${r}_${c} = 0.0;`);
  return names.join('\n  ');
}

/** acc_r_c += a_r · b_c for the whole register block. */
function accumulate(tm: number, tn: number): string {
  const lines: string[] = [];
  for (let r = 0; r < tm; r++)
    for (let c = 0; c < tn; c++) lines.push(`acc${r}_${c} = fma(a${r}, b${c}, acc${r}_${c});`);
  return lines.join('\n      ');
}

/** Guarded stores of the register block to C (row and column expressions per index). */
function storeAcc(
  tm: number,
  tn: number,
  row: (r: number) => string,
  col: (c: number) => string,
): string {
  const lines: string[] = [];
  for (let r = 0; r < tm; r++) {
    lines.push(`{ let gm = ${row(r)};`);
    lines.push('  if (gm < M) {');
    for (let c = 0; c < tn; c++) {
      lines.push(
        `    { let gn = ${col(c)}; if (gn < N) { C[cOff + gm * N + gn] = acc${r}_${c}; } }`,
      );
    }
    lines.push('  } }');
  }
  return lines.join('\n  ');
}

/** Shared header of both kernel kinds: parameters, bindings, batch offsets. */
function header(rows: number, batchRank: number, elem: string): string {
  const batchLines: string[] = [];
  for (let d = batchRank - 1; d >= 0; d--) {
    batchLines.push(`{ let c = rem % pu(${5 + d}u); rem = rem / pu(${5 + d}u);`);
    batchLines.push(
      `  aOff += c * pu(${5 + batchRank + d}u); bOff += c * pu(${5 + 2 * batchRank + d}u); }`,
    );
  }
  return `${paramsDecl(rows)}
@group(0) @binding(1) var<storage, read_write> C: array<f32>;
@group(0) @binding(2) var<storage, read> A: array<${elem}>;
@group(0) @binding(3) var<storage, read> B: array<${elem}>;
fn batchOffsets(batch: u32) -> vec2<u32> {
  var aOff = 0u;
  var bOff = 0u;
  var rem = batch;
  ${batchLines.join('\n  ')}
  return vec2<u32>(aOff * pu(0u) * pu(2u), bOff * pu(2u) * pu(1u));
}`;
}

/**
 * Kernel without shared memory: each thread owns a TM×TN block of C (contiguous rows and columns) and
 * streams its rows of op(A) and columns of op(B) from memory. Out-of-range rows and columns are clamped
 * for loading (no branches in the k loop) and skipped when storing.
 */
function directKernel(
  tile: MatmulTile,
  transA: boolean,
  transB: boolean,
  batchRank: number,
): KernelSource {
  const { wx, wy, tm, tn } = tile;
  const rows = rowsFor(5 + 3 * batchRank);
  const aIndex = (r: number) => (transA ? `k * M + ra${r}` : `ra${r} * K + k`);
  const bIndex = (c: number) => (transB ? `cb${c} * K + k` : `k * N + cb${c}`);
  const code = `${header(rows, batchRank, 'f32')}
@compute @workgroup_size(${int(wx)}, ${int(wy)})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let M = pu(0u);
  let N = pu(1u);
  let K = pu(2u);
  let batch = wid.z + pu(3u);
  let offs = batchOffsets(batch);
  let aOff = offs.x;
  let bOff = offs.y;
  let row0 = (wid.y * ${int(wy)}u + lid.y) * ${int(tm)}u;
  let col0 = (wid.x * ${int(wx)}u + lid.x) * ${int(tn)}u;
  if (row0 >= M || col0 >= N) { return; }
  ${unrolled(tm, (r) => `let ra${r} = min(row0 + ${int(r)}u, M - 1u);`)}
  ${unrolled(tn, (c) => `let cb${c} = min(col0 + ${int(c)}u, N - 1u);`)}
  ${declareAcc(tm, tn)}
  for (var k = 0u; k < K; k++) {
      ${unrolled(tm, (r) => `let a${r} = A[aOff + ${aIndex(r)}];`)}
      ${unrolled(tn, (c) => `let b${c} = B[bOff + ${bIndex(c)}];`)}
      ${accumulate(tm, tn)}
  }
  let cOff = batch * M * N;
  ${storeAcc(
    tm,
    tn,
    (r) => `row0 + ${int(r)}u`,
    (c) => `col0 + ${int(c)}u`,
  )}
}`;
  const name = `matmul_${tileName(tile)}${transA ? '_tA' : ''}${transB ? '_tB' : ''}`;
  return { key: `${name}|b${batchRank}|${rows}`, name, code };
}

/** Generates the kernel for one tile shape, transposition and load width. */
export function matmulKernel(
  tile: MatmulTile,
  transA: boolean,
  transB: boolean,
  vec4: boolean,
  batchRank: number,
): KernelSource {
  if (tile.bk === 0) return directKernel(tile, transA, transB, batchRank);
  return sharedKernel(tile, transA, transB, vec4, batchRank);
}

/** Kernel with shared-memory slabs (see the file comment). */
function sharedKernel(
  tile: MatmulTile,
  transA: boolean,
  transB: boolean,
  vec4: boolean,
  batchRank: number,
): KernelSource {
  const { wx, wy, tm, tn, bk } = tile;
  const BM = wy * tm;
  const BN = wx * tn;
  const NT = wx * wy;
  const rows = rowsFor(5 + 3 * batchRank);
  const V = vec4 ? 4 : 1;
  const elem = vec4 ? 'vec4<f32>' : 'f32';
  // A tile (BM × BK of op(A)): stored rows of A have length K (or M when transposed)
  const aRowsTile = transA ? bk : BM; // stored rows covered by the tile
  const aColsTile = transA ? BM : bk; // stored columns covered (contiguous)
  const bRowsTile = transB ? BN : bk;
  const bColsTile = transB ? bk : BN;
  const store = (r: string, c: string, isA: boolean, value: string) => {
    // element (r, c) of the stored tile goes to shared[k][m] (A) or shared[k][n] (B); stored rows are
    // m for A, k for Aᵀ, k for B and n for Bᵀ
    const trans = isA ? transA : transB;
    const [k, mn] = isA !== trans ? [c, r] : [r, c];
    return isA
      ? `As[(${k}) * ${BM}u + (${mn})] = ${value};`
      : `Bs[(${k}) * ${BN}u + (${mn})] = ${value};`;
  };
  const loadTile = (isA: boolean) => {
    const rowsT = isA ? aRowsTile : bRowsTile;
    const colsT = isA ? aColsTile : bColsTile;
    const vecs = (rowsT * colsT) / V;
    const src = isA ? 'A' : 'B';
    const rowLen = isA ? (transA ? 'M' : 'K') : transB ? 'K' : 'N';
    const nRows = isA ? (transA ? 'K' : 'M') : transB ? 'N' : 'K';
    const r0 = isA ? (transA ? 'k0' : 'row0') : transB ? 'col0' : 'k0';
    const c0 = isA ? (transA ? 'row0' : 'k0') : transB ? 'k0' : 'col0';
    const off = isA ? 'aOff' : 'bOff';
    const lines: string[] = [];
    lines.push(`for (var e = tid; e < ${int(vecs)}u; e += ${int(NT)}u) {`);
    lines.push(`  let lr = e / ${int(colsT / V)}u;`);
    lines.push(`  let lc = (e % ${int(colsT / V)}u) * ${V}u;`);
    lines.push(`  let gr = ${r0} + lr;`);
    lines.push(`  let gc = ${c0} + lc;`);
    if (vec4) {
      // the row length is a multiple of 4, so a vector is either wholly inside or wholly outside
      lines.push(`  var v = vec4<f32>(0.0);`);
      lines.push(
        `  if (gr < ${nRows} && gc < ${rowLen}) { v = ${src}[(${off} + gr * ${rowLen} + gc) / 4u]; }`,
      );
      for (let q = 0; q < 4; q++) lines.push(`  ${store('lr', `lc + ${q}u`, isA, `v[${q}]`)}`);
    } else {
      lines.push(`  var v = 0.0;`);
      lines.push(
        `  if (gr < ${nRows} && gc < ${rowLen}) { v = ${src}[${off} + gr * ${rowLen} + gc]; }`,
      );
      lines.push(`  ${store('lr', 'lc', isA, 'v')}`);
    }
    lines.push('}');
    return lines.join('\n    ');
  };
  const code = `${header(rows, batchRank, elem)}
var<workgroup> As: array<f32, ${int(bk * BM)}>;
var<workgroup> Bs: array<f32, ${int(bk * BN)}>;
@compute @workgroup_size(${int(wx)}, ${int(wy)})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let M = pu(0u);
  let N = pu(1u);
  let K = pu(2u);
  let batch = wid.z + pu(3u);
  let offs = batchOffsets(batch);
  let aOff = offs.x;
  let bOff = offs.y;
  let row0 = wid.y * ${int(BM)}u;
  let col0 = wid.x * ${int(BN)}u;
  let tid = lid.y * ${int(wx)}u + lid.x;
  ${declareAcc(tm, tn)}
  for (var k0 = 0u; k0 < K; k0 += ${int(bk)}u) {
    ${loadTile(true)}
    ${loadTile(false)}
    workgroupBarrier();
    for (var kk = 0u; kk < ${int(bk)}u; kk++) {
      ${unrolled(tm, (r) => `let a${r} = As[kk * ${int(BM)}u + lid.y + ${int(r * wy)}u];`)}
      ${unrolled(tn, (c) => `let b${c} = Bs[kk * ${int(BN)}u + lid.x + ${int(c * wx)}u];`)}
      ${accumulate(tm, tn)}
    }
    workgroupBarrier();
  }
  let cOff = batch * M * N;
  ${storeAcc(
    tm,
    tn,
    (r) => `row0 + lid.y + ${int(r * wy)}u`,
    (c) => `col0 + lid.x + ${int(c * wx)}u`,
  )}
}`;
  const name = `matmul_${tileName(tile)}${transA ? '_tA' : ''}${transB ? '_tB' : ''}${vec4 ? '_v4' : ''}`;
  return { key: `${name}|b${batchRank}|${rows}`, name, code };
}

/** Parameters of one matmul dispatch: sizes, first batch, batch shape and per-operand batch strides (in matrices). */
export function matmulParams(
  m: number,
  n: number,
  k: number,
  batchStart: number,
  batchShape: readonly number[],
  aBatchStrides: readonly number[],
  bBatchStrides: readonly number[],
): Params {
  const p = new Params().u32(m).u32(n).u32(k).u32(batchStart).u32(batchShape.length);
  for (const v of [...batchShape, ...aBatchStrides, ...bBatchStrides]) p.u32(v);
  return p;
}

/** Workgroups covering an m×n output with `tile`. */
export function matmulGroups(tile: MatmulTile, m: number, n: number): [number, number] {
  return [Math.ceil(n / (tile.wx * tile.tn)), Math.ceil(m / (tile.wy * tile.tm))];
}

/** Batches per dispatch (the grid's z dimension limit). */
export const MATMUL_BATCH_LIMIT = 65535;
