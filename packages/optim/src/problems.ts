import {
  type NDArray,
  add,
  array,
  fromTypedArray,
  mul,
  pow,
  slice,
  square,
  sub,
  sum,
} from '@sciml/linalg';

/** A classic unconstrained test problem with closed-form derivatives and known minimiser. */
export interface TestProblem {
  /** Short name, e.g. `rosenbrock-100`. */
  name: string;
  /** Standard starting point. */
  x0: number[];
  /** A global minimiser. */
  xStar: number[];
  /** f(x*). */
  fStar: number;
  /** The objective, built from @sciml/linalg ops (so autodiff can differentiate it). */
  f: (x: NDArray) => NDArray;
  /** Closed-form gradient. */
  grad: (x: NDArray) => NDArray;
  /** Closed-form Hessian (row-major n×n). */
  hess: (x: NDArray) => NDArray;
}

const vec = (x: NDArray): Float64Array => x.dataSync() as Float64Array;

/** Extended Rosenbrock f = Σ 100(x_{i+1} − x_i²)² + (1 − x_i)² (Moré, Garbow & Hillstrom 1981, problem 21 chained form); start (−1.2, 1, −1.2, 1, …). */
export function rosenbrock(n = 2): TestProblem {
  return {
    name: `rosenbrock-${n}`,
    x0: Array.from({ length: n }, (_, i) => (i % 2 === 0 ? -1.2 : 1)),
    xStar: new Array(n).fill(1),
    fStar: 0,
    f: (x) => {
      const head = slice(x, `:${n - 1}`);
      const tail = slice(x, '1:');
      return sum(add(mul(square(sub(tail, square(head))), 100), square(sub(1, head))));
    },
    grad: (x) => {
      const v = vec(x);
      const g = new Float64Array(n);
      for (let i = 0; i < n - 1; i++) {
        const t = v[i + 1]! - v[i]! * v[i]!;
        g[i]! += -400 * v[i]! * t - 2 * (1 - v[i]!);
        g[i + 1]! += 200 * t;
      }
      return fromTypedArray(g);
    },
    hess: (x) => {
      const v = vec(x);
      const h = new Float64Array(n * n);
      for (let i = 0; i < n - 1; i++) {
        h[i * n + i]! += 1200 * v[i]! * v[i]! - 400 * v[i + 1]! + 2;
        h[i * n + i + 1]! += -400 * v[i]!;
        h[(i + 1) * n + i]! += -400 * v[i]!;
        h[(i + 1) * n + i + 1]! += 200;
      }
      return fromTypedArray(h, [n, n]);
    },
  };
}

/** Beale's function (Moré, Garbow & Hillstrom problem 5): minimum 0 at (3, 0.5), start (1, 1). */
export function beale(): TestProblem {
  const c = [1.5, 2.25, 2.625];
  const parts = (v: Float64Array) => c.map((ci, k) => ci - v[0]! * (1 - v[1]! ** (k + 1)));
  return {
    name: 'beale',
    x0: [1, 1],
    xStar: [3, 0.5],
    fStar: 0,
    f: (x) => {
      const x1 = slice(x, 0);
      const x2 = slice(x, 1);
      return c
        .map((ci, k) => square(sub(ci, mul(x1, sub(1, pow(x2, k + 1))))))
        .reduce((a, b) => add(a, b));
    },
    grad: (x) => {
      const v = vec(x);
      const r = parts(v);
      let g0 = 0;
      let g1 = 0;
      r.forEach((ri, k) => {
        g0 += 2 * ri * -(1 - v[1]! ** (k + 1));
        g1 += 2 * ri * v[0]! * (k + 1) * v[1]! ** k;
      });
      return array([g0, g1]);
    },
    hess: (x) => {
      const v = vec(x);
      const r = parts(v);
      let h00 = 0;
      let h01 = 0;
      let h11 = 0;
      r.forEach((ri, k) => {
        const p = k + 1;
        const dr0 = -(1 - v[1]! ** p);
        const dr1 = v[0]! * p * v[1]! ** (p - 1);
        h00 += 2 * dr0 * dr0;
        h01 += 2 * dr0 * dr1 + 2 * ri * p * v[1]! ** (p - 1);
        h11 += 2 * dr1 * dr1 + 2 * ri * v[0]! * p * (p - 1) * (p >= 2 ? v[1]! ** (p - 2) : 0);
      });
      return array([
        [h00, h01],
        [h01, h11],
      ]);
    },
  };
}

/** Booth's function (x + 2y − 7)² + (2x + y − 5)²: a convex quadratic with minimum 0 at (1, 3). */
export function booth(): TestProblem {
  return {
    name: 'booth',
    x0: [0, 0],
    xStar: [1, 3],
    fStar: 0,
    f: (x) => {
      const a = slice(x, 0);
      const b = slice(x, 1);
      return add(square(sub(add(a, mul(b, 2)), 7)), square(sub(add(mul(a, 2), b), 5)));
    },
    grad: (x) => {
      const [a, b] = vec(x) as unknown as [number, number];
      const r1 = a + 2 * b - 7;
      const r2 = 2 * a + b - 5;
      return array([2 * r1 + 4 * r2, 4 * r1 + 2 * r2]);
    },
    hess: () =>
      array([
        [10, 8],
        [8, 10],
      ]),
  };
}

/**
 * Extended Powell singular function (Moré, Garbow & Hillstrom problem 13), n a multiple of 4: its Hessian is
 * singular at the minimiser 0, so Newton-type methods converge only linearly there; start (3, −1, 0, 1, …).
 */
export function extendedPowell(n = 4): TestProblem {
  const blocks = n / 4;
  return {
    name: `powell-${n}`,
    x0: Array.from({ length: n }, (_, i) => [3, -1, 0, 1][i % 4]!),
    xStar: new Array(n).fill(0),
    fStar: 0,
    f: (x) => {
      const col = (k: number) => slice(x, `${k}::4`);
      const [x1, x2, x3, x4] = [col(0), col(1), col(2), col(3)];
      return sum(
        add(
          add(square(add(x1, mul(x2, 10))), mul(square(sub(x3, x4)), 5)),
          add(pow(sub(x2, mul(x3, 2)), 4), mul(pow(sub(x1, x4), 4), 10)),
        ),
      );
    },
    grad: (x) => {
      const v = vec(x);
      const g = new Float64Array(n);
      for (let b = 0; b < blocks; b++) {
        const [x1, x2, x3, x4] = [v[4 * b]!, v[4 * b + 1]!, v[4 * b + 2]!, v[4 * b + 3]!];
        const a = x1 + 10 * x2;
        const c = x3 - x4;
        const d = x2 - 2 * x3;
        const e = x1 - x4;
        g[4 * b] = 2 * a + 40 * e ** 3;
        g[4 * b + 1] = 20 * a + 4 * d ** 3;
        g[4 * b + 2] = 10 * c - 8 * d ** 3;
        g[4 * b + 3] = -10 * c - 40 * e ** 3;
      }
      return fromTypedArray(g);
    },
    hess: (x) => {
      const v = vec(x);
      const h = new Float64Array(n * n);
      const set = (i: number, j: number, val: number) => {
        h[i * n + j]! += val;
      };
      for (let b = 0; b < blocks; b++) {
        const o = 4 * b;
        const [x1, x2, x3, x4] = [v[o]!, v[o + 1]!, v[o + 2]!, v[o + 3]!];
        const d2 = 12 * (x2 - 2 * x3) ** 2;
        const e2 = 120 * (x1 - x4) ** 2;
        set(o, o, 2 + e2);
        set(o, o + 1, 20);
        set(o + 1, o, 20);
        set(o, o + 3, -e2);
        set(o + 3, o, -e2);
        set(o + 1, o + 1, 200 + d2);
        set(o + 1, o + 2, -2 * d2);
        set(o + 2, o + 1, -2 * d2);
        set(o + 2, o + 2, 10 + 4 * d2);
        set(o + 2, o + 3, -10);
        set(o + 3, o + 2, -10);
        set(o + 3, o + 3, 10 + e2);
      }
      return fromTypedArray(h, [n, n]);
    },
  };
}

/**
 * Wood's function (Moré, Garbow & Hillstrom problem 14): f = 100(x₂ − x₁²)² + (1 − x₁)² + 90(x₄ − x₃²)² + (1 − x₃)²
 * + 10.1((x₂ − 1)² + (x₄ − 1)²) + 19.8(x₂ − 1)(x₄ − 1); minimum 0 at (1, 1, 1, 1), start (−3, −1, −3, −1).
 */
export function wood(): TestProblem {
  const at = (x: NDArray, i: number) => slice(x, i);
  return {
    name: 'wood',
    x0: [-3, -1, -3, -1],
    xStar: [1, 1, 1, 1],
    fStar: 0,
    f: (x) => {
      const [x1, x2, x3, x4] = [at(x, 0), at(x, 1), at(x, 2), at(x, 3)];
      const a = add(mul(square(sub(x2, square(x1))), 100), square(sub(1, x1)));
      const b = add(mul(square(sub(x4, square(x3))), 90), square(sub(1, x3)));
      const c = mul(add(square(sub(x2, 1)), square(sub(x4, 1))), 10.1);
      return add(add(a, b), add(c, mul(mul(sub(x2, 1), sub(x4, 1)), 19.8)));
    },
    grad: (x) => {
      const [x1, x2, x3, x4] = vec(x);
      return array([
        -400 * x1! * (x2! - x1! ** 2) - 2 * (1 - x1!),
        200 * (x2! - x1! ** 2) + 20.2 * (x2! - 1) + 19.8 * (x4! - 1),
        -360 * x3! * (x4! - x3! ** 2) - 2 * (1 - x3!),
        180 * (x4! - x3! ** 2) + 20.2 * (x4! - 1) + 19.8 * (x2! - 1),
      ]);
    },
    hess: (x) => {
      const [x1, x2, x3, x4] = vec(x);
      return array([
        [1200 * x1! ** 2 - 400 * x2! + 2, -400 * x1!, 0, 0],
        [-400 * x1!, 220.2, 0, 19.8],
        [0, 0, 1080 * x3! ** 2 - 360 * x4! + 2, -360 * x3!],
        [0, 19.8, -360 * x3!, 200.2],
      ]);
    },
  };
}

/**
 * Brown's badly scaled function (Moré, Garbow & Hillstrom problem 4): f = (x₁ − 10⁶)² + (x₂ − 2·10⁻⁶)² +
 * (x₁x₂ − 2)²; minimum 0 at (10⁶, 2·10⁻⁶), start (1, 1). Tests scale invariance.
 */
export function brownBadlyScaled(): TestProblem {
  return {
    name: 'brown-badly-scaled',
    x0: [1, 1],
    xStar: [1e6, 2e-6],
    fStar: 0,
    f: (x) => {
      const [x1, x2] = [slice(x, 0), slice(x, 1)];
      return add(add(square(sub(x1, 1e6)), square(sub(x2, 2e-6))), square(sub(mul(x1, x2), 2)));
    },
    grad: (x) => {
      const [x1, x2] = vec(x);
      const t = x1! * x2! - 2;
      return array([2 * (x1! - 1e6) + 2 * t * x2!, 2 * (x2! - 2e-6) + 2 * t * x1!]);
    },
    hess: (x) => {
      const [x1, x2] = vec(x);
      return array([
        [2 + 2 * x2! ** 2, 4 * x1! * x2! - 4],
        [4 * x1! * x2! - 4, 2 + 2 * x1! ** 2],
      ]);
    },
  };
}
