import { describe, expect, it } from 'vitest';
import { logLogSlope as slope } from '../test-utils/log-slope.js';
import { VirtualBrownianTree } from './brownian-tree.js';
import { type BrownianPath, sdeint } from './sdeint.js';

/**
 * Geometric Brownian motion dX = μX dt + σX dW, X(0) = 1: X(T) = exp((μ − σ²/2)T + σW(T)) (Itô) and
 * exp(μT + σW(T)) (Stratonovich), evaluated with the tree's own W(T).
 */
const mu = 1.5;
const sigma = 1;
const drift = (_t: number, x: Float64Array, d: Float64Array) => {
  d[0] = mu * x[0];
};
const diffusion = (_t: number, x: Float64Array, d: Float64Array) => {
  d[0] = sigma * x[0];
};
const exact = (w: number, calculus: 'ito' | 'stratonovich') =>
  Math.exp((calculus === 'ito' ? mu - 0.5 * sigma * sigma : mu) + sigma * w);

/** A path that records every query (time and value) of the tree it wraps. */
function logged(bm: VirtualBrownianTree): BrownianPath & { log: Map<number, number> } {
  const log = new Map<number, number>();
  return {
    dim: bm.dim,
    log,
    evaluate(t: number, out?: Float64Array) {
      const w = bm.evaluate(t, out);
      log.set(t, w[0]);
      return w;
    },
  };
}

describe('VirtualBrownianTree: one path however it is queried', () => {
  it('two adaptive solves with different step sequences see bit-identical W at shared times, equal to a fresh tree queried in another order', () => {
    const a = logged(new VirtualBrownianTree(0, 1, { seed: 31, dim: 1 }));
    const b = logged(new VirtualBrownianTree(0, 1, { seed: 31, dim: 1 }));
    const opts = { method: 'Milstein' as const, adaptive: true, tEval: [1] };
    const ra = sdeint(drift, diffusion, [0, 1], [1], { ...opts, rtol: 1e-2, atol: 1e-2, bm: a });
    const rb = sdeint(drift, diffusion, [0, 1], [1], { ...opts, rtol: 1e-4, atol: 1e-4, bm: b });
    // the step sequences differ (and each contains rejected steps)…
    expect(rb.nsteps).toBeGreaterThan(3 * ra.nsteps);
    expect(ra.nrejected + rb.nrejected).toBeGreaterThan(0);
    // …yet every time both asked for has one value, bit for bit
    const shared = [...a.log.keys()].filter((t) => b.log.has(t));
    expect(shared.length).toBeGreaterThanOrEqual(2); // t0 and t1 at least
    for (const t of shared) expect(Object.is(a.log.get(t), b.log.get(t))).toBe(true);
    // and a fresh tree asked in reverse order, then shuffled, returns the same bits
    const fresh = new VirtualBrownianTree(0, 1, { seed: 31, dim: 1 });
    const times = [...a.log.keys(), ...b.log.keys()];
    const rev = [...times].reverse().map((t) => fresh.evaluate(t)[0]);
    expect(rev.reverse()).toEqual(times.map((t) => (a.log.get(t) ?? b.log.get(t)) as number));
  });

  it('increments add up: W(s,t) + W(t,u) = W(s,u) to rounding, and W(s,t) = W(t) − W(s) exactly', () => {
    const bm = new VirtualBrownianTree(0, 2, { seed: 4, dim: 3 });
    const pts = [0, 0.125, 0.3, 0.77, 1, 1.4, 2];
    for (let i = 0; i + 2 < pts.length; i++) {
      const [s, t, u] = [pts[i], pts[i + 1], pts[i + 2]];
      const st = bm.increment(s, t);
      const tu = bm.increment(t, u);
      const su = bm.increment(s, u);
      const ws = bm.evaluate(s);
      const wt = bm.evaluate(t);
      for (let k = 0; k < 3; k++) {
        expect(Object.is(st[k], wt[k] - ws[k])).toBe(true);
        const scale = Math.max(1, Math.abs(ws[k]), Math.abs(wt[k]), Math.abs(su[k]));
        expect(Math.abs(st[k] + tu[k] - su[k])).toBeLessThanOrEqual(4 * Number.EPSILON * scale);
      }
    }
  });
});

describe('sdeint adaptive: strong convergence on geometric Brownian motion', () => {
  const P = 24; // independent paths (one tree each)
  const tols = [1e-2, 1e-3, 1e-4];
  const run = (method: 'Milstein' | 'EulerHeun', calculus: 'ito' | 'stratonovich') => {
    const paths = Array.from({ length: P }, (_, p) => {
      const bm = new VirtualBrownianTree(0, 1, { seed: 500 + p, dim: 1 });
      // the same path solved with a fine fixed step (2¹² steps)
      const fine = sdeint(drift, diffusion, [0, 1], [1], {
        method,
        calculus,
        dt: 2 ** -12,
        bm,
        tEval: [1],
      }).y.get(0, 0);
      return { bm, fine, exact: exact(bm.evaluate(1)[0], calculus) };
    });
    return tols.map((tol) => {
      let err = 0;
      let toFixed = 0;
      let steps = 0;
      let rejected = 0;
      for (const { bm, fine, exact: x1 } of paths) {
        const r = sdeint(drift, diffusion, [0, 1], [1], {
          method,
          calculus,
          adaptive: true,
          rtol: tol,
          atol: tol,
          bm,
          tEval: [1],
        });
        const x = r.y.get(0, 0);
        err += Math.abs(x - x1) / P;
        toFixed += Math.abs(x - fine) / P;
        steps += r.nsteps / P;
        rejected += r.nrejected / P;
      }
      return { tol, err, toFixed, steps, rejected, meanStep: 1 / steps };
    });
  };

  it.each([
    ['Milstein', 'ito'],
    ['EulerHeun', 'stratonovich'],
  ] as const)(
    '%s (%s): E|X(1) − X_exact| → 0 as tol → 0, at order 1 in the mean step',
    (method, calculus) => {
      const rows = run(method, calculus);
      const msg = rows
        .map(
          (r) =>
            `tol ${r.tol}: err ${r.err.toExponential(2)}, vs fixed 2⁻¹² ${r.toFixed.toExponential(2)}, ${r.steps.toFixed(1)} steps, ${r.rejected.toFixed(1)} rejected`,
        )
        .join('; ');
      // measured (seeds 500–523, tol 1e-2 / 1e-3 / 1e-4): Milstein err 1.0e-1 / 3.3e-2 / 9.6e-3 with 12.4 / 49.2 /
      // 224.8 accepted and 5.4 / 27.4 / 134.4 rejected steps (order 0.82 in the mean step, 0.51 in tol);
      // Euler–Heun 2.6e-1 / 6.4e-2 / 1.0e-2 with 11.3 / 46.2 / 195.2 steps (order 1.13 in the mean step).
      // |adaptive − fixed dt = 2⁻¹²| on the same paths: 1.0e-1 / 3.3e-2 / 9.0e-3 (Milstein)
      for (let i = 1; i < rows.length; i++) {
        expect(rows[i].err, msg).toBeLessThan(0.6 * rows[i - 1].err);
        expect(rows[i].toFixed, msg).toBeLessThan(0.6 * rows[i - 1].toFixed);
        expect(rows[i].steps, msg).toBeGreaterThan(rows[i - 1].steps);
      }
      expect(rows[2].err, msg).toBeLessThan(0.03);
      // strong order 1 of both methods on this (commutative) noise, measured against the mean step
      const p = slope(
        rows.map((r) => r.meanStep),
        rows.map((r) => r.err),
      );
      expect(Math.abs(p - 1), `order ${p.toFixed(2)}; ${msg}`).toBeLessThan(0.3);
      // rejections cost less than the accepted steps (a broken controller rejects most attempts)
      for (const r of rows) expect(r.rejected, msg).toBeLessThan(r.steps);
    },
  );
});

describe('sdeint adaptive: outputs', () => {
  const solve = (tEval: number[]) =>
    sdeint(drift, diffusion, [0, 1], [1], {
      method: 'Milstein',
      adaptive: true,
      rtol: 1e-3,
      atol: 1e-3,
      seed: 12,
      tEval,
    });

  it('the result does not depend on how many output times are asked for (same steps, same bits)', () => {
    const few = solve([0.5, 1]);
    const many = solve(Array.from({ length: 201 }, (_, i) => i / 200));
    expect(many.nsteps).toBe(few.nsteps);
    expect(many.nrejected).toBe(few.nrejected);
    expect(many.t.length).toBe(201);
    expect(Object.is(many.y.get(0, 100), few.y.get(0, 0))).toBe(true); // t = 0.5
    expect(Object.is(many.y.get(0, 200), few.y.get(0, 1))).toBe(true); // t = 1
    // every accepted step recorded (no tEval) ends on the same state
    const all = sdeint(drift, diffusion, [0, 1], [1], {
      method: 'Milstein',
      adaptive: true,
      rtol: 1e-3,
      atol: 1e-3,
      seed: 12,
    });
    expect(all.t.length).toBe(few.nsteps + 1);
    expect(Object.is(all.y.get(0, all.t.length - 1), few.y.get(0, 1))).toBe(true);
  });

  it('outputs between steps follow the exact solution on the same path', () => {
    const ts = [0.1, 0.25, 0.5, 0.75, 0.9];
    const bm = new VirtualBrownianTree(0, 1, { seed: 12, dim: 1 });
    const r = sdeint(drift, diffusion, [0, 1], [1], {
      method: 'Milstein',
      adaptive: true,
      rtol: 1e-5,
      atol: 1e-5,
      bm,
      tEval: ts,
    });
    ts.forEach((t, j) => {
      const x = Math.exp((mu - 0.5 * sigma * sigma) * t + sigma * bm.evaluate(t)[0]);
      expect(Math.abs(r.y.get(0, j) - x) / x).toBeLessThan(5e-3);
    });
  });

  it('rejects Euler–Maruyama and bad tolerances with errors naming sdeint', () => {
    expect(() => sdeint(drift, diffusion, [0, 1], [1], { adaptive: true })).toThrow(
      /^sdeint: adaptive steps need 'Milstein' or 'EulerHeun'/,
    );
    expect(() =>
      sdeint(drift, diffusion, [0, 1], [1], { method: 'Milstein', adaptive: true, rtol: 0 }),
    ).toThrow(/^sdeint: rtol/);
    expect(() =>
      sdeint(drift, diffusion, [0, 1], [1], { method: 'Milstein', adaptive: true, atol: [1, 2] }),
    ).toThrow(/^sdeint: atol has length 2/);
    expect(() =>
      sdeint(drift, diffusion, [0, 1], [1], {
        method: 'Milstein',
        adaptive: true,
        rtol: 1e-8,
        atol: 1e-8,
        maxSteps: 50,
      }),
    ).toThrow(/^sdeint: maxSteps = 50/);
    expect(() =>
      sdeint(drift, diffusion, [0, 1], [1], { method: 'Milstein', adaptive: true, tEval: [2] }),
    ).toThrow(/^sdeint: tEval\[0\] = 2 lies outside/);
  });
});
