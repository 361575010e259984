import {
  type NDArray,
  ValueError,
  add,
  array,
  exp,
  fromTypedArray,
  linspace,
  mul,
  slice,
  sub,
} from '@sciml/linalg';
import { CsrMatrix } from '@sciml/linalg/sparse';
import { describe, expect, it } from 'vitest';
import { leastSquares } from './least-squares.js';
import type { RobustLoss } from './loss.js';

const vec = (x: NDArray) => Array.from(x.dataSync());

describe("leastSquares method 'trf' with bounds", () => {
  it('reproduces SciPy’s bounded Rosenbrock example (x₂ ≤ 1.5 active)', () => {
    // SciPy docs, least_squares(fun_rosenbrock, [2, 2], bounds=([-inf, 1.5], inf)); SciPy 1.17.1 gives
    // x = (1.2243707490044007, 1.5), cost 0.025213093946805685, active_mask [0, -1], 9 evaluations
    const r = (x: NDArray) => {
      const [a, b] = x.dataSync();
      return array([10 * (b! - a! * a!), 1 - a!]);
    };
    const jac = (x: NDArray) => {
      const [a] = x.dataSync();
      return array([
        [-20 * a!, 10],
        [-1, 0],
      ]);
    };
    const res = leastSquares(r, [2, 2], {
      jac,
      bounds: { lower: [Number.NEGATIVE_INFINITY, 1.5] },
    });
    expect(res.success, res.message).toBe(true);
    const [x1, x2] = vec(res.x);
    expect(x1).toBeCloseTo(1.2243707490044007, 8);
    expect(x2).toBeCloseTo(1.5, 10);
    expect(res.cost).toBeCloseTo(0.025213093946805685, 12);
    expect(Array.from(res.activeMask!)).toEqual([0, -1]);
    // KKT: the free variable's gradient vanishes, the bound one pushes against its bound (∂cost/∂x₂ > 0)
    const g = vec(res.grad);
    expect(Math.abs(g[0]!)).toBeLessThan(1e-8);
    expect(g[1]!).toBeGreaterThan(0);
  });

  it('rejects bounds for LM and inconsistent bounds, with typed errors', () => {
    const r = (x: NDArray) => sub(x, 1);
    expect(() => leastSquares(r, [0], { method: 'lm', bounds: { lower: [0] } })).toThrow(
      ValueError,
    );
    expect(() => leastSquares(r, [0], { bounds: { lower: [1], upper: [1] } })).toThrow(
      /lower < upper/,
    );
    expect(() => leastSquares(r, [0], { loss: 'huber', fScale: 0 })).toThrow(/fScale/);
  });
});

describe('robust losses ignore injected outliers', () => {
  // y = 0.5 + 2e^{−0.8t} with small deterministic noise on 40 points, 7 of them (every 6th) moved by ±2…3
  const t = linspace(0, 10, 40);
  const tv = t.dataSync();
  const yv = Float64Array.from(
    tv,
    (ti) => 0.5 + 2 * Math.exp(-0.8 * ti) + 0.02 * Math.sin(7.3 * ti),
  );
  [3, -2, 2.5, -3, 2, 3, -2.5].forEach((o, k) => {
    yv[6 * k]! += o;
  });
  const y = fromTypedArray(yv);
  const model = (p: NDArray) =>
    sub(add(slice(p, 0), mul(slice(p, 1), exp(mul(slice(p, 2), t)))), y);
  const truth = [0.5, 2, -0.8];
  // SciPy 1.17.1 least_squares(…, loss, f_scale=0.1) minimisers on the same data
  const scipy: Record<RobustLoss, number[]> = {
    linear: [0.6264403602250224, 4.682116369727283, -2.9976215307552683],
    soft_l1: [0.5174519881259437, 2.240579473002793, -0.9349215070710237],
    huber: [0.5146395652391434, 2.165902894574054, -0.9017723136369845],
    cauchy: [0.5007991105512364, 2.01232972147885, -0.8039245349599826],
    arctan: [0.5002229872653026, 2.0074787916502026, -0.8006270095884847],
  };
  const relErr = (p: number[]) =>
    Math.max(...p.map((v, i) => Math.abs(v - truth[i]!) / Math.abs(truth[i]!)));

  it('plain LM is pulled far from the truth', () => {
    const lm = leastSquares(model, [1, 1, -0.5]);
    expect(lm.success).toBe(true);
    vec(lm.x).forEach((v, i) => {
      expect(v).toBeCloseTo(scipy.linear[i]!, 5);
    });
    expect(relErr(vec(lm.x))).toBeGreaterThan(1);
  });

  it.each(['soft_l1', 'huber', 'cauchy', 'arctan'] as const)(
    "loss '%s' (fScale 0.1) finds SciPy’s minimiser, far closer to the truth",
    (loss) => {
      const res = leastSquares(model, [1, 1, -0.5], { loss, fScale: 0.1 });
      expect(res.success, res.message).toBe(true);
      vec(res.x).forEach((v, i) => {
        expect(Math.abs(v - scipy[loss][i]!)).toBeLessThan(1e-6 * Math.max(1, Math.abs(v)));
      });
      expect(relErr(vec(res.x))).toBeLessThan(0.2);
      // the redescending losses (bounded influence) recover the truth to 1%
      if (loss === 'cauchy' || loss === 'arctan') expect(relErr(vec(res.x))).toBeLessThan(0.01);
    },
  );
});

describe('sparse Jacobians', () => {
  // the Broyden tridiagonal function of SciPy's least_squares docs: rᵢ = (3 − xᵢ)xᵢ + 1 − xᵢ₋₁ − 2xᵢ₊₁, x₀ = −1
  function broyden(n: number) {
    const r = (x: NDArray) => {
      const v = x.dataSync();
      return fromTypedArray(
        Float64Array.from(
          v,
          (xi, i) => (3 - xi) * xi + 1 - (i > 0 ? v[i - 1]! : 0) - (i < n - 1 ? 2 * v[i + 1]! : 0),
        ),
      );
    };
    const jac = (x: NDArray) => {
      const v = x.dataSync();
      const rows: number[] = [];
      const cols: number[] = [];
      const vals: number[] = [];
      const put = (i: number, j: number, value: number) => {
        rows.push(i);
        cols.push(j);
        vals.push(value);
      };
      for (let i = 0; i < n; i++) {
        if (i > 0) put(i, i - 1, -1);
        put(i, i, 3 - 2 * v[i]!);
        if (i < n - 1) put(i, i + 1, -2);
      }
      return CsrMatrix.fromTriplets([n, n], rows, cols, vals);
    };
    return { r, jac };
  }

  it('solves Broyden tridiagonal with 2000 unknowns from a CSR Jacobian (cost → 0)', () => {
    const n = 2000;
    const { r, jac } = broyden(n);
    const res = leastSquares(r, new Float64Array(n).fill(-1), { method: 'trf', jac });
    expect(res.success, res.message).toBe(true);
    expect(res.cost).toBeLessThan(1e-20);
    expect(res.jac).toBeInstanceOf(CsrMatrix);
  });

  it('gives the dense-Jacobian answer on a small instance, with bounds', () => {
    const n = 30;
    const { r, jac } = broyden(n);
    const bounds = { lower: new Array(n).fill(-0.6), upper: new Array(n).fill(0) };
    const sparse = leastSquares(r, new Float64Array(n).fill(-0.3), { jac, bounds });
    const dense = leastSquares(r, new Float64Array(n).fill(-0.3), {
      jac: (x) => (jac(x) as CsrMatrix).toDense(),
      bounds,
    });
    expect(sparse.success && dense.success).toBe(true);
    expect(Math.abs(sparse.cost - dense.cost)).toBeLessThan(1e-10 * Math.max(1, dense.cost));
    vec(sparse.x).forEach((v, i) => {
      expect(v).toBeCloseTo(vec(dense.x)[i]!, 6);
    });
  });
});
