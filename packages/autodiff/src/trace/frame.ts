/**
 * Forward mode: a frame is an op observer that maps primal arrays to their tangents (by identity) and, for
 * every primitive with a tangent-carrying input, computes the tangents of its outputs with the JVP rules.
 * The rules run hidden from this frame and those inside it, and visible to transforms outside it, which is
 * how forward-over-reverse and forward-over-forward compose.
 */
import type { NDArray, OpRecord } from '@sciml/linalg';
import { applyJvp } from '../rules/jvp.js';
import { type Transform, hiddenFrom, isBlocked } from './levels.js';

/** A user-defined forward step (`customJvp`): tangents of the outputs from those of the inputs. */
export type CustomForward = (tangents: readonly (NDArray | null)[]) => readonly (NDArray | null)[];

export class Frame implements Transform {
  readonly kind = 'forward' as const;
  readonly level: number;
  /** The public transform this frame serves (`'jvp'`, `'jacobian'`, `'hessian'`), for error messages. */
  readonly op: string;
  // weak keys: a primal that becomes garbage frees its tangent during long computations
  readonly #tangents = new WeakMap<NDArray, NDArray>();

  constructor(level: number, op = 'jvp') {
    this.level = level;
    this.op = op;
  }

  /** Arrays carrying a tangent are traced: their values must not leave through JavaScript. */
  tracedBy(x: NDArray): string | undefined {
    return !isBlocked(this) && this.#tangents.has(x) ? this.op : undefined;
  }

  /** Sets the tangent of `x`. */
  seed(x: NDArray, t: NDArray): void {
    this.#tangents.set(x, t);
  }

  /** The tangent of `x`, or undefined for zero. */
  tangent(x: NDArray): NDArray | undefined {
    return this.#tangents.get(x);
  }

  onOp(rec: OpRecord): void {
    if (isBlocked(this)) return;
    this.#push(rec.inputs, rec.outputs, (ts) => applyJvp(ts, rec));
  }

  /** Applies a custom forward rule covering `inputs` → `outputs` (if any input has a tangent). */
  recordCustom(
    inputs: readonly NDArray[],
    outputs: readonly NDArray[],
    forward: CustomForward,
  ): void {
    if (isBlocked(this)) return;
    this.#push(inputs, outputs, forward);
  }

  #push(inputs: readonly NDArray[], outputs: readonly NDArray[], rule: CustomForward): void {
    let any = false;
    const ts = inputs.map((x) => {
      const t = this.#tangents.get(x);
      if (t === undefined) return null;
      any = true;
      return t;
    });
    if (!any) return;
    const outs = hiddenFrom(this.level, () => rule(ts));
    outputs.forEach((y, i) => {
      const t = outs[i];
      if (t) this.#tangents.set(y, t);
    });
  }
}
