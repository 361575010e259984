/**
 * The ODE half of `pnpm bench physics` beyond the RK4/odex cases of physics.bench.ts:
 *
 * 1. Robertson's stiff kinetics to t = 1e5 with Radau IIA at rtol 1e-6 (atol 1e-10) and 1e-10 (atol 1e-14): wall
 *    time per solve, with steps / f / LU counts in the case name. No JS peer has a stiff solver, so the
 *    reference is our ESDIRK pair Kvaerno5 at the same tolerances.
 * 2. Gradient of a 1 000-step Lorenz loss L = Σ‖0.01·y(tᵢ)‖² w.r.t. (σ, ρ, β) and y₀ (`odeint` RK4, dt = 1e-3 on
 *    [0, 1]): the continuous adjoint against backprop through the solver and central finite differences (12
 *    float64 solves with `solveIVP`). Memory: the heap retained between the forward pass and the pullback
 *    (after a full GC), printed for 10², 10³ and 10⁴ steps — flat for the adjoint, ∝ steps for backprop.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { grad, vjp } from '@sciml/autodiff';
import { type NDArray, array, mul, scalar, slice, square, stack, sub, sum } from '@sciml/linalg';
import { odeint, solveIVP } from '@sciml/physics';
import type { BenchCase } from './harness/index.js';

// ---------------------------------------------------------------- Robertson with Radau

const robertson = (_t: number, y: Float64Array, dy: Float64Array): void => {
  dy[0] = -0.04 * y[0] + 1e4 * y[1] * y[2];
  dy[1] = 0.04 * y[0] - 1e4 * y[1] * y[2] - 3e7 * y[1] * y[1];
  dy[2] = 3e7 * y[1] * y[1];
};
const robertsonJac = (_t: number, y: Float64Array, J: Float64Array): void => {
  J.set([
    -0.04,
    1e4 * y[2],
    1e4 * y[1],
    0.04,
    -1e4 * y[2] - 6e7 * y[1],
    -1e4 * y[1],
    0,
    6e7 * y[1],
    0,
  ]);
};
const stiffSolve = (method: 'Radau' | 'Kvaerno5', rtol: number) =>
  solveIVP(robertson, [0, 1e5], [1, 0, 0], {
    method,
    rtol,
    atol: rtol === 1e-10 ? 1e-14 : 1e-10,
    jac: robertsonJac,
    tEval: [1e5],
  });

const robertsonCases: BenchCase[] = [1e-6, 1e-10].map((rtol) => {
  const r = stiffSolve('Radau', rtol);
  const k = stiffSolve('Kvaerno5', rtol);
  return {
    case: `Robertson t∈[0,1e5] Radau rtol ${rtol} (${r.nsteps} steps, ${r.nrejected} rejected, ${r.nfev} f, ${r.nlu} LU; Kvaerno5 ${k.nsteps} steps)`,
    ours: () => stiffSolve('Radau', rtol).y.get(2, 0),
    peer: () => stiffSolve('Kvaerno5', rtol).y.get(2, 0),
    peerName: 'Kvaerno5 ESDIRK (@sciml, same tolerances: no JS peer has a stiff solver)',
    verify: (ours, peer) => {
      if (Math.abs((ours as number) - (peer as number)) > 1e3 * rtol)
        throw new Error(`Robertson y3(1e5): Radau ${ours} vs Kvaerno5 ${peer}`);
    },
  };
});

// ---------------------------------------------------------------- Lorenz gradient, 1 000 steps

type LorenzParams = { sigma: NDArray; rho: NDArray; beta: NDArray };
const lorenzField = (_t: number, y: NDArray, p: LorenzParams): NDArray => {
  const x = slice(y, 0);
  const yy = slice(y, 1);
  const z = slice(y, 2);
  return stack([
    mul(p.sigma, sub(yy, x)),
    sub(mul(x, sub(p.rho, z)), yy),
    sub(mul(x, yy), mul(p.beta, z)),
  ]);
};
const params: LorenzParams = { sigma: scalar(10), rho: scalar(28), beta: scalar(8 / 3) };
const y0 = array([1, 1, 1]);
const ts = Array.from({ length: 11 }, (_, i) => i / 10);

const lossOf = (mode: 'direct' | 'adjoint', steps: number) => (p: LorenzParams, y: NDArray) =>
  sum(
    square(
      mul(odeint(lorenzField, y, ts, p, { method: 'RK4', dt: 1 / steps, gradient: mode }), 0.01),
    ),
  );

const gradient = (mode: 'direct' | 'adjoint') => {
  const g = grad(lossOf(mode, 1000), { argnums: [0, 1] })(params, y0) as [LorenzParams, NDArray];
  return [
    g[0].sigma.item(),
    g[0].rho.item(),
    g[0].beta.item(),
    ...(g[1].dataSync() as Float64Array),
  ];
};

/** Central differences on float64 RK4 solves (the same discretisation: dt = 1e-3, output every 0.1). */
function finiteDifferences(): number[] {
  const x0 = [10, 28, 8 / 3, 1, 1, 1];
  const value = (x: number[]) => {
    const r = solveIVP(
      (_t, y, d) => {
        d[0] = x[0] * (y[1] - y[0]);
        d[1] = y[0] * (x[1] - y[2]) - y[1];
        d[2] = y[0] * y[1] - x[2] * y[2];
      },
      [0, 1],
      x.slice(3),
      { method: 'RK4', dt: 1e-3, tEval: ts },
    );
    let acc = 0;
    for (const v of r.y.dataSync() as Float64Array) acc += (0.01 * v) ** 2;
    return acc;
  };
  return x0.map((xi, i) => {
    const h = 1e-6 * Math.max(1, Math.abs(xi));
    const up = [...x0];
    const down = [...x0];
    up[i] = xi + h;
    down[i] = xi - h;
    return (value(up) - value(down)) / (2 * h);
  });
}

function sameGradient(ours: unknown, peer: unknown, peerName: string): void {
  const a = ours as number[];
  const b = peer as number[];
  a.forEach((v, i) => {
    if (Math.abs(v - b[i]) > 1e-5 * Math.max(1, Math.abs(b[i])))
      throw new Error(`Lorenz gradient differs from ${peerName} at ${i}: ${v} vs ${b[i]}`);
  });
}

// memory retained between the forward pass and the pullback, after a full GC
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
function retainedBytes(mode: 'direct' | 'adjoint', steps: number): number {
  gc();
  const before = process.memoryUsage().heapUsed;
  const [, pull] = vjp(lossOf(mode, steps), params, y0);
  gc();
  const held = process.memoryUsage().heapUsed - before;
  pull(scalar(1));
  return held;
}
console.log('Lorenz loss gradient: heap retained for the pullback (MB), RK4 steps 1e2 / 1e3 / 1e4');
for (const mode of ['adjoint', 'direct'] as const) {
  const mb = [100, 1000, 10000].map((s) => (retainedBytes(mode, s) / 2 ** 20).toFixed(2));
  console.log(`  ${mode.padEnd(8)} ${mb.join(' / ')}`);
}
console.log();

const gradientCases: BenchCase[] = [
  {
    case: 'Lorenz loss gradient, 1000 RK4 steps: continuous adjoint (odeint)',
    ours: () => gradient('adjoint'),
    peers: [
      { name: 'backprop through the solver (odeint direct)', run: () => gradient('direct') },
      { name: 'central finite differences (12 float64 solves)', run: finiteDifferences },
    ],
    verify: sameGradient,
  },
];

/** The ODE cases appended to `pnpm bench physics`. */
export const odeCases: BenchCase[] = [...robertsonCases, ...gradientCases];
