import { NotFiniteError, ShapeError, ValueError } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { inlineKernelOf } from '../../integrate/inline-kernels.js';
import { solveIVP } from '../../integrate/solve-ivp.js';
import type { OdeResult, OdeRhsInPlace, SolveIVPOptions } from '../../integrate/types.js';
import { Duffing } from '../duffing.js';
import { Lorenz63 } from '../lorenz63.js';
import { LotkaVolterra } from '../lotka-volterra.js';
import { VanDerPol } from '../van-der-pol.js';
import { type SymbolicSystem, defineSystem } from './define-system.js';
import { ExpressionError, MATH_FUNCTIONS } from './expression.js';

const LORENZ = {
  name: 'Lorenz-63',
  state: ['x', 'y', 'z'],
  params: { sigma: 10, rho: 28, beta: 8 / 3 },
  rhs: { x: 'sigma*(y - x)', y: 'x*(rho - z) - y', z: 'x*y - beta*z' },
} as const;

/** A deterministic point sequence (no Math.random: failures must reproduce). */
function points(n: number, count: number, scale: number): Float64Array[] {
  let s = 12345;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648 - 0.5) * 2 * scale;
  };
  return Array.from({ length: count }, () => Float64Array.from({ length: n }, next));
}

/** The same right-hand side behind a wrapper: not registered, so solveIVP takes the generic loops. */
const generic =
  (f: OdeRhsInPlace): OdeRhsInPlace =>
  (t, y, d) =>
    f(t, y, d);

/** Bit-for-bit equality of two solutions (times, states, counters). */
function expectSameBits(a: OdeResult, b: OdeResult): void {
  expect(Array.from(a.t)).toEqual(Array.from(b.t));
  const ya = a.y.dataSync();
  const yb = b.y.dataSync();
  expect(ya.length).toBe(yb.length);
  for (let i = 0; i < ya.length; i++) {
    if (!Object.is(ya[i], yb[i])) expect.fail(`y differs at ${i}: ${ya[i]} vs ${yb[i]}`);
  }
  expect(a.nfev).toBe(b.nfev);
  expect(a.status).toBe(b.status);
}

describe('defineSystem: the compiled right-hand side', () => {
  it('equals the hand-written built-in systems to the last bit', () => {
    const pairs: [OdeRhsInPlace, SymbolicSystem, number][] = [
      [new Lorenz63().rhs, defineSystem(LORENZ), 20],
      [new Lorenz63({ rho: 99.96 }).rhs, new Lorenz63({ rho: 99.96 }).toSymbolic(), 20],
      [new LotkaVolterra().rhs, new LotkaVolterra().toSymbolic(), 5],
      [new VanDerPol({ mu: 7 }).rhs, new VanDerPol({ mu: 7 }).toSymbolic(), 3],
      [new Duffing().rhs, new Duffing().toSymbolic(), 2],
    ];
    for (const [hand, sym, scale] of pairs) {
      const a = new Float64Array(sym.dim);
      const b = new Float64Array(sym.dim);
      for (const [k, y] of points(sym.dim, 50, scale).entries()) {
        const t = 0.37 * k;
        hand(t, y, a);
        sym.rhs(t, y, b);
        for (let i = 0; i < sym.dim; i++) expect(Object.is(a[i], b[i]), sym.name).toBe(true);
      }
    }
  });

  it('describes itself: names, parameters, equations, initial state', () => {
    const lorenz = new Lorenz63().toSymbolic();
    expect(lorenz.name).toBe('Lorenz-63');
    expect(lorenz.dim).toBe(3);
    expect(lorenz.stateNames).toEqual(['x', 'y', 'z']);
    expect(lorenz.params).toEqual({ sigma: 10, rho: 28, beta: 8 / 3 });
    expect(Array.from(lorenz.initialState())).toEqual([1, 1, 1]);
    expect(lorenz.toString()).toBe("x' = sigma*(y - x)\ny' = x*(rho - z) - y\nz' = x*y - beta*z");
    const rho35 = lorenz.withParams({ rho: 35 });
    const d = new Float64Array(3);
    rho35.rhs(0, Float64Array.of(1, 0, 0), d);
    expect(d[1]).toBe(35); // x(ρ − z) − y at (1, 0, 0)
  });
});

describe('defineSystem: fixed-step loops with f written in', () => {
  const lorenz = defineSystem({ ...LORENZ, initialState: [1, 1, 1] });
  const duffing = new Duffing({ gamma: 0.7 }).toSymbolic(); // parameters and t-dependence

  it('registers RK4 and Euler loops on its rhs', () => {
    expect(inlineKernelOf(lorenz.rhs, 'RK4')).toBeTypeOf('function');
    expect(inlineKernelOf(lorenz.rhs, 'Euler')).toBeTypeOf('function');
    expect(inlineKernelOf(new Lorenz63().rhs, 'RK4')).toBeUndefined();
  });

  it('gives the generic solveIVP path’s bits: RK4 and Euler, Lorenz and forced Duffing, long and short, forward and backward', () => {
    const runs: [SymbolicSystem, readonly [number, number], number, SolveIVPOptions][] = [
      // 3000 steps: past OWN_KERNEL_MIN_STEPS, the generic side runs its unrolled per-f copy
      [lorenz, [0, 30], 0.01, { tEval: [7.5, 15, 30] }],
      [lorenz, [0, 1.005], 0.01, {}], // every step output; last step shortened onto t1
      [duffing, [0, 40], 0.01, { tEval: [10, 40] }],
      [duffing, [5, -3], 0.02, {}], // backwards in time
    ];
    for (const [sys, span, dt, extra] of runs) {
      for (const method of ['RK4', 'Euler'] as const) {
        const y0 = sys.initialState();
        const ours = solveIVP(sys.rhs, span, y0, { method, dt, ...extra });
        const ref = solveIVP(generic(sys.rhs), span, y0, { method, dt, ...extra });
        expect(ours.success).toBe(true);
        expectSameBits(ours, ref);
      }
    }
  });

  it('keeps dense output and events working (they step one step at a time through the same loop)', () => {
    const events = [
      (_t: number, y: Float64Array) => y[0], // x = 0: the trajectory switches wings
      { g: (t: number) => t - 15.5, terminal: true, direction: 1 as const },
    ];
    const options: SolveIVPOptions = { method: 'RK4', dt: 0.01, events, denseOutput: true };
    const ours = solveIVP(lorenz.rhs, [0, 20], [1, 1, 1], options);
    const ref = solveIVP(generic(lorenz.rhs), [0, 20], [1, 1, 1], options);
    expectSameBits(ours, ref);
    expect(ours.tEvents![0]!.length).toBeGreaterThan(0);
    expect(ours.tEvents![0]).toEqual(ref.tEvents![0]);
    expect(ours.tEvents![1]![0]).toBeCloseTo(15.5, 12);
    expect(ours.status).toBe(1);
    for (const t of [0.123, 3.25, ours.t[ours.t.length - 1]! - 0.004]) {
      expect(Array.from(ours.sol!(t))).toEqual(Array.from(ref.sol!(t)));
    }
  });

  it('matches the adaptive methods, which call the compiled rhs (RK45 at tight tolerance vs RK4)', () => {
    const rk4 = solveIVP(duffing.rhs, [0, 5], duffing.initialState(), {
      method: 'RK4',
      dt: 0.001,
      tEval: [5],
    });
    const dp = solveIVP(duffing.rhs, [0, 5], duffing.initialState(), {
      rtol: 1e-11,
      atol: 1e-12,
      tEval: [5],
    });
    for (let i = 0; i < 2; i++) expect(rk4.y.get(i, 0)).toBeCloseTo(dp.y.get(i, 0), 9);
  });
});

describe('defineSystem: analytic Jacobian', () => {
  it('equals the hand-written Jacobians of Lorenz-63 and Lotka–Volterra', () => {
    const cases: [(t: number, y: Float64Array, j: Float64Array) => void, SymbolicSystem][] = [
      [new Lorenz63().jacobian, new Lorenz63().toSymbolic()],
      [new LotkaVolterra().jacobian, new LotkaVolterra().toSymbolic()],
    ];
    for (const [hand, sym] of cases) {
      const n = sym.dim;
      const a = new Float64Array(n * n);
      const b = new Float64Array(n * n);
      for (const y of points(n, 10, 3)) {
        hand(0, y, a);
        sym.jacobian(0, y, b);
        expect(Array.from(b)).toEqual(Array.from(a));
      }
    }
    expect(new Lorenz63().toSymbolic().jacobianEquations()).toEqual([
      ['-sigma', 'sigma', '0'],
      ['rho - z', '-1', '-x'],
      ['y', 'x', '-beta'],
    ]);
  });

  it('agrees with central finite differences for every whitelisted function', () => {
    // one system per function, its arguments functions of both states; points inside every domain
    const arg = ['0.3*x + 0.1*y', '0.2*y - 0.1*x + 0.5'];
    const step = 1e-6;
    for (const [fn, arity] of Object.entries(MATH_FUNCTIONS)) {
      const call = `${fn}(${arg.slice(0, arity).join(', ')})`;
      const sys = defineSystem({
        name: fn,
        state: ['x', 'y'],
        params: { k: 1.3 },
        rhs: { x: `k*${call}*y`, y: `${call}^2 - x/y + y^x` },
      });
      const J = new Float64Array(4);
      for (const y of [Float64Array.of(0.7, 1.1), Float64Array.of(0.2, 0.6)]) {
        if (fn === 'sign' || fn === 'abs') y[0] += 0.05; // away from the kink of the argument
        sys.jacobian(0.5, y, J);
        const fp = new Float64Array(2);
        const fm = new Float64Array(2);
        for (let j = 0; j < 2; j++) {
          const yp = Float64Array.from(y);
          const ym = Float64Array.from(y);
          yp[j] += step;
          ym[j] -= step;
          sys.rhs(0.5, yp, fp);
          sys.rhs(0.5, ym, fm);
          for (let i = 0; i < 2; i++) {
            const fd = (fp[i] - fm[i]) / (2 * step);
            expect(Math.abs(J[i * 2 + j] - fd), `${fn}: ∂f${i}/∂y${j}`).toBeLessThan(
              1e-7 * Math.max(1, Math.abs(fd)),
            );
          }
        }
      }
    }
  });

  it('serves the stiff methods as jac: Van der Pol μ = 1000 with Radau, as with the hand-written Jacobian', () => {
    const vdp = new VanDerPol({ mu: 1000 });
    const sym = vdp.toSymbolic();
    const opts: SolveIVPOptions = { method: 'Radau', rtol: 1e-6, atol: 1e-8, tEval: [1000] };
    const ours = solveIVP(sym.rhs, [0, 1000], [2, 0], { ...opts, jac: sym.jacobian });
    const ref = solveIVP(vdp.rhs, [0, 1000], [2, 0], { ...opts, jac: vdp.jacobian });
    expect(ours.success).toBe(true);
    expect(ours.njev).toBeGreaterThan(0);
    expect(ours.nsteps).toBe(ref.nsteps);
    for (let i = 0; i < 2; i++) expect(ours.y.get(i, 0)).toBe(ref.y.get(i, 0));
  });
});

describe('defineSystem: bad input', () => {
  const errorOf = (fn: () => unknown): Error => {
    try {
      fn();
    } catch (e) {
      return e as Error;
    }
    throw new Error('expected an error');
  };

  it('names the system, the equation and the unknown identifier with its position', () => {
    const e = errorOf(() =>
      defineSystem({ ...LORENZ, name: 'mine', rhs: { ...LORENZ.rhs, y: 'x*(r - z) - y' } }),
    ) as ExpressionError;
    expect(e).toBeInstanceOf(ExpressionError);
    expect(e.system).toBe('mine');
    expect(e.identifier).toBe('r');
    expect(e.position).toBe(3);
    expect(e.expression).toBe('x*(r - z) - y');
    expect(e.message).toContain(
      "unknown identifier 'r' at position 3 in the equation of y' of system 'mine'",
    );
    expect(e.message).toContain('known: x, y, z, sigma, rho, beta, t');
  });

  it('rejects a missing or extra equation, bad names, non-finite parameters and a wrong y0', () => {
    const { z: _z, ...noZ } = LORENZ.rhs;
    expect(() => defineSystem({ ...LORENZ, rhs: noZ as typeof LORENZ.rhs })).toThrow(
      /no equation for state 'z'/,
    );
    expect(() =>
      defineSystem({ ...LORENZ, rhs: { ...LORENZ.rhs, w: '1' } as typeof LORENZ.rhs }),
    ).toThrow(/equation for 'w', which is not a state/);
    expect(() =>
      defineSystem({ ...LORENZ, params: { ...LORENZ.params, rho: Number.NaN } }),
    ).toThrow(NotFiniteError);
    expect(() =>
      defineSystem({ ...LORENZ, params: { ...LORENZ.params, rho: Number.NaN } }),
    ).toThrow(/parameter rho of system 'Lorenz-63' is NaN/);
    expect(() => defineSystem({ state: ['sin'], rhs: { sin: '1' } })).toThrow(/reserved/);
    expect(() => defineSystem({ state: ['t'], rhs: { t: '1' } })).toThrow(/reserved/);
    expect(() => defineSystem({ state: ['x', 'x'], rhs: { x: '1' } })).toThrow(/declared twice/);
    expect(() => defineSystem({ state: ['x'], params: { x: 1 }, rhs: { x: '1' } })).toThrow(
      /both a state and a parameter/,
    );
    expect(() => defineSystem({ state: ['2x'], rhs: { '2x': '1' } })).toThrow(/not an identifier/);
    expect(() => defineSystem({ state: [], rhs: {} })).toThrow(ValueError);
    expect(() => defineSystem({ state: ['x'], rhs: { x: 'sin(x' } })).toThrow(ExpressionError);
    const noInit = defineSystem(LORENZ);
    expect(() => noInit.initialState()).toThrow(/without an initialState/);
    expect(() => noInit.withParams({ gamma: 1 })).toThrow(/unknown parameter 'gamma'/);
    expect(() => solveIVP(noInit.rhs, [0, 1], [1, 1], { method: 'RK4', dt: 0.1 })).toThrow(
      ShapeError,
    );
    expect(() => defineSystem({ ...LORENZ, initialState: [1, 2] })).toThrow(ShapeError);
  });
});
