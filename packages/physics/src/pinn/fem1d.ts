// A comparison baseline for PINNs: linear (P1) finite elements for the 1-D Poisson problem.
import { ValueError } from '@sciml/linalg';

/** Options of {@link poissonFem1D}. @public */
export interface PoissonFem1DOptions {
  /** Domain [a, b] (default [0, 1]). */
  domain?: readonly [number, number];
  /** Dirichlet values u(a), u(b) (default [0, 0]). */
  boundaryValues?: readonly [number, number];
  /** Number of elements (default 64). */
  elements?: number;
}

/**
 * Solves −u″ = f on [a, b] with Dirichlet data by P1 finite elements on a uniform mesh: stiffness
 * (1/h)·tridiag(−1, 2, −1), load ∫ f φ_i by two-point Gauss–Legendre per element, solved by the Thomas
 * algorithm (Johnson, Numerical Solution of PDEs by the FEM, §1.1). Nodal error O(h²).
 * @public
 */
export function poissonFem1D(
  f: (x: number) => number,
  options: PoissonFem1DOptions = {},
): { x: Float64Array; u: Float64Array } {
  const [a, b] = options.domain ?? [0, 1];
  const [ua, ub] = options.boundaryValues ?? [0, 0];
  const m = options.elements ?? 64;
  if (!Number.isSafeInteger(m) || m < 2)
    throw new ValueError('poissonFem1D', `elements must be an integer ≥ 2, got ${m}`);
  if (!(Number.isFinite(a) && Number.isFinite(b) && a < b))
    throw new ValueError('poissonFem1D', `need a finite domain a < b, got [${a}, ${b}]`);
  const h = (b - a) / m;
  const x = Float64Array.from({ length: m + 1 }, (_, i) => a + i * h);
  const load = new Float64Array(m + 1);
  const g = 1 / Math.sqrt(3);
  for (let e = 0; e < m; e++) {
    for (const s of [-g, g]) {
      const xi = (1 + s) / 2; // local coordinate in [0, 1]
      const fx = f(x[e]! + xi * h) * (h / 2);
      load[e] = load[e]! + fx * (1 - xi);
      load[e + 1] = load[e + 1]! + fx * xi;
    }
  }
  // interior unknowns 1..m−1: (2u_i − u_{i−1} − u_{i+1})/h = load_i, boundary values moved to the right
  const n = m - 1;
  const rhs = new Float64Array(n);
  for (let i = 0; i < n; i++) rhs[i] = load[i + 1]! * h;
  rhs[0] = rhs[0]! + ua;
  rhs[n - 1] = rhs[n - 1]! + ub;
  // Thomas algorithm on tridiag(−1, 2, −1)
  const c = new Float64Array(n);
  const d = new Float64Array(n);
  c[0] = -1 / 2;
  d[0] = rhs[0]! / 2;
  for (let i = 1; i < n; i++) {
    const den = 2 + c[i - 1]!;
    c[i] = -1 / den;
    d[i] = (rhs[i]! + d[i - 1]!) / den;
  }
  const u = new Float64Array(m + 1);
  u[0] = ua;
  u[m] = ub;
  u[n] = d[n - 1]!;
  for (let i = n - 2; i >= 0; i--) u[i + 1] = d[i]! - c[i]! * u[i + 2]!;
  return { x, u };
}
