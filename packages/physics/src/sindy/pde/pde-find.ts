import { NDArray, ShapeError, ValueError, formatShape, fromTypedArray } from '@sciml/linalg';
import { formatEquation } from '../equations.js';
import { checkPositiveInt, readMatrix } from '../matrix.js';
import type { SparseOptimizer, SparseRegressionResult } from '../optimizers/optimizer.js';
import { stlsq } from '../optimizers/stlsq.js';
import { gridDerivative } from './grid-derivatives.js';

/** Options of {@link pdeFind}. @public */
export interface PDEFindOptions {
  /** Grid spacing in x (uniform). */
  dx: number;
  /** Time step between snapshots (uniform). */
  dt: number;
  /** Highest power of u in the library's functions 1, u, u², … (default 2). */
  degree?: number;
  /** Highest spatial derivative u_x … (default 3, up to u_xxx). */
  derivativeOrder?: number;
  /** Periodic in x: the stencils wrap; otherwise boundary points are dropped (default true). */
  periodic?: boolean;
  /** Points of the centred finite-difference stencils in x (odd; default 9) and t (default 5). */
  stencil?: { x?: number; t?: number };
  /** The sparse regression (default `stlsq({ threshold: 0.02, alpha: 1e-6 })`). */
  optimizer?: SparseOptimizer;
  /** Name of the field in the printed equation (default `u`). */
  fieldName?: string;
}

/** What {@link pdeFind} returns. @public */
export interface PDEFindResult {
  /** Coefficients ξ of u_t = Σ ξⱼ θⱼ, one per library term. */
  readonly coefficients: Float64Array;
  /** Names of the library terms (`1`, `u`, `u^2`, `u_x`, `u u_x`, …). */
  readonly termNames: readonly string[];
  /** The optimiser's result. */
  readonly optimizerResult: SparseRegressionResult;
  /** Rows used (grid points × snapshots away from the stencils' reach of the edges). */
  readonly samples: number;
  /** The equation as text, `u_t = -1.000 u u_x + 0.100 u_xx`. */
  equation(precision?: number): string;
  /** The coefficient of a named term (0 when it is not in the model). */
  coefficient(term: string): number;
}

/** Names of the spatial derivatives up to `order`: u_x, u_xx, … */
function derivativeNames(field: string, order: number): string[] {
  return Array.from({ length: order }, (_, d) => `${field}_${'x'.repeat(d + 1)}`);
}

/** Name of uᵖ. */
function powerName(field: string, power: number): string {
  return power === 1 ? field : `${field}^${power}`;
}

/**
 * PDE functional identification of nonlinear dynamics (PDE-FIND; Rudy, Brunton, Proctor & Kutz 2017,
 * "Data-driven discovery of partial differential equations", Sci. Adv. 3:e1602614): from snapshots u(x, t)
 * on a uniform grid, estimates u_t and u_x, u_xx, … by centred finite differences and fits
 * u_t = Θ(u, u_x, …) ξ with a sparse regression. The library is pysindy's `PDELibrary` order: 1, u, …, uᵈ,
 * u_x, …, the derivatives, then every product uᵖ · ∂ᵏu (p = 1…d, k = 1…order).
 * @example
 * ```ts
 * const sol = burgers1D({ nu: 0.1, nx: 256, domain: [-8, 8], u0: (x) => Math.exp(-((x + 2) ** 2)), tSpan: [0, 10] });
 * pdeFind(sol.u, { dx: sol.grid.dx, dt: 0.1 }).equation(); // 'u_t = 0.100 u_xx - 1.000 u u_x'
 * ```
 * @public
 */
export function pdeFind(u: NDArray, options: PDEFindOptions): PDEFindResult {
  const op = 'pdeFind';
  if (!(u instanceof NDArray) || u.ndim !== 2) {
    throw new ShapeError(
      op,
      `u must be a 2-D array (space × time), as burgers1D's sol.u; got ${u instanceof NDArray ? `shape ${formatShape(u.shape)}` : typeof u}`,
    );
  }
  const { dx, dt } = options;
  if (!(dx > 0) || !(dt > 0) || !Number.isFinite(dx) || !Number.isFinite(dt))
    throw new ValueError(op, `dx and dt must be finite and > 0, got dx = ${dx}, dt = ${dt}`);
  const degree = options.degree ?? 2;
  if (!Number.isInteger(degree) || degree < 0)
    throw new ValueError(op, `degree must be an integer ≥ 0, got ${degree}`);
  const order = checkPositiveInt(op, 'derivativeOrder', options.derivativeOrder ?? 3);
  const periodic = options.periodic ?? true;
  const wx = options.stencil?.x ?? 9;
  const wt = options.stencil?.t ?? 5;
  const field = options.fieldName ?? 'u';
  const U = readMatrix(op, u, 'u');
  const nx = U.rows;
  const nt = U.cols;
  if (nt < wt) throw new ShapeError(op, `needs at least ${wt} snapshots, got ${nt}`);
  const ut = gridDerivative(U.data, nx, nt, 1, 1, dt, wt, false);
  const derivs = Array.from({ length: order }, (_, d) =>
    gridDerivative(U.data, nx, nt, 0, d + 1, dx, wx, periodic),
  );
  const names = ['1'];
  for (let q = 1; q <= degree; q++) names.push(powerName(field, q));
  names.push(...derivativeNames(field, order));
  for (let q = 1; q <= degree; q++)
    for (const d of derivativeNames(field, order)) names.push(`${powerName(field, q)} ${d}`);
  const p = names.length;
  // rows: every grid point where all stencils reach (NaN marks the unreachable ones)
  const rows: number[] = [];
  for (let e = 0; e < nx * nt; e++) {
    if (Number.isNaN(ut[e]!) || derivs.some((d) => Number.isNaN(d[e]!))) continue;
    rows.push(e);
  }
  if (rows.length < p) {
    throw new ShapeError(op, `only ${rows.length} usable grid points for ${p} library terms`);
  }
  const theta = new Float64Array(rows.length * p);
  const target = new Float64Array(rows.length);
  rows.forEach((e, r) => {
    const v = U.data[e]!;
    let c = r * p;
    theta[c++] = 1;
    for (let q = 1; q <= degree; q++) theta[c++] = v ** q;
    for (const d of derivs) theta[c++] = d[e]!;
    for (let q = 1; q <= degree; q++) for (const d of derivs) theta[c++] = v ** q * d[e]!;
    target[r] = ut[e]!;
  });
  const optimizer = options.optimizer ?? stlsq({ threshold: 0.02, alpha: 1e-6 });
  const result = optimizer.fit(
    fromTypedArray(theta, [rows.length, p]),
    fromTypedArray(target, [rows.length, 1]),
  );
  const coefficients = Float64Array.from(result.coefficients.dataSync());
  return {
    coefficients,
    termNames: names,
    optimizerResult: result,
    samples: rows.length,
    equation: (precision = 3) =>
      formatEquation(`${field}_t`, coefficients, names, precision).replace(
        `${field}_t'`,
        `${field}_t`,
      ),
    coefficient: (term) => {
      const j = names.indexOf(term);
      return j < 0 ? 0 : coefficients[j]!;
    },
  };
}
