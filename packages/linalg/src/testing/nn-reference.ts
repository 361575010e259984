/**
 * Direct-loop references of convolution and pooling on plain number arrays, written from the definitions
 * (one nested sum per output element, no im2col, no GEMM), for tests of every backend. 1-D problems are
 * passed as 2-D ones of height 1.
 */

/** Geometry of a reference convolution over (H, W). */
export interface RefConvGeometry {
  stride?: [number, number];
  /** [[top, bottom], [left, right]] zero padding. */
  padding?: [[number, number], [number, number]];
  dilation?: [number, number];
  groups?: number;
}

/** A row-major result with its shape. */
export interface RefResult {
  shape: number[];
  values: number[];
}

/** Output spatial size of a reference convolution. */
function outSize(
  xShape: readonly number[],
  wShape: readonly number[],
  g: RefConvGeometry,
): [number, number] {
  const [sh, sw] = g.stride ?? [1, 1];
  const [[pt, pb], [pl, pr]] = g.padding ?? [
    [0, 0],
    [0, 0],
  ];
  const [dh, dw] = g.dilation ?? [1, 1];
  return [
    Math.floor((xShape[2]! + pt + pb - dh * (wShape[2]! - 1) - 1) / sh) + 1,
    Math.floor((xShape[3]! + pl + pr - dw * (wShape[3]! - 1) - 1) / sw) + 1,
  ];
}

/**
 * Visits every term x[xi]·w[wi] of every output y[yi] of the convolution
 * y[n,o,i,j] = Σ_{c<C/g, p, q} x[n, g(o)·C/g + c, i·sh − pt + p·dh, j·sw − pl + q·dw] · w[o, c, p, q]
 * (x (N, C, H, W), w (O, C/g, KH, KW); out-of-range reads of x are zero, so they are skipped). Every
 * reference below is this one sum, read as y = conv(x, w), x = convTranspose(y, w) or w = convWeightGrad(x, y).
 */
function forEachTerm(
  xShape: readonly [number, number, number, number],
  wShape: readonly [number, number, number, number],
  g: RefConvGeometry,
  visit: (xi: number, wi: number, yi: number) => void,
): void {
  const [N, C, H, W] = xShape;
  const [O, Cg, KH, KW] = wShape;
  const [sh, sw] = g.stride ?? [1, 1];
  const [[pt], [pl]] = g.padding ?? [
    [0, 0],
    [0, 0],
  ];
  const [dh, dw] = g.dilation ?? [1, 1];
  const [OH, OW] = outSize(xShape, wShape, g);
  const Og = O / (g.groups ?? 1);
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++)
      for (let i = 0; i < OH; i++)
        for (let j = 0; j < OW; j++) {
          const yi = ((n * O + o) * OH + i) * OW + j;
          const group = Math.floor(o / Og);
          for (let c = 0; c < Cg; c++)
            for (let p = 0; p < KH; p++)
              for (let q = 0; q < KW; q++) {
                const h = i * sh - pt + p * dh;
                const v = j * sw - pl + q * dw;
                if (h < 0 || h >= H || v < 0 || v >= W) continue;
                visit(
                  ((n * C + group * Cg + c) * H + h) * W + v,
                  ((o * Cg + c) * KH + p) * KW + q,
                  yi,
                );
              }
        }
}

/** y = conv(x, w) for x (N, C, H, W) and w (O, C/groups, KH, KW). */
export function referenceConv2d(
  x: readonly number[],
  xShape: readonly [number, number, number, number],
  w: readonly number[],
  wShape: readonly [number, number, number, number],
  geometry: RefConvGeometry = {},
): RefResult {
  const [OH, OW] = outSize(xShape, wShape, geometry);
  const shape = [xShape[0], wShape[0], OH, OW];
  const values = new Array<number>(shape.reduce((a, b) => a * b, 1)).fill(0);
  forEachTerm(xShape, wShape, geometry, (xi, wi, yi) => {
    values[yi]! += x[xi]! * w[wi]!;
  });
  return { shape, values };
}

/** x = convTranspose(y, w), the adjoint of conv in x, for the conv input shape `xShape`. */
export function referenceConvTranspose2d(
  y: readonly number[],
  xShape: readonly [number, number, number, number],
  w: readonly number[],
  wShape: readonly [number, number, number, number],
  geometry: RefConvGeometry = {},
): RefResult {
  const values = new Array<number>(xShape.reduce((a, b) => a * b, 1)).fill(0);
  forEachTerm(xShape, wShape, geometry, (xi, wi, yi) => {
    values[xi]! += y[yi]! * w[wi]!;
  });
  return { shape: [...xShape], values };
}

/** w = convWeightGrad(x, y), the adjoint of conv in w, for the filter shape `wShape`. */
export function referenceConvWeightGrad2d(
  x: readonly number[],
  xShape: readonly [number, number, number, number],
  y: readonly number[],
  wShape: readonly [number, number, number, number],
  geometry: RefConvGeometry = {},
): RefResult {
  const values = new Array<number>(wShape.reduce((a, b) => a * b, 1)).fill(0);
  forEachTerm(xShape, wShape, geometry, (xi, wi, yi) => {
    values[wi]! += x[xi]! * y[yi]!;
  });
  return { shape: [...wShape], values };
}

/** Geometry of a reference pooling over (H, W). */
export interface RefPoolGeometry {
  window: [number, number];
  stride?: [number, number];
  padding?: [[number, number], [number, number]];
}

function pool2d(
  x: readonly number[],
  xShape: readonly [number, number, number, number],
  g: RefPoolGeometry,
  reduce: (window: number[], positions: number) => number,
): RefResult {
  const [N, C, H, W] = xShape;
  const [KH, KW] = g.window;
  const [sh, sw] = g.stride ?? g.window;
  const [[pt, pb], [pl, pr]] = g.padding ?? [
    [0, 0],
    [0, 0],
  ];
  const OH = Math.floor((H + pt + pb - KH) / sh) + 1;
  const OW = Math.floor((W + pl + pr - KW) / sw) + 1;
  const values: number[] = [];
  for (let nc = 0; nc < N * C; nc++)
    for (let i = 0; i < OH; i++)
      for (let j = 0; j < OW; j++) {
        const window: number[] = [];
        for (let p = 0; p < KH; p++)
          for (let q = 0; q < KW; q++) {
            const h = i * sh - pt + p;
            const v = j * sw - pl + q;
            if (h >= 0 && h < H && v >= 0 && v < W) window.push(x[(nc * H + h) * W + v]!);
          }
        values.push(reduce(window, KH * KW));
      }
  return { shape: [N, C, OH, OW], values };
}

/** Maximum of each window (padding excluded). */
export function referenceMaxPool2d(
  x: readonly number[],
  xShape: readonly [number, number, number, number],
  geometry: RefPoolGeometry,
): RefResult {
  return pool2d(x, xShape, geometry, (win) => Math.max(...win));
}

/** Mean of each window; the divisor is the window size, or the real elements when `countIncludePad` is false. */
export function referenceAvgPool2d(
  x: readonly number[],
  xShape: readonly [number, number, number, number],
  geometry: RefPoolGeometry & { countIncludePad?: boolean },
): RefResult {
  const include = geometry.countIncludePad ?? true;
  return pool2d(x, xShape, geometry, (win, size) => {
    const s = win.reduce((a, b) => a + b, 0);
    return s / (include ? size : win.length);
  });
}
