import {
  Generator,
  add,
  mul,
  reshape,
  linspace,
  sin,
  square,
  sub,
  tanh as tanhOp,
} from '@sciml/linalg';
import { linear, sequential, tanh } from '@sciml/nn';
import { describe, expect, it } from 'vitest';
import {
  dirichletBC,
  disk,
  hardDirichlet,
  interval,
  neumannBC,
  partial,
  poissonFem1D,
  rarRefine,
  rectangle,
  timeSpace,
  trainPinn,
  unitCubePoints,
} from '../index.js';
import { column, pointsArray } from './geometry.js';

describe('geometries and samplers', () => {
  it('samples every geometry inside its domain, boundary points on the boundary', () => {
    const rng = new Generator(1);
    for (const g of [interval(-1, 2), rectangle([0, 0], [2, 1]), disk([1, 1], 0.5)]) {
      for (const sampler of ['uniform', 'random', 'lhs', 'sobol'] as const) {
        const p = g.sampleInterior(50, { sampler, rng }).toNested() as number[][];
        expect(p.every((q) => g.contains(q))).toBe(true);
      }
      const b = g.sampleBoundary(16, { rng });
      const phi = g.boundaryDistance(b).dataSync();
      for (const v of phi) expect(Math.abs(v)).toBeLessThan(1e-12);
    }
    expect(interval(0, 1).sampleBoundary(3).dataSync()).toEqual(Float64Array.of(0, 1, 0));
    const ts = timeSpace(interval(-1, 1), 0, 1);
    const pts = ts.sampleInterior(64).toNested() as number[][];
    expect(pts.every((q) => ts.contains(q))).toBe(true);
  });

  it('LHS has one point per stratum; Sobol is the balanced sequence', () => {
    const p = unitCubePoints(8, 2, { sampler: 'lhs', rng: new Generator(3) });
    for (const j of [0, 1]) expect(new Set(p.map((q) => Math.floor(q[j]! * 8))).size).toBe(8);
    const s = unitCubePoints(7, 1, { sampler: 'sobol' }).map((q) => q[0]);
    expect(s).toEqual([0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125]);
  });

  it('normals point outward', () => {
    const d = disk([0, 0], 2);
    const n = d
      .normals(
        pointsArray(
          [
            [0, 2],
            [-2, 0],
          ],
          2,
        ),
      )
      .toNested();
    expect(n).toEqual([
      [0, 1],
      [-1, 0],
    ]);
    expect(
      rectangle([0, 0], [1, 1])
        .normals(pointsArray([[1, 0.3]], 2))
        .toNested(),
    ).toEqual([[1, 0]]);
  });
});

describe('input derivatives', () => {
  it('gives mixed and higher partials matching closed forms', () => {
    // f = sin(x0)·x1², ∂²f/∂x0∂x1 = 2 x1 cos x0, ∂³f/∂x0³ = −x1² cos x0
    const f = (x: ReturnType<typeof pointsArray>) => mul(sin(column(x, 0)), square(column(x, 1)));
    const x = pointsArray(
      [
        [0.3, 1.5],
        [-1.2, 0.7],
      ],
      2,
    );
    const mixed = partial(f, [0, 1])(x).dataSync();
    const third = partial(f, [0, 0, 0])(x).dataSync();
    [
      [0.3, 1.5],
      [-1.2, 0.7],
    ].forEach(([a, b], i) => {
      expect(mixed[i]).toBeCloseTo(2 * b! * Math.cos(a!), 12);
      expect(third[i]).toBeCloseTo(-b! * b! * Math.cos(a!), 12);
    });
  });
});

describe('Poisson 1-D: PINN hard vs soft boundary conditions, and P1 FEM', () => {
  // −u″ = π² sin(πx) on [0, 1], u(0) = u(1) = 0; exact u = sin(πx)
  const geom = interval(0, 1);
  const points = geom.sampleInterior(32, { sampler: 'uniform' });
  const residual = (D: { x: typeof points; d(...a: number[]): typeof points }) =>
    add(D.d(0, 0), mul(Math.PI ** 2, sin(mul(Math.PI, D.x))));
  const xs = reshape(linspace(0, 1, 101), [101, 1]);
  const exact = sin(mul(Math.PI, xs));
  const relL2 = (u: typeof xs) => {
    const e = sub(u, exact).dataSync();
    const r = exact.dataSync();
    let num = 0;
    let den = 0;
    e.forEach((v, i) => {
      num += v * v;
      den += r[i]! * r[i]!;
    });
    return Math.sqrt(num / den);
  };
  const budget = { adam: { steps: 200, lr: 1e-2 }, lbfgs: { maxIter: 150 }, logEvery: 50 };

  it('hard BC holds exactly and beats soft BC at the same budget', () => {
    const net = sequential(linear(16), tanh, linear(16), tanh, linear(1));
    const params = net.init(new Generator(0), [1]);
    const hard = trainPinn({
      net,
      params,
      pde: { residual, points },
      transform: hardDirichlet(geom.boundaryDistance),
      ...budget,
    });
    const soft = trainPinn({
      net,
      params,
      pde: { residual, points },
      conditions: [dirichletBC(geom.sampleBoundary(2), 0, { name: 'bc' })],
      ...budget,
    });
    const ends = hard.predict(pointsArray([[0], [1]], 1)).dataSync();
    expect(Math.abs(ends[0]!)).toBe(0);
    expect(Math.abs(ends[1]!)).toBe(0);
    const eHard = relL2(hard.predict(xs));
    const eSoft = relL2(soft.predict(xs));
    expect(soft.history.at(-1)?.terms).toHaveProperty('bc');
    const fem = poissonFem1D((x) => Math.PI ** 2 * Math.sin(Math.PI * x), { elements: 32 });
    let femErr = 0;
    let femDen = 0;
    fem.x.forEach((x, i) => {
      femErr += (fem.u[i]! - Math.sin(Math.PI * x)) ** 2;
      femDen += Math.sin(Math.PI * x) ** 2;
    });
    console.log(
      `Poisson 1-D rel L2: PINN hard ${eHard.toExponential(2)}, soft ${eSoft.toExponential(2)}, P1 FEM 32 elements ${Math.sqrt(femErr / femDen).toExponential(2)}`,
    );
    expect(eHard).toBeLessThan(eSoft);
    expect(eHard).toBeLessThan(1e-2);
  });

  it('dense self-scaled Broyden polishing (bfgs) reaches a lower error than L-BFGS at the same iterations', () => {
    const net = sequential(linear(16), tanh, linear(16), tanh, linear(1));
    const problem = {
      net,
      pde: { residual, points },
      transform: hardDirichlet(geom.boundaryDistance),
      logEvery: 50,
    };
    // one Adam phase, then each quasi-Newton method from its parameters
    const warm = trainPinn({
      ...problem,
      params: net.init(new Generator(0), [1]),
      adam: budget.adam,
      lbfgs: { maxIter: 0 },
    });
    const common = { ...problem, params: warm.params, adam: { steps: 0 } };
    const lb = trainPinn({ ...common, lbfgs: { maxIter: 150 } });
    const logged: { step: number; params: unknown }[] = [];
    const ss = trainPinn({
      ...common,
      bfgs: { maxIter: 150 },
      onLog: (r, params) => logged.push({ step: r.step, params }),
    });
    const eL = relL2(lb.predict(xs));
    const eS = relL2(ss.predict(xs));
    console.log(
      `Poisson 1-D, 150 quasi-Newton its: L-BFGS rel L2 ${eL.toExponential(2)} (loss ${lb.loss.toExponential(2)}), SSBroyden ${eS.toExponential(2)} (loss ${ss.loss.toExponential(2)}, ${ss.quasiNewtonIterations} its)`,
    );
    expect(ss.quasiNewtonIterations).toBeGreaterThan(0);
    // the deprecated names report the same stage
    expect(ss.lbfgsIterations).toBe(ss.quasiNewtonIterations);
    expect(ss.lbfgsEvaluations).toBe(ss.quasiNewtonEvaluations);
    expect(ss.lbfgsMessage).toBe(ss.quasiNewtonMessage);
    // onLog hands over the parameters of each record: the last iteration's are the result's
    const last = logged.filter((r) => r.step === ss.quasiNewtonIterations);
    expect(last.length).toBeGreaterThan(0);
    const uLast = net.apply(last[0]!.params as typeof ss.params, xs).y.dataSync();
    const uRes = net.apply(ss.params, xs).y.dataSync();
    for (const [i, v] of uRes.entries()) expect(uLast[i]).toBeCloseTo(v, 12);
    expect(ss.loss).toBeLessThan(lb.loss);
    expect(eS).toBeLessThan(eL);
    expect(() => trainPinn({ ...common, lbfgs: {}, bfgs: {} })).toThrow(/either lbfgs or bfgs/);
  });

  it('P1 FEM is nodally accurate and converges at second order between nodes', () => {
    // in 1-D the P1 Galerkin solution interpolates u at the nodes (up to load quadrature, O(h⁴));
    // between nodes the error is the interpolation error h²/8·|u″|, second order
    const err = (m: number) => {
      const { x, u } = poissonFem1D((s) => Math.PI ** 2 * Math.sin(Math.PI * s), { elements: m });
      let nodal = 0;
      let mid = 0;
      for (let i = 0; i < m; i++) {
        nodal = Math.max(nodal, Math.abs(u[i]! - Math.sin(Math.PI * x[i]!)));
        const xm = (x[i]! + x[i + 1]!) / 2;
        mid = Math.max(mid, Math.abs((u[i]! + u[i + 1]!) / 2 - Math.sin(Math.PI * xm)));
      }
      return { nodal, mid };
    };
    expect(err(32).nodal).toBeLessThan(1e-6);
    const ratio = err(16).mid / err(32).mid;
    expect(ratio).toBeGreaterThan(3.8);
    expect(ratio).toBeLessThan(4.2);
    expect(() => poissonFem1D(Math.sin, { elements: 1 })).toThrow(/elements/);
  });
});

describe('conditions', () => {
  it('Neumann residual is the outward normal derivative minus data', () => {
    const g = rectangle([0, 0], [1, 1]);
    const pts = pointsArray(
      [
        [1, 0.5],
        [0, 0.25],
      ],
      2,
    );
    // u = x0², ∂u/∂n = 2 at x0 = 1 (n = +e0), 0 at x0 = 0 (n = −e0)
    const c = neumannBC(g, pts, 0);
    const r = c.residual((x) => square(column(x, 0)), {}).dataSync();
    expect(r[0]).toBeCloseTo(2, 12);
    expect(r[1]).toBeCloseTo(0, 12);
  });
});

describe('RAR', () => {
  it('adds points where the residual of a steep front is largest', () => {
    // u = tanh(50(x − 0.5)): the residual u″ of −u″ = 0 is concentrated within ~0.05 of the front
    const u = (x: ReturnType<typeof pointsArray>) => tanhOp(mul(50, sub(x, 0.5)));
    const g = interval(0, 1);
    const cand = g.sampleInterior(1000, { sampler: 'random', rng: new Generator(2) });
    const { added, points } = rarRefine(u, (D) => D.d(0, 0), g.sampleInterior(10), cand, 10);
    expect(points.shape).toEqual([20, 1]);
    for (const x of added.dataSync()) expect(Math.abs(x - 0.5)).toBeLessThan(0.05);
  });
});
