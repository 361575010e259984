import type { PyTree } from '@sciml/autodiff';
import {
  type Generator,
  type NDArray,
  ShapeError,
  ValueError,
  add,
  formatShape,
  fromTypedArray,
  mul,
  sub,
} from '@sciml/linalg';
import type { Layer } from '@sciml/nn';

/**
 * How an emulator turns its network N into the step map M (lecture notes, "Neural network-based
 * autoregressive emulation"): `'direct'` M(u) = N(u); `'euler'` M(u) = u + Δt N(u) (a residual network,
 * He et al. 2016, read as one explicit Euler step of the learned vector field N); `'rk4'` M(u) = u +
 * Δt (k₁ + 2k₂ + 2k₃ + k₄)/6 with kᵢ the classical Runge–Kutta stages of N (Kutta 1901).
 * @public
 */
export type EmulatorForm = 'direct' | 'euler' | 'rk4';

/** Affine scalings around the network: N(u) = outputMean + outputScale ⊙ net((u − inputMean)/inputScale). @public */
export interface EmulatorScales {
  /** Per-variable centre of the inputs (length n). */
  readonly inputMean: ArrayLike<number>;
  /** Per-variable spread of the inputs (length n, > 0). */
  readonly inputScale: ArrayLike<number>;
  /** Per-variable centre of N's output: the next state (direct) or the tendency du/dt (residual forms). */
  readonly outputMean: ArrayLike<number>;
  /** Per-variable spread of N's output (length n, > 0). */
  readonly outputScale: ArrayLike<number>;
}

/** Options of {@link autoregressiveEmulator}. @public */
export interface EmulatorOptions {
  /** State dimension n. */
  dim: number;
  /** Time step Δt between states (the emulator's step). */
  dt: number;
  /** Form of the step map (default `'euler'`). */
  form?: EmulatorForm;
  /** Input/output scalings (default identity); `emulatorScales(trajectory, …)` computes them from data. */
  scales?: EmulatorScales;
}

/**
 * A learned step map ũᵢ₊₁ = M(θ, ũᵢ) built around a network (any @sciml/nn layer mapping n inputs to n
 * outputs). Functional, as the layers: parameters are a pytree passed to every call, so `grad` trains them.
 * States are batches (B × n).
 * @public
 */
export interface Emulator<P extends PyTree = PyTree> {
  /** The step map's form. */
  readonly form: EmulatorForm;
  /** The time step Δt. */
  readonly dt: number;
  /** State dimension n. */
  readonly dim: number;
  /** The network N. */
  readonly network: Layer<P>;
  /** Draws the network's parameters. */
  init(rng: Generator): P;
  /** N(u) in physical units: the next state (direct) or the tendency du/dt (euler, rk4), (B × n). */
  tendency(params: P, u: NDArray): NDArray;
  /** One step M(θ, u), (B × n) → (B × n). */
  step(params: P, u: NDArray): NDArray;
  /** The autoregressive rollout u₀, M(u₀), M(M(u₀)), … : `steps + 1` states of shape (B × n). */
  rollout(params: P, u0: NDArray, steps: number): NDArray[];
}

/** A (1 × n) row of per-variable constants. */
function row(
  op: string,
  name: string,
  v: ArrayLike<number>,
  n: number,
  positive: boolean,
): NDArray {
  if (v.length !== n)
    throw new ShapeError(op, `${name} has ${v.length} entries for ${n} variables`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(v[i]!) || (positive && !(v[i]! > 0)))
      throw new ValueError(
        op,
        `${name}[${i}] = ${v[i]} must be finite${positive ? ' and > 0' : ''}`,
      );
  }
  return fromTypedArray(Float64Array.from(v), [1, n]);
}

/**
 * Builds an autoregressive emulator ũᵢ₊₁ = M(θ, ũᵢ) from a network, in the direct, Euler-residual or
 * RK4-residual form (M = u + Δt·N for the Euler form). The residual forms make the identity the default
 * and learn the tendency, which is smaller and smoother than the map; RK4 makes the error of the step
 * O(Δt⁵) in the network's own vector field, so N approximates the physical right-hand side.
 * @example
 * ```ts
 * const emu = autoregressiveEmulator(sequential(linear(32), tanh, linear(32), tanh, linear(3)), { dim: 3, dt: 0.01, form: 'rk4' });
 * const params = emu.init(new Generator(0));
 * const next = emu.step(params, u); // u: (batch × 3)
 * ```
 * @public
 */
export function autoregressiveEmulator<P extends PyTree>(
  network: Layer<P>,
  options: EmulatorOptions,
): Emulator<P> {
  const op = 'autoregressiveEmulator';
  const { dim: n, dt } = options;
  const form = options.form ?? 'euler';
  if (!Number.isInteger(n) || n < 1)
    throw new ValueError(op, `dim must be a positive integer, got ${n}`);
  if (!Number.isFinite(dt) || !(dt > 0))
    throw new ValueError(op, `dt must be finite and > 0, got ${dt}`);
  if (form !== 'direct' && form !== 'euler' && form !== 'rk4')
    throw new ValueError(op, `form must be 'direct', 'euler' or 'rk4', got '${String(form)}'`);
  const s = options.scales;
  const inMean = row(op, 'inputMean', s?.inputMean ?? new Float64Array(n), n, false);
  const inScale = row(op, 'inputScale', s?.inputScale ?? new Float64Array(n).fill(1), n, true);
  const inInverse = fromTypedArray(
    Float64Array.from(inScale.dataSync(), (v) => 1 / v),
    [1, n],
  );
  const outMean = row(op, 'outputMean', s?.outputMean ?? new Float64Array(n), n, false);
  const outScale = row(op, 'outputScale', s?.outputScale ?? new Float64Array(n).fill(1), n, true);
  const check = (where: string, u: NDArray) => {
    if (u.ndim !== 2 || u.shape[1] !== n)
      throw new ShapeError(
        `Emulator.${where}`,
        `expects states (batch × ${n}), got ${formatShape(u.shape)}`,
      );
  };
  const N = (params: P, u: NDArray): NDArray => {
    const z = mul(sub(u, inMean), inInverse);
    return add(outMean, mul(outScale, network.apply(params, z).y));
  };
  const step = (params: P, u: NDArray): NDArray => {
    if (form === 'direct') return N(params, u);
    if (form === 'euler') return add(u, mul(N(params, u), dt));
    const k1 = N(params, u);
    const k2 = N(params, add(u, mul(k1, dt / 2)));
    const k3 = N(params, add(u, mul(k2, dt / 2)));
    const k4 = N(params, add(u, mul(k3, dt)));
    return add(u, mul(add(add(k1, k4), mul(add(k2, k3), 2)), dt / 6));
  };
  return {
    form,
    dt,
    dim: n,
    network,
    init: (rng) => network.init(rng, [n]),
    tendency: (params, u) => {
      check('tendency', u);
      return N(params, u);
    },
    step: (params, u) => {
      check('step', u);
      return step(params, u);
    },
    rollout: (params, u0, steps) => {
      check('rollout', u0);
      if (!Number.isInteger(steps) || steps < 0)
        throw new ValueError('Emulator.rollout', `steps must be an integer ≥ 0, got ${steps}`);
      const out = [u0];
      for (let k = 0; k < steps; k++) out.push(step(params, out[k]!));
      return out;
    },
  };
}

/**
 * Scalings for {@link autoregressiveEmulator} from a trajectory (samples × n, spaced Δt): inputs by their
 * mean and standard deviation; outputs by those of the next state (direct form) or of the finite-difference
 * tendency (uᵢ₊₁ − uᵢ)/Δt (residual forms), so the network works with O(1) numbers.
 * @public
 */
export function emulatorScales(
  trajectory: NDArray,
  options: { dt: number; form?: EmulatorForm },
): EmulatorScales {
  const op = 'emulatorScales';
  if (trajectory.ndim !== 2 || trajectory.shape[0]! < 2)
    throw new ShapeError(
      op,
      `expects a trajectory (samples ≥ 2 × n), got ${formatShape(trajectory.shape)}`,
    );
  const [m, n] = trajectory.shape as [number, number];
  const x = trajectory.dataSync();
  const stats = (f: (i: number, j: number) => number, rows: number) => {
    const mean = new Float64Array(n);
    const scale = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = 0; i < rows; i++) s += f(i, j);
      mean[j] = s / rows;
      let v = 0;
      for (let i = 0; i < rows; i++) v += (f(i, j) - mean[j]!) ** 2;
      scale[j] = Math.sqrt(v / rows) || 1;
    }
    return { mean, scale };
  };
  const input = stats((i, j) => x[i * n + j]!, m);
  const output =
    (options.form ?? 'euler') === 'direct'
      ? input
      : stats((i, j) => (x[(i + 1) * n + j]! - x[i * n + j]!) / options.dt, m - 1);
  return {
    inputMean: input.mean,
    inputScale: input.scale,
    outputMean: output.mean,
    outputScale: output.scale,
  };
}
