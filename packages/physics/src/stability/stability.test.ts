import {
  ConvergenceError,
  type NDArray,
  ShapeError,
  ValueError,
  add,
  array,
  diag,
  matmul,
  mul,
  sin,
  cos,
} from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { solveIVP } from '../integrate/solve-ivp.js';
import { Lorenz63 } from '../systems/lorenz63.js';
import { propagateLinearError } from './error-propagation.js';
import { autodiffRhsJacobian, flowJacobian, mapJacobian, rhsJacobian } from './jacobians.js';
import { largestLyapunovExponent, lyapunovSpectrum } from './lyapunov.js';

const lorenz = new Lorenz63();

describe('Jacobians', () => {
  it('rhsJacobian: central differences match the analytic Lorenz Jacobian', () => {
    const y = [1.5, -2, 20];
    const fd = rhsJacobian(lorenz.rhs, 0, y);
    const exact = rhsJacobian(lorenz.rhs, 0, y, { jac: lorenz.jacobian });
    const a = fd.dataSync();
    const b = exact.dataSync();
    for (let k = 0; k < 9; k++)
      expect(Math.abs(a[k] - b[k])).toBeLessThan(1e-8 * Math.max(1, Math.abs(b[k])));
    expect(exact.shape).toEqual([3, 3]);
    expect(exact.get(1, 0)).toBe(28 - 20);
  });

  it('flowJacobian of the harmonic oscillator is the rotation matrix', () => {
    const T = 1.3;
    const { y, jacobian } = flowJacobian((_t, u) => [u[1], -u[0]], [0, T], [1, 0]);
    expect(y[0]).toBeCloseTo(Math.cos(T), 9);
    const want = [
      [Math.cos(T), Math.sin(T)],
      [-Math.sin(T), Math.cos(T)],
    ];
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 2; j++) expect(jacobian.get(i, j)).toBeCloseTo(want[i][j], 9);
  });

  it('flowJacobian of Lorenz-63 matches central differences of the flow', () => {
    const T = 0.5;
    const y0 = [1, 1, 1];
    const { jacobian } = flowJacobian(lorenz.rhs, [0, T], y0, { jac: lorenz.jacobian });
    const end = (v: number[]) => {
      const r = solveIVP(lorenz.rhs, [0, T], v, { rtol: 1e-12, atol: 1e-12, tEval: [T] });
      return [0, 1, 2].map((i) => r.y.get(i, 0));
    };
    const h = 1e-5;
    for (let j = 0; j < 3; j++) {
      const up = [...y0];
      const dn = [...y0];
      up[j] += h;
      dn[j] -= h;
      const a = end(up);
      const b = end(dn);
      for (let i = 0; i < 3; i++) {
        const fd = (a[i] - b[i]) / (2 * h);
        expect(Math.abs(jacobian.get(i, j) - fd)).toBeLessThan(1e-5 * Math.max(1, Math.abs(fd)));
      }
    }
    // Liouville: det Φ = exp(trace J · T) = exp(−(σ + 1 + β) T) for Lorenz (constant divergence)
    const m = (i: number, j: number) => jacobian.get(i, j);
    const det =
      m(0, 0) * (m(1, 1) * m(2, 2) - m(1, 2) * m(2, 1)) -
      m(0, 1) * (m(1, 0) * m(2, 2) - m(1, 2) * m(2, 0)) +
      m(0, 2) * (m(1, 0) * m(2, 1) - m(1, 1) * m(2, 0));
    expect(det / Math.exp(-(10 + 1 + 8 / 3) * T)).toBeCloseTo(1, 7);
  });

  it('mapJacobian: autodiff Jacobian of u ↦ A u + sin(u) is A + diag(cos u)', () => {
    const A = array([
      [0.5, 1, 0],
      [0, -0.3, 2],
      [1, 0, 0.1],
    ]);
    const map = (u: NDArray) => add(matmul(A, u), sin(u));
    const u = array([0.3, -1.2, 2]);
    const J = mapJacobian(map, u);
    const want = add(A, diag(cos(u)));
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) expect(J.get(i, j)).toBeCloseTo(want.get(i, j), 12);
    expect(() => mapJacobian(map, array([[1, 2, 3]]))).toThrow(ShapeError);
  });

  it('autodiffRhsJacobian drives the stiff solver on a stiff nonlinear system', () => {
    // y' = A y + 0.1 sin(y) with eigenvalues −1 and −1000 (stiff)
    const A = array([
      [-1, 0],
      [999, -1000],
    ]);
    const fNd = (_t: number, y: NDArray) => add(matmul(A, y), mul(sin(y), 0.1));
    const jac = autodiffRhsJacobian(fNd);
    const f = (t: number, y: Float64Array) => fNd(t, array(y)).dataSync();
    const J = new Float64Array(4);
    jac(0, Float64Array.of(0.5, 1), J);
    expect(J[0]).toBeCloseTo(-1 + 0.1 * Math.cos(0.5), 12);
    expect(J[2]).toBeCloseTo(999, 12);
    expect(J[3]).toBeCloseTo(-1000 + 0.1 * Math.cos(1), 12);
    const stiff = solveIVP(f, [0, 5], [1, 0], {
      method: 'Rosenbrock23',
      jac,
      rtol: 1e-4,
      atol: 1e-7,
    });
    const ref = solveIVP(f, [0, 5], [1, 0], { method: 'RK45', rtol: 1e-4, atol: 1e-7 });
    expect(stiff.status).toBe(0);
    expect(stiff.y.get(0, stiff.t.length - 1)).toBeCloseTo(ref.y.get(0, ref.t.length - 1), 3);
    // the explicit method is held to h < 3.3/1000 by stability alone
    expect(stiff.nsteps * 5).toBeLessThan(ref.nsteps);
  });
});

describe('linear error propagation', () => {
  it('eₜ = Jᵗ e₀ for a fixed J; the growth rate is log of the dominant eigenvalue', () => {
    const J = array([
      [2, 0],
      [0, 0.5],
    ]);
    const r = propagateLinearError(J, [1, 1], 20);
    expect(r.errors.shape).toEqual([2, 21]);
    expect(r.errors.get(0, 20)).toBe(2 ** 20);
    expect(r.errors.get(1, 20)).toBe(0.5 ** 20);
    expect(r.norms[0]).toBeCloseTo(Math.SQRT2, 15);
    expect(r.growthRate).toBeCloseTo(
      Math.log(Math.hypot(2 ** 20, 0.5 ** 20) / Math.SQRT2) / 20,
      12,
    );
  });

  it('accepts per-step Jacobians as a list or a function, and the product is the chain rule of a rollout', () => {
    const Js = [1, 2, 3].map((k) =>
      array([
        [k, 1],
        [0, 1],
      ]),
    );
    const list = propagateLinearError(Js, [0, 1]);
    const fn = propagateLinearError((t) => Js[t - 1], [0, 1], 3);
    // e₃ = J₃ J₂ J₁ e₀
    const prod = matmul(Js[2], matmul(Js[1], matmul(Js[0], array([[0], [1]]))));
    expect(list.errors.get(0, 3)).toBe(prod.get(0, 0));
    expect(fn.errors.get(0, 3)).toBe(prod.get(0, 0));
    expect(() => propagateLinearError(Js, [0, 1], 5)).toThrow(ValueError);
    expect(() => propagateLinearError(array([[1, 2, 3]]), [0, 1], 1)).toThrow(ShapeError);
  });
});

describe('Lyapunov exponents (Benettin)', () => {
  it('Lorenz-63: the largest exponent is 0.906 ± 0.05', () => {
    const r = largestLyapunovExponent(lorenz.rhs, [1, 1, 1], {
      jac: lorenz.jacobian,
      time: 500,
      dt: 0.01,
      transient: 10,
    });
    expect(Math.abs(r.exponents[0] - 0.906)).toBeLessThan(0.05);
    expect(r.history.length).toBe(5000);
    expect(r.history[r.history.length - 1]).toBe(r.exponents[0]);
  });

  it('Lorenz-63 spectrum: (0.906, 0, −14.57), summing to the constant divergence −(σ + 1 + β)', () => {
    const r = lyapunovSpectrum(lorenz.rhs, [1, 1, 1], { jac: lorenz.jacobian, time: 300 });
    const [l1, l2, l3] = r.exponents;
    expect(Math.abs(l1 - 0.906)).toBeLessThan(0.05);
    expect(Math.abs(l2)).toBeLessThan(0.02);
    expect(Math.abs(l3 + 14.572)).toBeLessThan(0.05);
    // to the RK4 discretisation error of the tangent dynamics (dt = 0.01)
    expect(l1 + l2 + l3).toBeCloseTo(-(10 + 1 + 8 / 3), 3);
  });

  it('a linear system has its eigenvalues as exponents; finite differences replace a missing Jacobian', () => {
    const r = lyapunovSpectrum((_t, y) => [0.3 * y[0], -0.7 * y[1] + y[0]], [1, 1], {
      time: 200,
      transient: 0,
    });
    // the O(1/T) bias of a finite average (the start vector's alignment) is ≈ 2e-3 here
    expect(r.exponents[0]).toBeCloseTo(0.3, 2);
    expect(r.exponents[1]).toBeCloseTo(-0.7, 2);
  });

  it('rejects bad options and reports a collapsed tangent vector', () => {
    expect(() => largestLyapunovExponent(lorenz.rhs, [1, 1, 1], { dt: 0 })).toThrow(ValueError);
    expect(() => lyapunovSpectrum(lorenz.rhs, [1, 1, 1], { count: 4 })).toThrow(ValueError);
    // y' = −1e4 y with renormalisation every 1e4 steps underflows the tangent vector to zero
    expect(() =>
      largestLyapunovExponent((_t, y) => [-1e4 * y[0]], [1], {
        dt: 1e-2,
        time: 100,
        renormEvery: 10000,
        transient: 0,
      }),
    ).toThrow(ConvergenceError);
  });
});
