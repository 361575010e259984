/**
 * The step loops of fixed-step Euler and classical RK4 on the grid tᵢ = t0 + i·dt, and the per-right-hand-side
 * copies that long runs go through.
 *
 * Why copies: V8 keeps type feedback per function. With one shared loop, the call `f(…)` in it sees every
 * right-hand side the process ever integrated, turns megamorphic and is no longer inlined. A copy compiled
 * from source for one `f` has feedback of its own, so `f` is inlined into it.
 *
 * Why one call site: `FixedStepper.advance` runs long runs as 256-step chunks, so that the kernel is called
 * often and gets optimised code of its own rather than on-stack-replacement code. It used to call the kernel
 * from two sites (the interior chunks, then the last step). Once V8 optimised `advance` (on-stack replacement
 * of its chunk loop), it inlined the kernel at both sites; two copies of the ~400-byte loop spent the
 * inlining budget (920 bytes of bytecode), so `f` stayed a real call inside the hot loop, and `advance`
 * cycled through OSR → deopt ("insufficient type feedback" at the loop exit) → OSR (`--trace-opt
 * --trace-deopt` on `pnpm bench physics`). The 10⁶-step RK4 row ran 65 ms in the bench process against
 * 37–39 ms alone. Now each chunk, the last included, goes through one call site, and the kernel keeps the
 * last step's start itself.
 *
 * What is left between this loop and RK4 hand-inlined into one loop with the stages in locals is the in-place
 * convention itself: each stage stores its input in a Float64Array that `f` loads, and `f` stores its output
 * in one that the next stage loads — two store → load round trips per evaluation on the dependency chain of a
 * small system, which V8 does not forward through typed arrays. Unrolling the component loops and keeping
 * the state and stages in locals between the calls was measured (Lorenz-63, 10⁶ steps) and changes nothing.
 */
import type { OdeRhsInPlace } from '../types.js';

/**
 * A step loop: steps j = from … to − 1 of the grid t_j = t0 + j·dt, in place on `y`. Interior steps use dt
 * itself; when `final`, step to − 1 ends exactly on `tBound` with h = tBound − t. `k1` holds f(t_from, y) on
 * entry and f(t_to, y) on return (each RK4 step costs 4 calls of f, an Euler step 1). Before the last step
 * (j = to − 1), y and k1 are copied into `yOld` and `fOld` for the dense output of that step.
 */
export type StepKernel = (
  f: OdeRhsInPlace,
  y: Float64Array,
  k1: Float64Array,
  k2: Float64Array,
  k3: Float64Array,
  k4: Float64Array,
  tmp: Float64Array,
  yOld: Float64Array,
  fOld: Float64Array,
  t0: number,
  dt: number,
  from: number,
  to: number,
  final: boolean,
  tBound: number,
) => void;

/** Fixed-step methods with a kernel. */
export type FixedMethod = 'Euler' | 'RK4';

/**
 * Classical RK4 (Kutta 1901): k₁ = f(t, y), k₂ = f(t + h/2, y + (h/2)k₁), k₃ = f(t + h/2, y + (h/2)k₂),
 * k₄ = f(t + h, y + h k₃), y ← y + (h/6)(k₁ + 2(k₂ + k₃) + k₄), for any n (the shared loop).
 *
 * Self-contained on purpose — no free variables, no nested functions — so that {@link kernelFor} can compile
 * a private copy of this exact source.
 */
export function rk4Steps(
  f: OdeRhsInPlace,
  y: Float64Array,
  k1: Float64Array,
  k2: Float64Array,
  k3: Float64Array,
  k4: Float64Array,
  tmp: Float64Array,
  yOld: Float64Array,
  fOld: Float64Array,
  t0: number,
  dt: number,
  from: number,
  to: number,
  final: boolean,
  tBound: number,
): void {
  const n = y.length;
  for (let j = from; j < to; j++) {
    const t = t0 + j * dt;
    let tNew = t0 + (j + 1) * dt;
    let h = dt;
    if (j + 1 === to) {
      yOld.set(y);
      fOld.set(k1);
      if (final) {
        tNew = tBound;
        h = tNew - t;
      }
    }
    const h2 = 0.5 * h;
    for (let m = 0; m < n; m++) tmp[m] = y[m] + h2 * k1[m];
    f(t + h2, tmp, k2);
    for (let m = 0; m < n; m++) tmp[m] = y[m] + h2 * k2[m];
    f(t + h2, tmp, k3);
    for (let m = 0; m < n; m++) tmp[m] = y[m] + h * k3[m];
    f(t + h, tmp, k4);
    const h6 = h / 6;
    for (let m = 0; m < n; m++) y[m] += h6 * (k1[m] + 2 * (k2[m] + k3[m]) + k4[m]);
    f(tNew, y, k1);
  }
}

/** Explicit Euler, y ← y + h f(t, y), with the signature of {@link rk4Steps} (self-contained likewise). */
export function eulerSteps(
  f: OdeRhsInPlace,
  y: Float64Array,
  k1: Float64Array,
  _k2: Float64Array,
  _k3: Float64Array,
  _k4: Float64Array,
  _tmp: Float64Array,
  yOld: Float64Array,
  fOld: Float64Array,
  t0: number,
  dt: number,
  from: number,
  to: number,
  final: boolean,
  tBound: number,
): void {
  const n = y.length;
  for (let j = from; j < to; j++) {
    const t = t0 + j * dt;
    let tNew = t0 + (j + 1) * dt;
    let h = dt;
    if (j + 1 === to) {
      yOld.set(y);
      fOld.set(k1);
      if (final) {
        tNew = tBound;
        h = tNew - t;
      }
    }
    for (let m = 0; m < n; m++) y[m] += h * k1[m];
    f(tNew, y, k1);
  }
}

const kernels = new WeakMap<OdeRhsInPlace, Map<FixedMethod, StepKernel>>();
let kernelCount = 0;
/** Whether this runtime compiles code from strings (false under a Content-Security-Policy without 'unsafe-eval'). */
let canCompile = true;

/** The shared step loop of a method (for short runs, and where code cannot be compiled from strings). */
export function sharedKernel(method: FixedMethod): StepKernel {
  return method === 'RK4' ? rk4Steps : eulerSteps;
}

/**
 * The step loop of `method` for the right-hand side `f`: a private copy of the shared loop's exact source
 * compiled for this `f` (cached per f and method), or the shared loop where code cannot be compiled from
 * strings. The source gets a unique comment because V8 caches `new Function` by source text, feedback included.
 */
export function kernelFor(f: OdeRhsInPlace, method: FixedMethod): StepKernel {
  let perF = kernels.get(f);
  const cached = perF?.get(method);
  if (cached !== undefined) return cached;
  if (!canCompile) return sharedKernel(method);
  let kernel: StepKernel;
  try {
    kernel = new Function(
      `return (${sharedKernel(method).toString()}); /* fixed-step kernel ${++kernelCount} */`,
    )() as StepKernel;
  } catch {
    canCompile = false;
    return sharedKernel(method);
  }
  if (perF === undefined) {
    perF = new Map();
    kernels.set(f, perF);
  }
  perF.set(method, kernel);
  return kernel;
}
