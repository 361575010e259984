import { grad } from '@sciml/autodiff';
import {
  Generator,
  type NDArray,
  ShapeError,
  ValueError,
  eigvals,
  fromTypedArray,
  mul,
  zeros,
} from '@sciml/linalg';
import type { Layer } from '@sciml/nn';
import { linear, sequential, tanh } from '@sciml/nn';
import { describe, expect, it } from 'vitest';
import { eulerStep, rk4Step } from '../integrate/index.js';
import { Lorenz63 } from '../systems/index.js';
import { autoregressiveEmulator, emulatorScales } from './emulator.js';
import { jacobianPenalty, rolloutLoss, rolloutWindows } from './losses.js';
import { normalizedError, validPredictionTime } from './metrics.js';
import { escapeSteps, spectralRadii, stepJacobian } from './stability.js';
import { lorenzLayer } from './test-utils.js';

const lorenz = new Lorenz63();
const dt = 0.01;
const u0 = Float64Array.of(-8, 8, 27);
const batch = fromTypedArray(Float64Array.of(-8, 8, 27, 1, 2, 3), [2, 3]);

describe('autoregressive emulator forms', () => {
  it('euler and rk4 forms of the exact vector field are the integrators’ Euler and RK4 maps', () => {
    const euler = autoregressiveEmulator(lorenzLayer(), { dim: 3, dt, form: 'euler' });
    const rk4 = autoregressiveEmulator(lorenzLayer(), { dim: 3, dt, form: 'rk4' });
    const direct = autoregressiveEmulator(lorenzLayer(), { dim: 3, dt, form: 'direct' });
    const e = euler.step({}, batch).dataSync();
    const r = rk4.step({}, batch).dataSync();
    const d = direct.step({}, batch).dataSync();
    const f = new Float64Array(3);
    for (let b = 0; b < 2; b++) {
      const u = Float64Array.from(batch.dataSync().subarray(3 * b, 3 * b + 3));
      const eRef = eulerStep(lorenz.rhs)(u, 0, dt);
      const rRef = rk4Step(lorenz.rhs)(u, 0, dt);
      lorenz.rhs(0, u, f);
      for (let j = 0; j < 3; j++) {
        expect(e[3 * b + j]).toBeCloseTo(eRef[j]!, 12);
        expect(r[3 * b + j]).toBeCloseTo(rRef[j]!, 12);
        expect(d[3 * b + j]).toBeCloseTo(f[j]!, 12);
      }
    }
  });

  it('applies the scalings: N(u) = outputMean + outputScale ⊙ net((u − inputMean)/inputScale)', () => {
    const scales = {
      inputMean: [1, 2, 3],
      inputScale: [2, 2, 2],
      outputMean: [0, 0, 5],
      outputScale: [1, 3, 1],
    };
    const emu = autoregressiveEmulator(lorenzLayer(), { dim: 3, dt, form: 'direct', scales });
    const got = emu.tendency({}, fromTypedArray(Float64Array.of(3, 4, 5), [1, 3])).dataSync();
    // z = (1, 1, 1): f(z) = (0, 26, 1 − 8/3)
    expect(got[0]).toBeCloseTo(0, 12);
    expect(got[1]).toBeCloseTo(78, 12);
    expect(got[2]).toBeCloseTo(5 + 1 - 8 / 3, 12);
    const s = emulatorScales(fromTypedArray(Float64Array.of(0, 0, 0, 2, 4, 6, 4, 8, 12), [3, 3]), {
      dt: 0.5,
    });
    expect(Array.from(s.inputMean)).toEqual([2, 4, 6]);
    expect(Array.from(s.outputMean)).toEqual([4, 8, 12]); // (Δu)/Δt
  });

  it('rolls out autoregressively and the rollout loss vanishes on the map’s own trajectory', () => {
    const rk4 = autoregressiveEmulator(lorenzLayer(), { dim: 3, dt, form: 'rk4' });
    const states = rk4.rollout({}, fromTypedArray(u0, [1, 3]), 50);
    expect(states).toHaveLength(51);
    const traj = fromTypedArray(
      Float64Array.from(states.flatMap((s) => Array.from(s.dataSync()))),
      [51, 3],
    );
    const windows = rolloutWindows(traj, 5, { stride: 3 });
    expect(windows).toHaveLength(6);
    expect(windows[0]!.shape).toEqual([16, 3]);
    expect(rolloutLoss(rk4, {}, windows).item()).toBeLessThan(1e-24);
  });

  it('checkpointed and plain rollout losses give the same gradient', () => {
    const net = sequential(linear(8), tanh, linear(3));
    const emu = autoregressiveEmulator(net, {
      dim: 3,
      dt: 0.05,
      form: 'euler',
      scales: {
        inputMean: [0, 0, 25],
        inputScale: [8, 8, 8],
        outputMean: [0, 0, 0],
        outputScale: [50, 50, 50],
      },
    });
    const params = emu.init(new Generator(3));
    const truth = autoregressiveEmulator(lorenzLayer(), { dim: 3, dt: 0.05, form: 'rk4' });
    const windows = truth.rollout({}, batch, 4);
    const g1 = grad((p: typeof params) => rolloutLoss(emu, p, windows, { checkpoint: true }))(
      params,
    );
    const g2 = grad((p: typeof params) => rolloutLoss(emu, p, windows, { checkpoint: false }))(
      params,
    );
    const a = (g1.layers[0] as { weight: NDArray }).weight.dataSync();
    const b = (g2.layers[0] as { weight: NDArray }).weight.dataSync();
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i]!, 12);
  });

  it('Jacobian penalty and spectral radius match the analytic Jacobian I + Δt ∂f/∂u of the Euler map', () => {
    const euler = autoregressiveEmulator(lorenzLayer(), { dim: 3, dt, form: 'euler' });
    const Jf = new Float64Array(9);
    lorenz.jacobian(0, u0, Jf);
    const J = Float64Array.from(Jf, (v, e) => (e % 4 === 0 ? 1 : 0) + dt * v);
    const e = Float64Array.of(0.6, 0, 0.8);
    const Je = [0, 1, 2].map(
      (i) => J[3 * i]! * e[0]! + J[3 * i + 1]! * e[1]! + J[3 * i + 2]! * e[2]!,
    );
    const penalty = jacobianPenalty(
      euler,
      {},
      fromTypedArray(u0, [1, 3]),
      fromTypedArray(e, [1, 3]),
    ).item();
    expect(penalty).toBeCloseTo(
      Je.reduce((s, v) => s + v * v, 0),
      12,
    );
    const Jad = stepJacobian(euler, {}, fromTypedArray(u0, [3])).dataSync();
    for (let i = 0; i < 9; i++) expect(Jad[i]).toBeCloseTo(J[i]!, 12);
    const { re, im } = eigvals(fromTypedArray(J, [3, 3]));
    const rho = Math.max(...Array.from(re.dataSync(), (r, k) => Math.hypot(r, im.dataSync()[k]!)));
    expect(spectralRadii(euler, {}, fromTypedArray(u0, [1, 3]))[0]).toBeCloseTo(rho, 12);
  });

  it('rejects bad input', () => {
    expect(() => autoregressiveEmulator(lorenzLayer(), { dim: 3, dt: 0 })).toThrow(ValueError);
    expect(() =>
      autoregressiveEmulator(lorenzLayer(), { dim: 3, dt, form: 'leapfrog' as 'euler' }),
    ).toThrow(ValueError);
    expect(() =>
      autoregressiveEmulator(lorenzLayer(), {
        dim: 3,
        dt,
        scales: { inputMean: [0], inputScale: [1], outputMean: [0], outputScale: [1] },
      }),
    ).toThrow(ShapeError);
    const emu = autoregressiveEmulator(lorenzLayer(), { dim: 3, dt });
    expect(() => emu.step({}, zeros([2, 4]))).toThrow(ShapeError);
    expect(() => rolloutWindows(zeros([3, 3]), 5)).toThrow(ShapeError);
    expect(() => rolloutLoss(emu, {}, [zeros([2, 3])])).toThrow(ValueError);
  });
});

describe('escapeSteps', () => {
  // the direct step map M(u) = a·u: ‖ũₖ‖ = aᵏ‖u₀‖, so the first k with aᵏ‖u₀‖ > R is known in closed form
  const scaling = (a: number): Layer<Record<string, never>> => ({
    kind: 'scale',
    init: () => ({}),
    initState: () => ({}),
    outputShape: (s) => [...s],
    apply: (_p, u) => ({ y: mul(u, a), state: {} }),
  });
  it('returns the first step outside the ball, Infinity for members that stay inside', () => {
    const grow = autoregressiveEmulator(scaling(2), { dim: 3, dt, form: 'direct' });
    const u = fromTypedArray(Float64Array.of(1, 0, 0, 0, 1e-3, 0, 100, 0, 0, 0, 0, 0), [4, 3]);
    // 2⁴ = 16 > 10; 2¹⁴·1e-3 = 16.4 > 10; already outside; the origin is a fixed point
    expect(Array.from(escapeSteps(grow, {}, u, { steps: 20, radius: 10 }))).toEqual([
      4,
      14,
      0,
      Number.POSITIVE_INFINITY,
    ]);
    // a shorter rollout stops before the second member escapes; a centre moves the ball
    expect(escapeSteps(grow, {}, u, { steps: 10, radius: 10 })[1]).toBe(Number.POSITIVE_INFINITY);
    expect(escapeSteps(grow, {}, u, { steps: 20, radius: 10, center: [100, 0, 0] })[2]).toBe(1);
    const shrink = autoregressiveEmulator(scaling(0.5), { dim: 3, dt, form: 'direct' });
    expect(Array.from(escapeSteps(shrink, {}, u, { steps: 50, radius: 200 }))).toEqual(
      new Array(4).fill(Number.POSITIVE_INFINITY),
    );
    // a step to Inf (a·∞) or NaN (0·∞) counts as an escape
    const blow = autoregressiveEmulator(scaling(Number.POSITIVE_INFINITY), {
      dim: 3,
      dt,
      form: 'direct',
    });
    expect(Array.from(escapeSteps(blow, {}, u, { steps: 5, radius: 1e300 }))).toEqual([1, 1, 1, 1]);
  });

  it('rejects bad input', () => {
    const emu = autoregressiveEmulator(scaling(2), { dim: 3, dt, form: 'direct' });
    expect(() => escapeSteps(emu, {}, zeros([2, 4]), { steps: 5, radius: 1 })).toThrow(ShapeError);
    expect(() => escapeSteps(emu, {}, zeros([2, 3]), { steps: -1, radius: 1 })).toThrow(ValueError);
    expect(() => escapeSteps(emu, {}, zeros([2, 3]), { steps: 5, radius: 0 })).toThrow(ValueError);
    expect(() => escapeSteps(emu, {}, zeros([2, 3]), { steps: 5, radius: 1, center: [0] })).toThrow(
      ShapeError,
    );
  });
});

describe('forecast skill metrics', () => {
  it('valid prediction time is the first crossing of the normalised error 0.4, in Lyapunov times', () => {
    // truth on the unit circle (‖u‖ = 1), forecast off by 0.01·e^{t}: E(t) = 0.01 e^{t} crosses 0.4 at t = ln 40
    const m = 1000;
    const h = 0.01;
    const truth = new Float64Array(2 * m);
    const fc = new Float64Array(2 * m);
    for (let i = 0; i < m; i++) {
      truth[2 * i] = Math.cos(i * h);
      truth[2 * i + 1] = Math.sin(i * h);
      fc[2 * i] = truth[2 * i]! + 0.01 * Math.exp(i * h);
      fc[2 * i + 1] = truth[2 * i + 1]!;
    }
    const T = fromTypedArray(truth, [m, 2]);
    const F = fromTypedArray(fc, [m, 2]);
    expect(normalizedError(T, F)[100]).toBeCloseTo(0.01 * Math.E, 10);
    const vpt = validPredictionTime(T, F, { dt: h, lyapunovExponent: 0.906 });
    expect(vpt).toBeCloseTo(Math.ceil(Math.log(40) / h) * h * 0.906, 10);
    expect(() => validPredictionTime(T, F, { dt: h, lyapunovExponent: 0 })).toThrow(ValueError);
  });
});
