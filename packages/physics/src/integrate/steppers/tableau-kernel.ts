/**
 * Fixed-step loops generated from an explicit Butcher tableau for a right-hand side given as expressions
 * (a symbolic system): one loop with the state and every stage in locals and f written into it, so nothing
 * goes through a Float64Array on the dependency chain of a step — the loop a person would write by hand, or
 * what JAX's `jit(odeint)` and ModelingToolkit's generated functions give.
 *
 * The loop has the {@link StepKernel} signature (it ignores `f`), so `FixedStepper` drives it as it drives
 * the loops of fixed-kernels.ts: chunks, the last step ending on t1, (yOld, fOld) kept for the dense output.
 *
 * Same bits as the generic loops: coefficients are written as rationals where they are (p/q recovered
 * exactly from the float64), with the step scaled once per step (h/q) and the stage weights grouped as a
 * person writes them — RK4's update is y + (h/6)·(k₁ + 2·(k₂ + k₃) + k₄) and its stages y + (h/2)·kᵢ,
 * t + h/2 — the expressions of `rk4Steps`, evaluated in the same order (tests compare bits).
 */
import type { ButcherTableau } from '../tableau.js';
import type { StepKernel } from './fixed-kernels.js';

/** A float64 as a JS literal that reads back as the same value (−0 and negatives parenthesised). */
export function numberLiteral(v: number): string {
  if (Object.is(v, -0)) return '(-0)';
  return v < 0 ? `(${String(v)})` : String(v);
}

/** A right-hand side that can be written into generated code: one JS expression per component. */
export interface InlineRhs {
  /** State dimension n. */
  readonly dim: number;
  /**
   * Sources of f₀(t, u) … fₙ₋₁(t, u), where `time` is a JS expression for t and `state[m]` one for uₘ
   * (locals of the loop).
   */
  expressions(time: string, state: readonly string[]): string[];
}

/** p/q with q ≤ 10⁶ equal to `v` exactly (continued fractions), or undefined when there is none. */
export function exactRational(v: number): [number, number] | undefined {
  if (!Number.isFinite(v)) return undefined;
  if (Number.isInteger(v)) return [v, 1];
  let [h0, h1, k0, k1] = [1, 0, 0, 1];
  let x = v;
  for (let i = 0; i < 40; i++) {
    const a = Math.floor(x);
    [h0, h1] = [a * h0 + h1, h0];
    [k0, k1] = [a * k0 + k1, k0];
    if (k0 > 1e6) return undefined;
    if (h0 / k0 === v) return [h0, k0];
    const frac = x - a;
    if (frac === 0) return undefined;
    x = 1 / frac;
  }
  return undefined;
}

const gcd = (a: number, b: number): number => (b === 0 ? Math.abs(a) : gcd(b, a % b));

/** Per-step constants (h/q, c·h) shared between the stages, declared once per step. */
class StepConstants {
  readonly #names = new Map<string, string>();
  readonly #decls: string[] = [];

  /** Name of a local holding `source` (a function of h). */
  name(source: string): string {
    if (source === 'h') return 'h';
    let n = this.#names.get(source);
    if (n === undefined) {
      n = `s${this.#names.size}`;
      this.#names.set(source, n);
      this.#decls.push(`const ${n} = ${source};`);
    }
    return n;
  }

  declarations(): string {
    return this.#decls.join(' ');
  }
}

/**
 * Source of h·Σⱼ wⱼ kⱼ[m] for one component: a common scale h/q (integer weights p/q·q), weights grouped as
 * k₁ + 2·(k₂ + k₃) + k₄ (weight 1 alone, equal larger weights summed at their first stage). Coefficients that
 * are not small rationals are written as float64 literals: h·(a₁·k₁ + …).
 */
function weightedSum(
  coefficients: readonly number[],
  stage: (j: number) => string,
  consts: StepConstants,
): string {
  const nz = coefficients.map((a, j) => [a, j] as const).filter(([a]) => a !== 0);
  const rationals = nz.map(([a]) => exactRational(a));
  if (rationals.every((r) => r !== undefined)) {
    const q = rationals.reduce((l, r) => (l * r![1]) / gcd(l, r![1]), 1);
    if (q > 2 ** 40) return literalSum(nz, stage);
    const weights = rationals.map((r) => (r![0] * q) / r![1]);
    const g = weights.reduce((a, w) => gcd(a, w), 0);
    const num = g; // scale = h·g/q, weights w/g
    const scale = num === q ? 'h' : consts.name(num === 1 ? `h / ${q}` : `(${num} * h) / ${q}`);
    const terms: string[] = [];
    const done = new Set<number>();
    nz.forEach(([, j], i) => {
      const w = weights[i]! / g;
      if (w === 1) terms.push(stage(j));
      else if (!done.has(w)) {
        done.add(w);
        const members = nz.filter((_, l) => weights[l]! / g === w).map(([, jj]) => stage(jj));
        const sum = members.length === 1 ? members[0]! : `(${members.join(' + ')})`;
        terms.push(`${numberLiteral(w)} * ${sum}`);
      }
    });
    const body = terms.length === 1 ? terms[0]! : `(${terms.join(' + ')})`;
    return `${scale} * ${body}`;
  }
  return literalSum(nz, stage);
}

/** h·(a₁·k₁ + …) with the coefficients as float64 literals. */
function literalSum(
  nz: readonly (readonly [number, number])[],
  stage: (j: number) => string,
): string {
  return `h * (${nz.map(([a, j]) => `${numberLiteral(a)} * ${stage(j)}`).join(' + ')})`;
}

/** Source of cᵢ·h (exact for rational cᵢ: h/2 is what `0.5 * h` is). */
function nodeOffset(c: number, consts: StepConstants): string {
  const r = exactRational(c);
  if (r === undefined) return consts.name(`${numberLiteral(c)} * h`);
  const [p, q] = r;
  if (p === q) return 'h';
  return consts.name(p === 1 ? `h / ${q}` : `(${p} * h) / ${q}`);
}

/**
 * Source of one step of an explicit tableau for `rhs`, on locals y_m (state) and k0_m (f at the step's
 * start), with t, tNew and h in scope; leaves y_m and k0_m at the step's end. Returns the step and its
 * per-step constants (functions of h).
 */
function stepSource(tableau: ButcherTableau, rhs: InlineRhs): { consts: string; body: string } {
  const n = rhs.dim;
  const m = Array.from({ length: n }, (_, i) => i);
  const consts = new StepConstants();
  const lines: string[] = [];
  const y = m.map((i) => `y_${i}`);
  for (let s = 1; s < tableau.stages; s++) {
    const row = tableau.A[s]!;
    const u = m.map((i) => `u${s}_${i}`);
    const inc = m.map((i) => weightedSum(row, (j) => `k${j}_${i}`, consts));
    lines.push(`const ${m.map((i) => `${u[i]} = ${y[i]} + ${inc[i]}`).join(', ')};`);
    const c = tableau.c[s]!;
    const time = c === 0 ? 't' : `t + ${nodeOffset(c, consts)}`;
    const f = rhs.expressions(`(${time})`, u);
    lines.push(`const ${m.map((i) => `k${s}_${i} = ${f[i]}`).join(', ')};`);
  }
  for (const i of m)
    lines.push(`${y[i]} = ${y[i]} + ${weightedSum(tableau.b, (j) => `k${j}_${i}`, consts)};`);
  const f = rhs.expressions('tNew', y);
  for (const i of m) lines.push(`k0_${i} = ${f[i]};`);
  return { consts: consts.declarations(), body: lines.join('\n      ') };
}

/**
 * Source of a {@link StepKernel} for an explicit, non-FSAL tableau and an inline right-hand side: interior
 * steps with h = dt in one loop, then the chunk's last step (ending on tBound when `final`) after saving its
 * start in yOld, fOld.
 */
export function tableauKernelSource(tableau: ButcherTableau, rhs: InlineRhs): string {
  const n = rhs.dim;
  const m = Array.from({ length: n }, (_, i) => i);
  const { consts, body } = stepSource(tableau, rhs);
  const load = m.map((i) => `y_${i} = y[${i}], k0_${i} = k1[${i}]`).join(', ');
  const save = m.map((i) => `yOld[${i}] = y_${i}; fOld[${i}] = k0_${i};`).join(' ');
  const store = m.map((i) => `y[${i}] = y_${i}; k1[${i}] = k0_${i};`).join(' ');
  return `function inline_${tableau.name.replace(/\W/g, '')}_${n}(f, y, k1, k2, k3, k4, tmp, yOld, fOld, t0, dt, from, to, final, tBound) {
  let ${load};
  {
    const h = dt;
    ${consts}
    for (let j = from; j < to - 1; j++) {
      const t = t0 + j * dt;
      const tNew = t0 + (j + 1) * dt;
      ${body}
    }
  }
  if (from < to) {
    const t = t0 + (to - 1) * dt;
    const tNew = final ? tBound : t0 + to * dt;
    const h = final ? tNew - t : dt;
    ${consts}
    ${save}
    ${body}
  }
  ${store}
}`;
}

let kernelCount = 0;

/**
 * Compiles {@link tableauKernelSource}; undefined where this runtime does not compile code from strings (a
 * Content-Security-Policy without 'unsafe-eval'), so the caller falls back to the generic loop.
 */
export function compileTableauKernel(
  tableau: ButcherTableau,
  rhs: InlineRhs,
): StepKernel | undefined {
  if (tableau.fsal || tableau.A[0]!.length !== 0 || tableau.c[0] !== 0) return undefined;
  const source = tableauKernelSource(tableau, rhs);
  try {
    // a unique comment: V8 caches `new Function` by source text, type feedback included
    return new Function(
      `return (${source}); /* inline tableau kernel ${++kernelCount} */`,
    )() as StepKernel;
  } catch (e) {
    // a Content-Security-Policy refuses with EvalError; anything else is a bug in the generator
    if (e instanceof EvalError) return undefined;
    throw e;
  }
}
