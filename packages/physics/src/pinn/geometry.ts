// Domains of physics-informed networks: interval, rectangle, disk and time × space, with interior and
// boundary samplers, outward normals and a smooth function vanishing on the boundary (for hard constraints).
import {
  type NDArray,
  ValueError,
  fromTypedArray,
  mul,
  slice,
  square,
  sub,
  sum,
} from '@sciml/linalg';
import { type SampleOptions, unitCubePoints } from './sampling.js';

/**
 * A domain for collocation (DeepXDE's geometry, Lu et al., SIAM Rev. 63 (2021) 208–228). Points are rows of
 * an (n, dim) float64 array; time, when present, is the last coordinate.
 * @public
 */
export interface Geometry {
  /** Number of coordinates of a point. */
  readonly dim: number;
  /** Name for messages, e.g. `'interval'`. */
  readonly kind: string;
  /** n interior points (a `'uniform'` grid may hold a few more: see `unitCubePoints`). */
  sampleInterior(n: number, options?: SampleOptions): NDArray;
  /** n points on the boundary (for time × space: the spatial boundary at all times). */
  sampleBoundary(n: number, options?: SampleOptions): NDArray;
  /** Outward unit normals at boundary points (n, dim); zero time component for time × space. */
  normals(points: NDArray): NDArray;
  /**
   * A smooth function φ(x) ≥ 0 vanishing exactly on the boundary (on the initial slice too for time ×
   * space), built from linalg ops so it can multiply a network in a hard constraint
   * û = g + φ·N (Lagaris et al., IEEE TNN 9 (1998) 987–1000; Sukumar & Srivastava, CMAME 389 (2022) 114333).
   */
  boundaryDistance(x: NDArray): NDArray;
  /** Whether a point lies in the closed domain (with tolerance 1e-12). */
  contains(point: ArrayLike<number>): boolean;
}

/** Rows as an (n, d) float64 array. */
export function pointsArray(rows: readonly (readonly number[])[], d: number): NDArray {
  const data = new Float64Array(rows.length * d);
  rows.forEach((r, i) => {
    data.set(r, i * d);
  });
  return fromTypedArray(data, [rows.length, d]);
}

/** Column j of an (n, d) array as (n, 1). */
export function column(x: NDArray, j: number): NDArray {
  return slice(x, null, { start: j, stop: j + 1 });
}

/** Internal parametrisation every geometry supplies; the public samplers are built from it. */
interface Parts {
  dim: number;
  kind: string;
  /** Maps a unit-cube point of dimension `dim` into the interior. */
  interior(u: readonly number[]): number[];
  /** Dimension of the unit cube the boundary is parametrised by. */
  boundaryDim: number;
  /** Maps a unit-cube point of dimension `boundaryDim` onto the boundary. */
  boundary(u: readonly number[]): number[];
  /** A boundary sampler replacing the unit-cube one (the interval's two endpoints). */
  sampleBoundary?: (n: number) => number[][];
  normal(p: readonly number[]): number[];
  boundaryDistance(x: NDArray): NDArray;
  contains(p: ArrayLike<number>): boolean;
}

function build(parts: Parts): Geometry & { readonly parts: Parts } {
  return {
    dim: parts.dim,
    kind: parts.kind,
    parts,
    sampleInterior: (n, options) =>
      pointsArray(unitCubePoints(n, parts.dim, options).map(parts.interior), parts.dim),
    sampleBoundary: (n, options) =>
      pointsArray(
        parts.sampleBoundary?.(n) ??
          unitCubePoints(n, parts.boundaryDim, options).map(parts.boundary),
        parts.dim,
      ),
    normals(points) {
      if (points.ndim !== 2 || points.shape[1] !== parts.dim)
        throw new ValueError(
          `${parts.kind}.normals`,
          `points must be (n, ${parts.dim}), got [${points.shape.join(', ')}]`,
        );
      const p = points.toNested() as number[][];
      return pointsArray(p.map(parts.normal), parts.dim);
    },
    boundaryDistance: parts.boundaryDistance,
    contains: parts.contains,
  };
}

const TOL = 1e-12;

/**
 * The interval [a, b]. Its boundary is the two endpoints: `sampleBoundary(n)` alternates a, b, a, …
 * whatever the sampler (a quasi-random sampler could otherwise put every point on one side).
 * @public
 */
export function interval(a: number, b: number): Geometry {
  if (!(Number.isFinite(a) && Number.isFinite(b) && a < b))
    throw new ValueError('interval', `need finite a < b, got [${a}, ${b}]`);
  return build({
    dim: 1,
    kind: 'interval',
    interior: ([u]) => [a + (b - a) * u!],
    boundaryDim: 1,
    boundary: ([u]) => [u! < 0.5 ? a : b],
    sampleBoundary: (n) => Array.from({ length: n }, (_, i) => [i % 2 === 0 ? a : b]),
    normal: ([x]) => [Math.abs(x! - a) < Math.abs(x! - b) ? -1 : 1],
    // (x − a)(b − x)
    boundaryDistance: (x) => mul(sub(column(x, 0), a), sub(b, column(x, 0))),
    contains: (p) => p[0]! >= a - TOL && p[0]! <= b + TOL,
  });
}

/**
 * The rectangle [x₀, x₁] × [y₀, y₁]; boundary points are spread along the perimeter by arc length.
 * @public
 */
export function rectangle(
  lower: readonly [number, number],
  upper: readonly [number, number],
): Geometry {
  const [x0, y0] = lower;
  const [x1, y1] = upper;
  if (!(x0 < x1 && y0 < y1) || ![x0, y0, x1, y1].every(Number.isFinite))
    throw new ValueError('rectangle', `need finite lower < upper, got [${lower}] and [${upper}]`);
  const w = x1 - x0;
  const h = y1 - y0;
  const perimeter = 2 * (w + h);
  return build({
    dim: 2,
    kind: 'rectangle',
    interior: ([u, v]) => [x0 + w * u!, y0 + h * v!],
    boundaryDim: 1,
    boundary: ([u]) => {
      let s = u! * perimeter;
      if (s < w) return [x0 + s, y0];
      s -= w;
      if (s < h) return [x1, y0 + s];
      s -= h;
      if (s < w) return [x1 - s, y1];
      return [x0, y1 - (s - w)];
    },
    normal: ([x, y]) => {
      const d = [x! - x0, x1 - x!, y! - y0, y1 - y!];
      const k = d.indexOf(Math.min(...d));
      return [
        [-1, 0],
        [1, 0],
        [0, -1],
        [0, 1],
      ][k]!;
    },
    boundaryDistance: (x) =>
      mul(
        mul(sub(column(x, 0), x0), sub(x1, column(x, 0))),
        mul(sub(column(x, 1), y0), sub(y1, column(x, 1))),
      ),
    contains: (p) =>
      p[0]! >= x0 - TOL && p[0]! <= x1 + TOL && p[1]! >= y0 - TOL && p[1]! <= y1 + TOL,
  });
}

/**
 * The disk |x − c| ≤ r. Interior points use the area-preserving map ρ = r√u, θ = 2πv, so uniform unit-cube
 * points stay uniform in area.
 * @public
 */
export function disk(center: readonly [number, number], radius: number): Geometry {
  const [cx, cy] = center;
  if (!(radius > 0) || !Number.isFinite(radius) || !Number.isFinite(cx) || !Number.isFinite(cy))
    throw new ValueError('disk', `need a finite centre and radius > 0, got [${center}], ${radius}`);
  return build({
    dim: 2,
    kind: 'disk',
    interior: ([u, v]) => {
      const rho = radius * Math.sqrt(u!);
      const th = 2 * Math.PI * v!;
      return [cx + rho * Math.cos(th), cy + rho * Math.sin(th)];
    },
    boundaryDim: 1,
    boundary: ([u]) => [
      cx + radius * Math.cos(2 * Math.PI * u!),
      cy + radius * Math.sin(2 * Math.PI * u!),
    ],
    normal: ([x, y]) => {
      const r = Math.hypot(x! - cx, y! - cy) || 1;
      return [(x! - cx) / r, (y! - cy) / r];
    },
    // r² − |x − c|²
    boundaryDistance: (x) =>
      sub(
        radius * radius,
        sum(square(sub(x, fromTypedArray(Float64Array.of(cx, cy), [1, 2]))), {
          axis: 1,
          keepdims: true,
        }),
      ),
    contains: (p) => Math.hypot(p[0]! - cx, p[1]! - cy) <= radius + TOL,
  });
}

/**
 * Time × space: points (x…, t) with t ∈ [t₀, t₁] last. `sampleBoundary` samples the spatial boundary over
 * time; {@link sampleInitial} samples the initial slice t = t₀. `boundaryDistance` is
 * (t − t₀)·φ_space(x), vanishing on the spatial boundary and the initial slice.
 * @public
 */
export function timeSpace(
  space: Geometry,
  t0: number,
  t1: number,
): Geometry & {
  /** The spatial geometry. */
  readonly space: Geometry;
  /** The time interval. */
  readonly time: readonly [number, number];
} {
  if (!(Number.isFinite(t0) && Number.isFinite(t1) && t0 < t1))
    throw new ValueError('timeSpace', `need finite t0 < t1, got [${t0}, ${t1}]`);
  const sp = (space as Geometry & { parts?: Parts }).parts;
  if (sp === undefined)
    throw new ValueError('timeSpace', 'space must come from interval, rectangle or disk');
  const d = sp.dim;
  const g = build({
    dim: d + 1,
    kind: `timeSpace(${sp.kind})`,
    interior: (u) => [...sp.interior(u.slice(0, d)), t0 + (t1 - t0) * u[d]!],
    boundaryDim: sp.boundaryDim + 1,
    boundary: (u) => [
      ...sp.boundary(u.slice(0, sp.boundaryDim)),
      t0 + (t1 - t0) * u[sp.boundaryDim]!,
    ],
    normal: (p) => [...sp.normal(p.slice(0, d)), 0],
    boundaryDistance: (x) =>
      mul(sub(column(x, d), t0), sp.boundaryDistance(slice(x, null, { start: 0, stop: d }))),
    contains: (p) =>
      p[d]! >= t0 - TOL && p[d]! <= t1 + TOL && sp.contains(Array.from(p).slice(0, d)),
  });
  return { ...g, space, time: [t0, t1] as const };
}

/**
 * n points on the initial slice t = t₀ of a time × space domain (spatial interior samples with t = t₀).
 * @public
 */
export function sampleInitial(
  domain: ReturnType<typeof timeSpace>,
  n: number,
  options?: SampleOptions,
): NDArray {
  const x = domain.space.sampleInterior(n, options).toNested() as number[][];
  return pointsArray(
    x.map((p) => [...p, domain.time[0]]),
    domain.dim,
  );
}
