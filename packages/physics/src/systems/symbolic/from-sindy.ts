/**
 * An identified SINDy model ẋ = Ξ Θ(x) as a compiled symbolic system: each equation written as
 * Σⱼ Ξᵢⱼ·θⱼ(x) from the library's term names (`x y` → `x*y`, `sin(1 x)` → `sin(1*x)`), so that simulating the
 * model runs the generated loops of {@link defineSystem} instead of evaluating the library per call. The
 * result is checked against the model's own `rhs` at sample states: a custom library whose names are not
 * the functions it computes is refused rather than silently simulated wrong.
 */
import { type NDArray, ValueError } from '@sciml/linalg';
import { type SymbolicSystem, defineSystem } from './define-system.js';
import { numberLiteral } from '../../integrate/steppers/tableau-kernel.js';

/** The parts of a fitted SINDy model that {@link sindySystem} reads. */
export interface SindyModelLike {
  readonly featureNames: readonly string[];
  readonly termNames: readonly string[];
  readonly controlNames: readonly string[];
  readonly coefficients: NDArray;
  rhs(state: ArrayLike<number>, out?: Float64Array): Float64Array;
}

/** Options of `SINDy.toSystem`. @public */
export interface SindySystemOptions {
  /** Name of the system (default `'SINDy model'`). */
  name?: string;
  /** Initial state `initialState()` returns. */
  initialState?: ArrayLike<number>;
  /** Scale of the states at which the compiled rhs is checked against the model's (default 1). */
  checkScale?: number;
}

/** A library term's name as an expression: juxtaposition (`x y`, `1 x`) becomes multiplication. */
export function termExpression(term: string): string {
  return term.trim().replace(/([A-Za-z0-9_.)])\s+(?=[A-Za-z0-9_.(])/g, '$1*');
}

/**
 * The fitted model as a {@link SymbolicSystem} (SINDy with control is not supported). Throws `ValueError`
 * when a term name is not an expression of the language or the compiled system disagrees with the model.
 */
export function sindySystem(
  model: SindyModelLike,
  options: SindySystemOptions = {},
): SymbolicSystem {
  const op = 'SINDy.toSystem';
  if (model.controlNames.length > 0) {
    throw new ValueError(
      op,
      `the model has control inputs (${model.controlNames.join(', ')}); a system of the state alone cannot carry them`,
    );
  }
  const names = model.featureNames;
  const terms = model.termNames.map(termExpression);
  const xi = model.coefficients.dataSync() as Float64Array;
  const p = terms.length;
  const rhs: Record<string, string> = {};
  names.forEach((name, i) => {
    const parts: string[] = [];
    for (let j = 0; j < p; j++) {
      const c = xi[i * p + j]!;
      if (c !== 0)
        parts.push(terms[j] === '1' ? numberLiteral(c) : `${numberLiteral(c)}*(${terms[j]})`);
    }
    rhs[name] = parts.length === 0 ? '0' : parts.join(' + ');
  });
  let system: SymbolicSystem;
  try {
    system = defineSystem({
      name: options.name ?? 'SINDy model',
      state: names,
      rhs,
      initialState: options.initialState,
    });
  } catch (e) {
    throw new ValueError(
      op,
      `the library's term names are not all expressions of the symbolic language (${(e as Error).message}); toSystem works for polynomial and Fourier libraries and custom ones named by their formulas`,
    );
  }
  checkAgainstModel(op, model, system, options.checkScale ?? 1);
  return system;
}

/** Compares the compiled rhs with the model's at a few deterministic states. */
function checkAgainstModel(
  op: string,
  model: SindyModelLike,
  system: SymbolicSystem,
  scale: number,
): void {
  const n = system.dim;
  const ours = new Float64Array(n);
  for (let k = 0; k < 5; k++) {
    const y = Float64Array.from({ length: n }, (_, i) => scale * Math.sin(1.3 * k + 0.7 * i + 0.1));
    const want = model.rhs(y);
    system.rhs(0, y, ours);
    for (let i = 0; i < n; i++) {
      const tol = 1e-9 * Math.max(1, Math.abs(want[i]!));
      if (!(Math.abs(ours[i]! - want[i]!) <= tol)) {
        throw new ValueError(
          op,
          `the equations built from the term names give ${ours[i]} for ${system.stateNames[i]}' where the model gives ${want[i]}: the library's names do not describe what it computes`,
        );
      }
    }
  }
}
