import { type PyTree, jit, treeLeaves, treeMap } from '@sciml/autodiff';
import {
  type Backend,
  type NDArray,
  ValueError,
  add,
  isfinite,
  keep,
  mul,
  scalar,
  sum,
  where,
  zerosLike,
} from '@sciml/linalg';
import { clipByGlobalNorm, clipByValue } from './clipping.js';
import {
  type NonFinitePolicy,
  POSITIVE,
  checkHyper,
  checkLearningRate,
  checkRateAt,
  failNonFinite,
  nonFiniteGradient,
} from './guards.js';
import { type LearningRate, rateAt } from './schedules.js';

/** Optimiser state: the step count and per-parameter slots (moment estimates, …), all pytrees. */
export interface OptimizerState {
  /** Number of updates applied so far. */
  step: number;
  /** Per-parameter buffers with the structure of the parameters. */
  slots: Record<string, PyTree>;
  /** Steps skipped because the gradient was not finite (`nonFinite: 'skip'`); absent until one is. */
  skipped?: number;
  /**
   * With `nonFinite: 'skip'` on a backend that cannot read values synchronously (a GPU): a bool scalar on
   * that backend, false when this step's gradient was not finite and the update was masked out on the
   * device (`await state.finite.data()` to read it). Absent on the CPU, where `skipped` counts instead.
   */
  finite?: NDArray;
}

/**
 * A first-order optimiser with functional state: `init(params)`, then `update(params, grads, state)` (the
 * same order as `Optimizer.step(params, grads)`: parameters, then their gradients).
 */
export interface GradientOptimizer {
  /** Name, e.g. `'adam'`. */
  readonly name: string;
  /** Creates the state for parameters of this structure. */
  init(params: PyTree): OptimizerState;
  /**
   * Returns the new parameters and state after one step with `grads`. Nothing is mutated or freed: the
   * caller owns both states (inside a `scope`, return the new state or `keep` it) — unless it donates them
   * (`options.donate`).
   */
  update<P extends PyTree>(
    params: P,
    grads: P,
    state: OptimizerState,
    options?: UpdateOptions,
  ): { params: P; state: OptimizerState };
}

/** Options of one {@link GradientOptimizer.update}. */
export interface UpdateOptions {
  /**
   * The caller gives up `params`, `grads` and the state's slot arrays (JAX's buffer donation): on the CPU the
   * compiled update writes the new values into their memory instead of fresh memory, and every one of those
   * arrays is invalid afterwards (using it throws the "already freed" error naming the donation). Only for
   * arrays nothing else holds (a training loop's own parameters and state); default false. An optimiser may
   * ignore it (then the arrays stay valid).
   */
  donate?: boolean;
}

/** Options shared by all stochastic optimisers. */
export interface CommonOptions {
  /** Learning rate η (number or schedule of the step). */
  lr: LearningRate;
  /** Clip each gradient entry into [−c, c] before the update. */
  clipValue?: number;
  /** Rescale gradients to this global ℓ2 norm at most before the update. */
  clipNorm?: number;
  /**
   * A gradient with NaN or ±Infinity (after clipping): `'error'` (default) throws `NotFiniteError` naming the
   * optimiser, the step and the leaf; `'skip'` returns the parameters and state unchanged and counts the
   * step in `state.skipped`. On a GPU (no synchronous reads) `'skip'` masks the update on the device and
   * flags it in `state.finite` (the step count still advances); `'error'` cannot stop there and checks nothing.
   */
  nonFinite?: NonFinitePolicy;
}

/**
 * One optimiser's rule: slot names, the step's scalar coefficients and the per-leaf update. The coefficients
 * are computed on the host in float64 from η and the step t (1-based); `leaf` receives them as arrays of the
 * leaf's dtype on its backend, so the whole leaf update is one compiled program (see {@link makeOptimizer}).
 */
export interface UpdateRule {
  /** Names of the per-parameter buffers this rule keeps (e.g. `['m', 'v']`). */
  slots: readonly string[];
  /**
   * Names the leaf program together with every constant `leaf` closes over (e.g. `adam β1=0.9 β2=0.999 ε=1e-8`).
   * Optimisers whose rules have equal keys share their compiled programs, so an optimiser made afresh for each
   * training call (`fit(…, { optimizer: adam({ lr }) })` in a loop) is not traced and compiled again. Leave it
   * out when `leaf` depends on anything the key does not say; each optimiser then compiles its own.
   */
  key?: string;
  /**
   * The step's scalars (default `[lr]`): everything of the update that depends on η or t, such as Adam's bias
   * corrections 1 − βᵗ. Plain JavaScript arithmetic belongs here, not in `leaf`, whose inputs are traced.
   */
  scalars?(lr: number, t: number): readonly number[];
  /**
   * Returns the new parameter and new slot values for one leaf from @sciml/linalg ops; `s` holds the values of
   * `scalars(lr, t)` as 0-d arrays (JavaScript numbers inside `leaf` are constants of the compiled program).
   */
  leaf(
    p: NDArray,
    g: NDArray,
    slots: NDArray[],
    s: readonly NDArray[],
  ): { p: NDArray; slots: NDArray[] };
}

/** One step's scalars as 0-d arrays, made once per dtype and backend of the leaves that use them. */
class StepScalars {
  readonly #values: readonly number[];
  readonly #made = new Map<Backend, Map<string, NDArray[]>>();

  constructor(values: readonly number[]) {
    this.#values = values;
  }

  /** The scalars in the dtype and on the backend of `p` (as a number meeting `p` in an op would be). */
  like(p: NDArray): NDArray[] {
    let byDtype = this.#made.get(p.backend);
    if (byDtype === undefined) {
      byDtype = new Map();
      this.#made.set(p.backend, byDtype);
    }
    let arrays = byDtype.get(p.dtype);
    if (arrays === undefined) {
      arrays = this.#values.map((v) => scalar(v, { dtype: p.dtype, backend: p.backend }));
      byDtype.set(p.dtype, arrays);
    }
    return arrays;
  }

  /** Frees the arrays (the step's results no longer need them once computed or scheduled). */
  dispose(): void {
    for (const byDtype of this.#made.values())
      for (const arrays of byDtype.values()) for (const a of arrays) a.dispose();
  }
}

type LeafUpdate = (
  p: NDArray,
  g: NDArray,
  slots: NDArray[],
  s: readonly NDArray[],
) => { p: NDArray; slots: NDArray[] };

/** Compiled leaf programs of keyed rules, shared by every optimiser made with the same key (most recent kept). */
const compiledByKey = new Map<string, { fusedLeaf: LeafUpdate; donatingLeaf: LeafUpdate }>();
const COMPILED_KEYS_LIMIT = 64;

/** The rule's leaf update under `jit`, plain and donating its parameter and slots; shared across optimisers by key. */
function compiledLeaf(rule: UpdateRule): { fusedLeaf: LeafUpdate; donatingLeaf: LeafUpdate } {
  const hit = rule.key === undefined ? undefined : compiledByKey.get(rule.key);
  if (hit !== undefined) return hit;
  const leafUpdate: LeafUpdate = (p, g, slots, s) => rule.leaf(p, g, slots, s);
  const made = {
    fusedLeaf: jit(leafUpdate),
    // the same program, allowed to write the new parameter and slots over the given-up old ones
    donatingLeaf: jit(leafUpdate, { donate: [0, 1, 2] }),
  };
  if (rule.key !== undefined) {
    if (compiledByKey.size >= COMPILED_KEYS_LIMIT)
      compiledByKey.delete(compiledByKey.keys().next().value!);
    compiledByKey.set(rule.key, made);
  }
  return made;
}

/**
 * Builds a `GradientOptimizer` from a per-leaf rule. On the CPU each leaf's update runs as one `jit`-compiled
 * program (traced once per leaf shape and dtype; the step's scalars are inputs, so a schedule or Adam's bias
 * correction never retraces) whose elementwise ops fuse into one generated loop instead of a pass and a fresh
 * buffer per op; on a GPU the rule's ops run as they are, fused by the backend's own lazy evaluation. Inside another trace
 * (`jit`, `grad` through the update) the rule's ops are simply part of the enclosing program.
 */
export function makeOptimizer(
  name: string,
  options: CommonOptions,
  rule: UpdateRule,
): GradientOptimizer {
  checkLearningRate(name, options?.lr);
  checkHyper(name, 'clipValue', options.clipValue, POSITIVE);
  checkHyper(name, 'clipNorm', options.clipNorm, POSITIVE);
  const policy = options.nonFinite ?? 'error';
  if (policy !== 'error' && policy !== 'skip')
    throw new ValueError(name, `nonFinite must be 'error' or 'skip', got ${String(policy)}`);
  const { fusedLeaf, donatingLeaf } = compiledLeaf(rule);
  return {
    name,
    init(params) {
      const slots: Record<string, PyTree> = {};
      for (const s of rule.slots) {
        slots[s] = treeMap((p) => zerosLike(p), params);
      }
      return { step: 0, slots };
    },
    update(params, grads, state, updateOptions = {}) {
      let g: PyTree = grads;
      if (options.clipValue !== undefined) g = clipByValue(g, options.clipValue);
      if (options.clipNorm !== undefined) g = clipByGlobalNorm(g, options.clipNorm);
      const t = state.step + 1;
      const bad = nonFiniteGradient(g);
      if (bad !== undefined) {
        if (policy === 'error') failNonFinite(name, bad, t);
        return { params, state: { ...state, skipped: (state.skipped ?? 0) + 1 } };
      }
      const lr = checkRateAt(name, rateAt(options.lr, state.step), state.step);
      const values = rule.scalars ? rule.scalars(lr, t) : [lr];
      const scalars = new StepScalars(values);
      const newSlots: Record<string, NDArray[]> = Object.fromEntries(
        rule.slots.map((s) => [s, []]),
      );
      // treeMap over params, grads and every slot tree; slot results are collected on the side
      const slotTrees = rule.slots.map((s) => state.slots[s]!);
      const newParams = treeMap(
        (p, gi, ...slotLeaves) => {
          // jit fuses on the CPU only; elsewhere it would run op by op anyway (a GPU fuses lazily itself) while
          // its compiled constants stayed on the device until the optimiser is garbage-collected
          const update =
            p.backend.name !== 'cpu'
              ? rule.leaf
              : updateOptions.donate === true
                ? donatingLeaf
                : fusedLeaf;
          const out = update(p, gi!, slotLeaves, scalars.like(p));
          rule.slots.forEach((s, i) => {
            newSlots[s]!.push(out.slots[i]!);
          });
          return out.p;
        },
        params,
        g,
        ...slotTrees,
      );
      const slots: Record<string, PyTree> = {};
      rule.slots.forEach((s) => {
        let i = 0;
        slots[s] = treeMap(() => newSlots[s]![i++]!, state.slots[s]!);
      });
      scalars.dispose();
      const next: OptimizerState = { step: t, slots };
      if (state.skipped !== undefined) next.skipped = state.skipped;
      if (policy === 'skip' && !readableNow(g)) {
        // no synchronous read on this backend: keep the old values where the gradient was not finite
        const ok = finiteOnDevice(g);
        next.finite = ok;
        for (const s of rule.slots)
          slots[s] = treeMap((fresh, old) => where(ok, fresh, old!), slots[s]!, state.slots[s]!);
        return {
          params: treeMap(
            (fresh, old) => where(ok, fresh, old!),
            newParams,
            params,
          ) as typeof params,
          state: next,
        };
      }
      return { params: newParams as typeof params, state: next };
    },
  };
}

/** Whether every leaf's values can be read synchronously (the CPU), so the gradient check ran. */
function readableNow(tree: PyTree): boolean {
  return treeLeaves(tree).every((x) => x.backend.downloadSync !== undefined);
}

/** A bool scalar on the gradient's backend: all leaves finite (x·0 is 0 for finite x and NaN otherwise). */
function finiteOnDevice(grads: PyTree): NDArray {
  let total: NDArray | undefined;
  for (const g of treeLeaves(grads)) {
    const s = sum(mul(g, 0));
    total = total === undefined ? s : add(total, s);
  }
  return isfinite(total!);
}

function slotLeaves(state: OptimizerState): NDArray[] {
  return Object.values(state.slots).flatMap((tree) => treeLeaves(tree));
}

/** Disposes the NDArray leaves of an optimiser state's slots, except those the next state still holds. */
function disposeSlots(state: OptimizerState, next?: OptimizerState): void {
  const still = new Set(next ? slotLeaves(next) : []);
  for (const leaf of slotLeaves(state)) if (!still.has(leaf)) leaf.dispose();
}

/**
 * A stateful wrapper for training loops: holds the optimiser state and applies `step(params, grads)`.
 *
 * The wrapper owns its state: the state's arrays are exempt from every `scope` (`keep`), so a training step
 * inside `scope(() => opt.step(params, grads))` works on every backend, and the previous step's state is
 * disposed when it is replaced. `dispose()` (or `reset()`) frees it.
 * @example
 * ```ts
 * const opt = new Optimizer(adam({ lr: 1e-3 }));
 * for (...) params = scope(() => opt.step(params, grad(loss)(params)));
 * ```
 */
export class Optimizer {
  /** The wrapped functional optimiser. */
  readonly optimizer: GradientOptimizer;
  #state: OptimizerState | undefined;

  /** Wraps a functional optimiser; its state is created on the first step. */
  constructor(optimizer: GradientOptimizer) {
    this.optimizer = optimizer;
  }

  /** Applies one update and returns the new parameters (the previous state is disposed). */
  step<P extends PyTree>(params: P, grads: P): P {
    this.#state ??= keep(this.optimizer.init(params));
    const previous = this.#state;
    const { params: next, state } = this.optimizer.update(params, grads, previous);
    this.#state = keep(state);
    disposeSlots(previous, state);
    if (previous.finite !== undefined && previous.finite !== state.finite)
      previous.finite.dispose();
    return next;
  }

  /** The current state (undefined before the first step); owned by this optimiser, valid until the next step. */
  get state(): OptimizerState | undefined {
    return this.#state;
  }

  /** Forgets the state (moments, step count) and frees its arrays. */
  reset(): void {
    if (this.#state) {
      disposeSlots(this.#state);
      this.#state.finite?.dispose();
    }
    this.#state = undefined;
  }

  /** Frees the state's arrays (same as `reset()`); `using opt = new Optimizer(...)` calls it. */
  dispose(): void {
    this.reset();
  }

  /** Support for `using` (explicit resource management). */
  [Symbol.dispose](): void {
    this.reset();
  }
}
