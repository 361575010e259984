// Checkpoints as safetensors files with PyTorch's state-dict names and layouts, read and written by
// @sciml/data: `model.safetensors` loads in PyTorch with `model.load_state_dict(safetensors.torch.load_file(p))`
// for a module built the same way, and back. Optimiser state goes to a second file beside it.
import type { PyTree } from '@sciml/autodiff';
import {
  readSafetensors,
  readSafetensorsFile,
  writeSafetensors,
  writeSafetensorsFile,
} from '@sciml/data';
import { type NDArray, ShapeError, ValueError, formatShape, shapesEqual } from '@sciml/linalg';
import type { OptimizerState } from '@sciml/optim';
import type { Module } from '../module.js';
import { mapWithPath, namedLeaves } from '../tree-paths.js';

const STEP_KEY = 'step';
// steps an optimiser with `nonFinite: 'skip'` skipped (kept so a resumed run counts on)
const SKIPPED_KEY = 'skipped';

/** The model's state dict (parameters and buffers) as safetensors bytes, PyTorch names, `format: pt`. @public */
export function modelToSafetensors(model: Module): Uint8Array {
  return writeSafetensors(model.stateDict(), { metadata: { format: 'pt' } });
}

/** Loads parameters and buffers from safetensors bytes into `model` (names and shapes must match). @public */
export function loadModelSafetensors(
  model: Module,
  bytes: Uint8Array,
  options: { strict?: boolean } = {},
): void {
  model.loadStateDict(readSafetensors(bytes, { source: 'model checkpoint' }).tensors, options);
}

/**
 * Optimiser state as safetensors: each slot tree under its slot name (`m.layers.0.weight`, `v.…`), the step
 * count in the metadata.
 * @public
 */
export function optimizerStateToSafetensors(state: OptimizerState): Uint8Array {
  const { tensors, metadata } = optimizerTensors(state);
  return writeSafetensors(tensors, { metadata });
}

function optimizerTensors(state: OptimizerState): {
  tensors: Map<string, NDArray>;
  metadata: Record<string, string>;
} {
  const tensors = new Map<string, NDArray>();
  for (const [slot, tree] of Object.entries(state.slots)) {
    for (const [name, a] of namedLeaves(tree, slot)) tensors.set(name, a);
  }
  return {
    tensors,
    metadata: {
      [STEP_KEY]: String(state.step),
      slots: Object.keys(state.slots).join(','),
      ...(state.skipped === undefined ? {} : { [SKIPPED_KEY]: String(state.skipped) }),
    },
  };
}

/**
 * Reads optimiser state written by {@link optimizerStateToSafetensors}; `template` (the optimiser's
 * `init(model.params)`) gives the structure, and every array must be present with its shape.
 * @public
 */
export function optimizerStateFromSafetensors(
  bytes: Uint8Array,
  template: OptimizerState,
): OptimizerState {
  const { tensors, metadata } = readSafetensors(bytes, { source: 'optimizer checkpoint' });
  return optimizerStateFrom(tensors, metadata, template);
}

function optimizerStateFrom(
  tensors: ReadonlyMap<string, NDArray>,
  metadata: ReadonlyMap<string, string>,
  template: OptimizerState,
): OptimizerState {
  const op = 'optimizerStateFromSafetensors';
  const step = Number(metadata.get(STEP_KEY));
  if (!Number.isSafeInteger(step) || step < 0)
    throw new ValueError(
      op,
      `the file has no valid '${STEP_KEY}' in its metadata; was it written by optimizerStateToSafetensors?`,
    );
  const slots: Record<string, PyTree> = {};
  for (const [slot, tree] of Object.entries(template.slots)) {
    slots[slot] = mapWithPath(
      tree,
      (name, current) => {
        const a = tensors.get(name);
        if (a === undefined) throw new ValueError(op, `the file has no '${name}'`);
        if (!shapesEqual(a.shape, current.shape))
          throw new ShapeError(
            op,
            `'${name}' has shape ${formatShape(a.shape)}, the optimiser expects ${formatShape(current.shape)}`,
          );
        return a;
      },
      slot,
    );
  }
  const skipped = metadata.get(SKIPPED_KEY);
  return skipped === undefined ? { step, slots } : { step, slots, skipped: Number(skipped) };
}

/** The optimiser file beside a model file: `net.safetensors` → `net.optimizer.safetensors`. */
function optimizerPath(path: string): string {
  return `${path.replace(/\.safetensors$/, '')}.optimizer.safetensors`;
}

/**
 * Saves `model` to `path` (safetensors, PyTorch names) and, when given, the optimiser state to
 * `<path without .safetensors>.optimizer.safetensors` (Node.js).
 * @public
 */
export async function saveCheckpoint(
  path: string,
  model: Module,
  options: { optimizerState?: OptimizerState } = {},
): Promise<void> {
  await writeSafetensorsFile(path, model.stateDict(), { metadata: { format: 'pt' } });
  if (options.optimizerState) {
    const { tensors, metadata } = optimizerTensors(options.optimizerState);
    await writeSafetensorsFile(optimizerPath(path), tensors, { metadata });
  }
}

/**
 * Loads a checkpoint written by {@link saveCheckpoint} into `model`; with `optimizerTemplate`
 * (`optimizer.init(model.params)`) also reads and returns the optimiser state (Node.js).
 * @public
 */
export async function loadCheckpoint(
  path: string,
  model: Module,
  options: { optimizerTemplate?: OptimizerState; strict?: boolean } = {},
): Promise<{ optimizerState?: OptimizerState }> {
  const { tensors } = await readSafetensorsFile(path);
  model.loadStateDict(tensors, { strict: options.strict });
  if (!options.optimizerTemplate) return {};
  const opt = await readSafetensorsFile(optimizerPath(path));
  return {
    optimizerState: optimizerStateFrom(opt.tensors, opt.metadata, options.optimizerTemplate),
  };
}
