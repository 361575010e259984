/**
 * Reverse mode: a tape is an op observer that records every primitive whose inputs are connected to the
 * watched arrays (identity sets, one per tape), and a backward pass that walks the records in reverse,
 * applying the VJP rules. The rules execute public ops, so a transform outside this one records the backward
 * pass too, and derivatives compose to any order.
 */
import {
  type NDArray,
  type OpRecord,
  type Primitive,
  add,
  isFloat,
  isInexact,
} from '@sciml/linalg';
import type { VjpRule } from '../rules/types.js';
import { zerosLike } from '../rules/util.js';
import { vjpRules } from '../rules/vjp.js';
import { type Transform, isBlocked } from './levels.js';

/** A user-defined backward step (`customVjp`): cotangents of the inputs from those of the outputs. */
export type CustomBackward = (cts: readonly (NDArray | null)[]) => readonly (NDArray | null)[];

/** One recorded step: a primitive, or a custom rule covering a whole function. */
type Entry =
  | OpRecord
  | {
      readonly custom: CustomBackward;
      readonly inputs: readonly NDArray[];
      readonly outputs: readonly NDArray[];
    };

export class Tape implements Transform {
  readonly kind = 'reverse' as const;
  readonly level: number;
  /** The public transform this tape serves (`'grad'`, `'vjp'`, `'jacobian'`, ...), for error messages. */
  readonly op: string;
  /** Arrays that depend on the watched inputs. */
  #live = new Set<NDArray>();
  #entries: Entry[] = [];

  constructor(level: number, watched: readonly NDArray[], op = 'vjp') {
    this.level = level;
    this.op = op;
    for (const x of watched) if (isFloat(x.dtype)) this.#live.add(x);
  }

  /** True when `x` depends on the watched inputs. */
  isLive(x: NDArray): boolean {
    return this.#live.has(x);
  }

  /** Arrays connected to the watched inputs are traced: their values must not leave through JavaScript. */
  tracedBy(x: NDArray): string | undefined {
    return !isBlocked(this) && this.#live.has(x) ? this.op : undefined;
  }

  onOp(rec: OpRecord): void {
    if (isBlocked(this)) return;
    this.#record(rec);
  }

  /** Records a custom rule covering `inputs` → `outputs` (if any input is live and the tape is not blocked). */
  recordCustom(
    inputs: readonly NDArray[],
    outputs: readonly NDArray[],
    backward: CustomBackward,
  ): void {
    if (isBlocked(this)) return;
    this.#record({ custom: backward, inputs, outputs });
  }

  #record(entry: Entry): void {
    const live = this.#live;
    let connected = false;
    for (const x of entry.inputs) {
      if (live.has(x)) {
        connected = true;
        break;
      }
    }
    if (!connected) return;
    this.#entries.push(entry);
    // complex intermediates carry cotangents too (JAX's convention: ∂L/∂x − i ∂L/∂y)
    for (const y of entry.outputs) if (isInexact(y.dtype)) live.add(y);
  }

  /**
   * Cotangents of `inputs` given cotangents `cts` of `outputs` (null entries are zero). With `retain` false the
   * tape is emptied as it goes, so intermediate arrays are freed as soon as they are no longer needed.
   */
  backward(
    outputs: readonly NDArray[],
    cts: readonly (NDArray | null)[],
    inputs: readonly NDArray[],
    retain: boolean,
  ): NDArray[] {
    const grads = new Map<NDArray, NDArray>();
    const accumulate = (x: NDArray, g: NDArray): void => {
      const prev = grads.get(x);
      grads.set(x, prev === undefined ? g : add(prev, g));
    };
    outputs.forEach((y, i) => {
      const c = cts[i];
      if (c && this.#live.has(y)) accumulate(y, c);
    });
    const entries = this.#entries;
    const inputSet = new Set(inputs);
    for (let k = entries.length - 1; k >= 0; k--) {
      const e = entries[k]!;
      let any = false;
      const outCts = e.outputs.map((y) => {
        const g = grads.get(y);
        if (g === undefined) return null;
        any = true;
        // an output that is also a requested input keeps its cotangent
        if (!inputSet.has(y)) grads.delete(y);
        return g;
      });
      if (!retain) entries[k] = undefined as unknown as Entry;
      if (!any) continue;
      const wanted = e.inputs.map((x) => this.#live.has(x));
      const inCts =
        'custom' in e
          ? e.custom(outCts)
          : (vjpRules[e.primitive] as VjpRule<Primitive>)(outCts, e, wanted);
      e.inputs.forEach((x, j) => {
        const g = inCts[j];
        if (wanted[j] && g) accumulate(x, g);
      });
    }
    if (!retain) this.release();
    return inputs.map((x) => grads.get(x) ?? zerosLike(x));
  }

  /** Recorded steps (primitives and custom rules). */
  get entryCount(): number {
    return this.#entries.length;
  }

  /** Elements of the distinct arrays the recorded steps hold on to (what reverse mode keeps alive). */
  retainedElements(): number {
    const seen = new Set<NDArray>();
    for (const e of this.#entries) {
      if (!e) continue;
      for (const x of e.inputs) seen.add(x);
      for (const x of e.outputs) seen.add(x);
    }
    let n = 0;
    for (const x of seen) n += x.size;
    return n;
  }

  /** Drops every reference the tape holds. */
  release(): void {
    this.#entries = [];
    this.#live = new Set();
  }
}
