/**
 * `checkpoint` (rematerialisation): trade compute for memory in reverse mode.
 */
import { type NDArray, type OpRecord, addOpObserver, isFloat } from '@sciml/linalg';
import {
  activeTransforms,
  customRuleLevel,
  hiddenFromKind,
  nextLevel,
  withTransform,
} from '../trace/levels.js';
import { Tape } from '../trace/tape.js';
import { alias } from '../trace/trace.js';
import { type PyTree, treeFlatten, treeMap } from '../tree.js';

/**
 * Wraps `f` so that reverse mode stores only its inputs, not its intermediate values, and recomputes them
 * during the backward pass (JAX's `checkpoint`/`remat`; Griewank & Walther, "Evaluating Derivatives", ch. 12).
 * Gradients are unchanged; the memory a tape holds for a chain of k checkpointed blocks drops from every
 * intermediate of every block to the k block inputs, for one extra forward evaluation of each block.
 * Works on pytrees and composes with every transform (`grad(grad(...))`, `jit`, `vmap`).
 * @example
 * ```ts
 * const block = checkpoint((h: NDArray) => tanh(matmul(h, w)));
 * grad((x: NDArray) => sum(block(block(x))))(x); // same gradient, fewer stored activations
 * ```
 * @public
 */
export function checkpoint<Args extends unknown[], Out extends PyTree>(
  f: (...args: Args) => Out,
): (...args: Args) => Out {
  return (...args: Args) => {
    const from = customRuleLevel('reverse');
    const tapes = activeTransforms().filter((t) => t instanceof Tape && t.level >= from) as Tape[];
    if (tapes.length === 0) return f(...args);
    // run hidden from those tapes (nothing of f is stored), with fresh output objects for the custom step,
    // noting the arrays f reads that it did not make: its arguments and what it closes over
    const made = new Set<NDArray>();
    const read = new Set<NDArray>();
    const spy = {
      onOp(rec: OpRecord): void {
        for (const x of rec.inputs) if (!made.has(x)) read.add(x);
        for (const y of rec.outputs) made.add(y);
      },
    };
    const out = hiddenFromKind('reverse', from, () => {
      const stop = addOpObserver(spy);
      try {
        return treeMap((y) => (isFloat(y.dtype) ? alias(y) : y), f(...args));
      } finally {
        stop();
      }
    });
    const { leaves: argLeaves } = treeFlatten(args as PyTree);
    const { leaves: outLeaves } = treeFlatten(out);
    for (const tape of tapes) {
      // a closed-over array the tape differentiates (a parameter) is an input of the step too
      const inputs = [...new Set([...argLeaves, ...[...read].filter((x) => tape.isLive(x))])];
      // only inputs the outer tape differentiates are traced again (the others, e.g. scanned time values
      // that f reads with item(), stay constants and may be read)
      const live = inputs.filter((x) => tape.isLive(x));
      tape.recordCustom(inputs, outLeaves, (cts) => {
        // rematerialise: run f again under a tape of its own and pull the cotangents back through it
        const inner = new Tape(nextLevel(), live);
        const again = withTransform(inner, () => f(...args));
        return inner.backward(treeFlatten(again).leaves, cts, inputs, false);
      });
    }
    return out;
  };
}
