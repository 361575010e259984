/**
 * RK4 (fixed step) vs RK45 (Dormand–Prince, adaptive) vs Rosenbrock23 (linearly implicit, L-stable)
 * on the Van der Pol oscillator y″ − μ(1 − y²)y′ + y = 0: as μ grows the problem turns stiff and
 * the explicit methods' step count grows with μ while the stiff method's does not.
 */
import { type OdeMethod, VanDerPol, solveIVP } from '@sciml/physics';
import { lineChart } from '../plots.js';
import type { Demo, DemoResult } from './types.js';

const Y0 = [2, 0];

interface MethodRun {
  method: string;
  steps: number;
  nfev: number;
  error: number;
  t: Float64Array;
  y: Float64Array;
}

/** Integrates Van der Pol(μ) to `tEnd` with each method; errors at tEnd against a Tsit5 run at rtol 1e-12. */
export function compareSolvers(mu: number, tEnd: number, rk4Dt: number): MethodRun[] {
  const vdp = new VanDerPol({ mu });
  const ref = solveIVP(vdp.rhs, [0, tEnd], Y0, { method: 'Tsit5', rtol: 1e-12, atol: 1e-12 });
  const refEnd = ref.y.dataSync();
  const nRef = ref.t.length;
  const endOf = (y: Float64Array, n: number) => [y[n - 1]!, y[2 * n - 1]!];
  const [r0, r1] = endOf(refEnd as Float64Array, nRef);
  const run = (method: OdeMethod, label: string, extra: object): MethodRun => {
    const sol = solveIVP(vdp.rhs, [0, tEnd], Y0, {
      method,
      rtol: 1e-6,
      atol: 1e-9,
      jac: vdp.jacobian,
      maxSteps: 2_000_000,
      ...extra,
    });
    const y = sol.y.dataSync() as Float64Array;
    const n = sol.t.length;
    const [a, b] = endOf(y, n);
    return {
      method: label,
      steps: sol.nsteps,
      nfev: sol.nfev,
      error: Math.hypot(a - r0!, b - r1!),
      t: sol.t,
      y: y.slice(0, n),
    };
  };
  return [
    run('RK4', `RK4 (dt = ${rk4Dt})`, { dt: rk4Dt }),
    run('RK45', 'RK45', {}),
    run('Rosenbrock23', 'Rosenbrock23', {}),
  ];
}

export const solversDemo: Demo = {
  id: 'solvers',
  title: 'RK4 vs RK45 vs a stiff solver',
  about:
    'Van der Pol from y = 2, y′ = 0 to t = 20. RK4 takes a fixed step; RK45 and Rosenbrock23 adapt theirs to ' +
    'rtol 1e-6. The error at t = 20 is measured against a Tsit5 run at rtol 1e-12. Raise μ to see the ' +
    'explicit methods pay for stiffness in steps while the linearly implicit method does not.',
  params: [
    { name: 'mu', label: 'stiffness μ', min: 1, max: 50, step: 1, value: 5 },
    { name: 'rk4Dt', label: 'RK4 step', min: 0.001, max: 0.05, step: 0.001, value: 0.01 },
  ],
  async run(p, ctx): Promise<DemoResult> {
    ctx.progress({ fraction: 0.1, message: 'integrating with three methods' });
    const runs = compareSolvers(p.mu!, 20, p.rk4Dt!);
    const numbers: Record<string, number> = {};
    const rows: { t: number; y: number; method: string }[] = [];
    for (const r of runs) {
      numbers[`${r.method} steps`] = r.steps;
      numbers[`${r.method} error`] = r.error;
      const stride = Math.max(1, Math.floor(r.t.length / 400));
      for (let i = 0; i < r.t.length; i += stride)
        rows.push({ t: r.t[i]!, y: r.y[i]!, method: r.method });
    }
    return {
      numbers,
      lines: runs.map(
        (r) =>
          `${r.method}: ${r.steps} steps, ${r.nfev} f-evaluations, error at t = 20: ${r.error.toExponential(2)}`,
      ),
      plots: [lineChart('y(t)', rows, { x: 't', y: 'y', series: 'method' })],
    };
  },
};
