/**
 * @sciml/physics integrators against their peers, on the same problems in the same process.
 * Run with `pnpm bench physics`.
 *
 * 1. Fixed-step RK4 on Lorenz-63 for 10⁶ steps through `solveIVP` (output only at t1) against the same RK4
 *    hand-inlined into one Float64Array loop — the language's limit — twice: with Lorenz-63 declared as a
 *    symbolic system (`defineSystem`: solveIVP runs a loop generated from the RK4 tableau with f written in,
 *    state and stages in locals), and with the plain in-place JS closure f(t, y, dydt). All do the same
 *    arithmetic in the same order, so their end states agree to rounding. Also the closure against the same
 *    RK4 written by hand in solveIVP's calling convention (Float64Array stages, in-place f): what the
 *    convention itself costs.
 * 2. Adaptive Dormand–Prince (`solveIVP` 'RK45', 'DOP853'), Tsitouras ('Tsit5') and Verner ('Vern7', 'Vern9')
 *    against `odex`, the JavaScript
 *    port of Hairer & Wanner's ODEX (Gragg–Bulirsch–Stoer extrapolation — not DOPRI5: it is the JS peer
 *    with Hairer's step control), at the same rtol = atol on Lorenz-63 and Van der Pol. Steps, function
 *    evaluations and the achieved error are printed before the timing table, since an extrapolation step
 *    and a Runge–Kutta step are different units of work. odex takes a returning f(x, y: number[]) →
 *    number[]; ours is timed with the in-place form its users write for speed.
 * 3. SINDy on 10⁵ Lorenz-63 samples (finite differences, degree-2 library, STLSQ) against the same
 *    algorithm written with ml-matrix (QR least squares per thresholding pass).
 */

import { createRequire } from 'node:module';
import {
  Lorenz63,
  SINDy,
  VanDerPol,
  defineSystem,
  sampleTrajectory,
  solveIVP,
  stlsq,
} from '@sciml/physics';
import { Matrix, solve } from 'ml-matrix';
import type { BenchCase } from './harness/index.js';
import { runBenchmark } from './harness/index.js';
import { emulatorCases } from './physics-emulators.js';
import { odeCases } from './physics-ode.js';

/** The part of odex's API used here. odex ships its TypeScript source as its types, which does not
 * compile under this repo's strict settings, so it is loaded through `require` with these declarations. */
interface OdexSolver {
  absoluteTolerance: number;
  relativeTolerance: number;
  maxSteps: number;
  solve(
    f: (x: number, y: number[]) => number[],
    x0: number,
    y0: number[],
    x1: number,
  ): { y: number[]; nStep: number; nEval: number; nAccept: number; nReject: number };
}
const { Solver } = createRequire(import.meta.url)('odex') as {
  Solver: new (n: number) => OdexSolver;
};

// ---------------------------------------------------------------- 1. RK4, 10⁶ steps

const lorenz = new Lorenz63();
const SIGMA = 10;
const RHO = 28;
const BETA = 8 / 3;
const steps = 1_000_000;
const dt = 0.01;
const tEnd = steps * dt;

/** RK4 on Lorenz-63 written out in one loop: stages as locals, no calls (what a hand-tuned kernel does). */
function rk4Inline(x0: number, y0: number, z0: number): Float64Array {
  let x = x0;
  let y = y0;
  let z = z0;
  const h2 = 0.5 * dt;
  const h6 = dt / 6;
  for (let i = 0; i < steps; i++) {
    const k1x = SIGMA * (y - x);
    const k1y = x * (RHO - z) - y;
    const k1z = x * y - BETA * z;
    let tx = x + h2 * k1x;
    let ty = y + h2 * k1y;
    let tz = z + h2 * k1z;
    const k2x = SIGMA * (ty - tx);
    const k2y = tx * (RHO - tz) - ty;
    const k2z = tx * ty - BETA * tz;
    tx = x + h2 * k2x;
    ty = y + h2 * k2y;
    tz = z + h2 * k2z;
    const k3x = SIGMA * (ty - tx);
    const k3y = tx * (RHO - tz) - ty;
    const k3z = tx * ty - BETA * tz;
    tx = x + dt * k3x;
    ty = y + dt * k3y;
    tz = z + dt * k3z;
    const k4x = SIGMA * (ty - tx);
    const k4y = tx * (RHO - tz) - ty;
    const k4z = tx * ty - BETA * tz;
    x += h6 * (k1x + 2 * (k2x + k3x) + k4x);
    y += h6 * (k1y + 2 * (k2y + k3y) + k4y);
    z += h6 * (k1z + 2 * (k2z + k3z) + k4z);
  }
  return Float64Array.of(x, y, z);
}

/**
 * The same RK4 hand-written with the calling convention of `solveIVP`'s in-place form: Float64Array stages
 * and f(t, y, dydt) (`lorenz.rhs`, which V8 inlines here as into our step loop). What separates our loop from
 * `rk4Inline` is this convention — each stage stores its input, f loads it and stores its output, the next
 * stage loads that: store→load round trips on the critical path of a 3-dimensional system — not the stepper.
 */
function rk4Arrays(): Float64Array {
  const f = lorenz.rhs;
  const y = Float64Array.of(1, 1, 1);
  const k1 = new Float64Array(3);
  const k2 = new Float64Array(3);
  const k3 = new Float64Array(3);
  const k4 = new Float64Array(3);
  const tmp = new Float64Array(3);
  const h2 = 0.5 * dt;
  const h6 = dt / 6;
  f(0, y, k1);
  for (let i = 0; i < steps; i++) {
    const t = i * dt;
    for (let m = 0; m < 3; m++) tmp[m] = y[m] + h2 * k1[m];
    f(t + h2, tmp, k2);
    for (let m = 0; m < 3; m++) tmp[m] = y[m] + h2 * k2[m];
    f(t + h2, tmp, k3);
    for (let m = 0; m < 3; m++) tmp[m] = y[m] + dt * k3[m];
    f(t + dt, tmp, k4);
    for (let m = 0; m < 3; m++) y[m] += h6 * (k1[m] + 2 * (k2[m] + k3[m]) + k4[m]);
    f(t + dt, y, k1);
  }
  return y;
}

const y0 = [1, 1, 1];

/** Lorenz-63 as a user declares it symbolically: solveIVP's RK4 then runs a loop with f written in. */
const lorenzSymbolic = defineSystem({
  name: 'Lorenz-63',
  state: ['x', 'y', 'z'],
  params: { sigma: SIGMA, rho: RHO, beta: BETA },
  rhs: { x: 'sigma*(y - x)', y: 'x*(rho - z) - y', z: 'x*y - beta*z' },
});
const rk4Symbolic = () => {
  const r = solveIVP(lorenzSymbolic.rhs, [0, tEnd], y0, { method: 'RK4', dt, tEval: [tEnd] });
  return Float64Array.of(r.y.get(0, 0), r.y.get(1, 0), r.y.get(2, 0));
};

/** The same with the plain JS closure f(t, y, dydt) (`Lorenz63.rhs`): the in-place convention's cost. */
const rk4Ours = () => {
  const r = solveIVP(lorenz.rhs, [0, tEnd], y0, { method: 'RK4', dt, tEval: [tEnd] });
  return Float64Array.of(r.y.get(0, 0), r.y.get(1, 0), r.y.get(2, 0));
};

/**
 * The two RK4 loops agree step for step except solveIVP's last step, which ends exactly on t1 (h = t1 − t,
 * within ulps of dt); chaos does not amplify a last-step difference, so the states agree closely.
 */
function sameState(ours: unknown, peer: unknown, peerName: string): void {
  const a = ours as Float64Array;
  const b = peer as Float64Array;
  for (let i = 0; i < 3; i++) {
    if (Math.abs(a[i] - b[i]) > 1e-8 * Math.max(1, Math.abs(b[i]))) {
      throw new Error(
        `RK4 end state differs from ${peerName}: ${Array.from(a)} vs ${Array.from(b)}`,
      );
    }
  }
}

// ---------------------------------------------------------------- 2. adaptive vs odex

interface Problem {
  name: string;
  rhs: (t: number, y: Float64Array, dy: Float64Array) => void;
  rhsArray: (x: number, y: number[]) => number[];
  y0: number[];
  tEnd: number;
}

const vdp = new VanDerPol({ mu: 1 });
const problems: Problem[] = [
  {
    name: 'Lorenz-63 t∈[0,10]',
    rhs: lorenz.rhs,
    rhsArray: (_x, [x, y, z]) => [SIGMA * (y - x), x * (RHO - z) - y, x * y - BETA * z],
    y0: [1, 1, 1],
    tEnd: 10,
  },
  {
    name: 'Van der Pol μ=1 t∈[0,20]',
    rhs: vdp.rhs,
    rhsArray: (_x, [x, v]) => [v, (1 - x * x) * v - x],
    y0: [2, 0],
    tEnd: 20,
  },
];
const tol = 1e-10;

function odexSolve(p: Problem, tolerance: number) {
  const s = new Solver(p.y0.length);
  s.absoluteTolerance = tolerance;
  s.relativeTolerance = tolerance;
  s.maxSteps = 1e6;
  return s.solve(p.rhsArray, 0, p.y0, p.tEnd);
}

type AdaptiveMethod = 'RK45' | 'Tsit5' | 'DOP853' | 'Vern7' | 'Vern9';
const adaptiveMethods: readonly AdaptiveMethod[] = ['RK45', 'Tsit5', 'DOP853', 'Vern7', 'Vern9'];

function oursSolve(p: Problem, method: AdaptiveMethod, tolerance: number) {
  return solveIVP(p.rhs, [0, p.tEnd], p.y0, {
    method,
    rtol: tolerance,
    atol: tolerance,
    tEval: [p.tEnd],
  });
}

const endOf = (r: ReturnType<typeof oursSolve>) =>
  Array.from({ length: r.y.shape[0] }, (_, i) => r.y.get(i, 0));
const maxDiff = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));

const adaptiveCases: BenchCase[] = [];
console.log(
  `adaptive solvers at rtol = atol = ${tol}: work and achieved error (reference: Tsit5 at 1e-14)`,
);
console.log('problem                    | solver         | steps  | f evals | error at t1');
for (const p of problems) {
  const ref = endOf(oursSolve(p, 'Tsit5', 1e-14));
  const runs = new Map(adaptiveMethods.map((m) => [m, oursSolve(p, m, tol)] as const));
  const ox = odexSolve(p, tol);
  const rows: [string, number, number, number][] = [
    ...adaptiveMethods.map((m): [string, number, number, number] => {
      const r = runs.get(m)!;
      return [`solveIVP ${m}`, r.nsteps, r.nfev, maxDiff(endOf(r), ref)];
    }),
    ['odex (ODEX)', ox.nStep, ox.nEval, maxDiff(ox.y, ref)],
  ];
  for (const [name, nsteps, nfev, err] of rows) {
    console.log(
      `${p.name.padEnd(26)} | ${name.padEnd(14)} | ${String(nsteps).padStart(6)} | ${String(nfev).padStart(7)} | ${err.toExponential(2)}`,
    );
  }
  const closeToRef = (ours: unknown, peer: unknown, peerName: string) => {
    const a = ours as number[];
    const b = peer as number[];
    // both meet the tolerance up to the growth of errors along the trajectory
    if (maxDiff(a, ref) > 1e-4 || maxDiff(b, ref) > 1e-4) {
      throw new Error(`${p.name}: ours ${a} / ${peerName} ${b} disagree with the reference ${ref}`);
    }
  };
  for (const method of adaptiveMethods) {
    // the work (f evaluations, ours vs odex) goes into the case name so that the JSON keeps it
    const nfev = runs.get(method)!.nfev;
    adaptiveCases.push({
      case: `${method} ${p.name} tol ${tol} (f evals ${nfev} vs ${ox.nEval})`,
      ours: () => endOf(oursSolve(p, method, tol)),
      peer: () => odexSolve(p, tol).y,
      peerName: 'odex (Hairer ODEX, GBS extrapolation)',
      verify: closeToRef,
    });
  }
}
console.log();

// ---------------------------------------------------------------- 3. SINDy
// SINDy on 10⁵ samples of Lorenz-63 (dt = 0.001, 100 time units): second-order finite differences, the
// degree-2 polynomial library (10 terms) and STLSQ (threshold 0.1, no ridge, least-squares refit), against
// the same algorithm written with ml-matrix the way pysindy's STLSQ reads: Θ as a Matrix, each pass a
// least-squares solve (`solve`, by QR) of Θ restricted to the kept terms. Both start from the same samples.
const sindySamples = 100_000;
const sindyDt = 0.001;
const sindyData = sampleTrajectory(lorenz, { dt: sindyDt, samples: sindySamples, transient: 1 });
const sindyX = Float64Array.from(sindyData.x.dataSync());
const sindyThreshold = 0.1;

const sindyOurs = () =>
  new SINDy({ optimizer: stlsq({ threshold: sindyThreshold, alpha: 0 }) })
    .fit(sindyData.x, { t: sindyDt })
    .coefficients.toNested() as number[][];

/** STLSQ with ml-matrix: finite differences, Θ, then thresholded least squares per target. */
function sindyMlMatrix(): number[][] {
  const m = sindySamples;
  const x = sindyX;
  const dx = new Float64Array(3 * m);
  for (let j = 0; j < 3; j++) {
    dx[j] = (-3 * x[j] + 4 * x[3 + j] - x[6 + j]) / (2 * sindyDt);
    for (let i = 1; i < m - 1; i++)
      dx[3 * i + j] = (x[3 * (i + 1) + j] - x[3 * (i - 1) + j]) / (2 * sindyDt);
    const e = 3 * (m - 1) + j;
    dx[e] = (3 * x[e] - 4 * x[e - 3] + x[e - 6]) / (2 * sindyDt);
  }
  const theta = new Matrix(m, 10);
  for (let i = 0; i < m; i++) {
    const [a, b, c] = [x[3 * i], x[3 * i + 1], x[3 * i + 2]];
    const row = [1, a, b, c, a * a, a * b, a * c, b * b, b * c, c * c];
    for (let j = 0; j < 10; j++) theta.set(i, j, row[j]);
  }
  const coef: number[][] = [];
  for (let target = 0; target < 3; target++) {
    const y = Matrix.columnVector(Array.from({ length: m }, (_, i) => dx[3 * i + target]));
    let support = Array.from({ length: 10 }, (_, j) => j);
    let xi = new Array<number>(10).fill(0);
    for (let it = 0; it < 20; it++) {
      const sol = solve(theta.subMatrixColumn(support), y).to1DArray();
      xi = new Array<number>(10).fill(0);
      support.forEach((j, k) => {
        xi[j] = sol[k];
      });
      const kept = support.filter((j) => Math.abs(xi[j]) >= sindyThreshold);
      if (kept.length === support.length) break;
      support = kept;
    }
    coef.push(xi);
  }
  return coef;
}

/** Same support, and coefficients equal to the conditioning of the normal equations (cond(Θ)² ε ≈ 1e-8). */
function sameCoefficients(ours: unknown, peer: unknown, peerName: string): void {
  const a = (ours as number[][]).flat();
  const b = (peer as number[][]).flat();
  a.forEach((v, e) => {
    if ((v === 0) !== (b[e] === 0) || Math.abs(v - b[e]) > 1e-6 * Math.max(1, Math.abs(b[e]))) {
      throw new Error(`SINDy coefficients differ from ${peerName} at ${e}: ${v} vs ${b[e]}`);
    }
  });
}

const sindyCases: BenchCase[] = [
  {
    case: 'SINDy fit Lorenz-63 1e5 samples (FD + poly2 + STLSQ)',
    ours: sindyOurs,
    peer: sindyMlMatrix,
    peerName: 'same STLSQ with ml-matrix (QR solve per pass)',
    verify: sameCoefficients,
  },
];

await runBenchmark({
  name: 'physics',
  cases: [
    {
      case: 'RK4 Lorenz-63 1e6 steps (solveIVP, output at t1): symbolic system (defineSystem)',
      ours: rk4Symbolic,
      peer: () => rk4Inline(1, 1, 1),
      peerName: 'hand-inlined Float64Array RK4 loop',
      verify: sameState,
    },
    {
      case: 'RK4 Lorenz-63 1e6 steps (solveIVP, output at t1): JS closure f(t, y, dydt)',
      ours: rk4Ours,
      peer: () => rk4Inline(1, 1, 1),
      peerName: 'hand-inlined Float64Array RK4 loop',
      verify: sameState,
    },
    {
      case: 'RK4 Lorenz-63 1e6 steps (solveIVP) vs the same loop by hand with in-place f',
      ours: rk4Ours,
      peer: rk4Arrays,
      peerName: 'hand-written RK4 loop, Float64Array stages, in-place f (solveIVP’s convention)',
      verify: sameState,
    },
    ...adaptiveCases,
    ...sindyCases,
    ...odeCases,
    ...emulatorCases,
  ],
  reps: 9,
});
