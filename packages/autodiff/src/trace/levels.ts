/**
 * Nesting of active transforms. Each `grad`/`vjp`/`jvp` installs one op observer at the next level
 * (outermost = 0). When a transform runs its own rules (forward mode does so inside `onOp`), the ops those
 * rules execute are derivative computations of that transform: transforms outside it (lower levels) must see
 * them, so that derivatives compose (`grad(grad(f))`, forward-over-reverse Hessians), while the transform
 * itself and those inside it must not — they never consume another transform's tangents, and seeing them
 * would either loop or waste work.
 *
 * Custom rules hide a function's internals from one kind of transform (`customVjp` from reverse mode,
 * `customJvp` from forward mode) and add a single entry for it instead.
 */
import type { OpObserver } from '@sciml/linalg';
import { addOpObserver, withoutOpObservers } from '@sciml/linalg';

/** Which way a transform differentiates. */
export type TransformKind = 'reverse' | 'forward';

/** An installed transform: an op observer that knows its nesting level and kind. */
export interface Transform extends OpObserver {
  readonly level: number;
  readonly kind: TransformKind;
}

/** A rule for which transforms currently ignore ops: those at `fromLevel` or deeper, of `kind` (null: any). */
interface Block {
  readonly fromLevel: number;
  readonly kind: TransformKind | null;
}

const active: Transform[] = [];
const blocks: Block[] = [];

/** The level the next installed transform gets. */
export function nextLevel(): number {
  return active.length;
}

/** True when `t` must ignore the op being executed now. */
export function isBlocked(t: Transform): boolean {
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]!;
    if (t.level >= b.fromLevel && (b.kind === null || t.kind === b.kind)) return true;
  }
  return false;
}

/** Runs `fn` with `t` installed (ops reach it), and always removes it afterwards. */
export function withTransform<R>(t: Transform, fn: () => R): R {
  if (t.level !== active.length)
    throw new Error(`autodiff: transform level ${t.level} installed at depth ${active.length}`);
  const uninstall = addOpObserver(t);
  active.push(t);
  try {
    return fn();
  } finally {
    active.pop();
    uninstall();
  }
}

/** Runs `fn` so that transforms at `level` or deeper ignore its ops (rules of the transform at `level`). */
export function hiddenFrom<R>(level: number, fn: () => R): R {
  blocks.push({ fromLevel: level, kind: null });
  try {
    return fn();
  } finally {
    blocks.pop();
  }
}

/**
 * The level from which transforms of `kind` treat a custom rule as one step: those deeper than every active
 * transform of the other kind. A transform with one of the other kind inside it must differentiate that
 * one's derivative computations, which run through the function's own ops, so it sees those ops instead.
 */
export function customRuleLevel(kind: TransformKind): number {
  let deepestOther = -1;
  for (const t of active) if (t.kind !== kind) deepestOther = t.level;
  return deepestOther + 1;
}

/** Runs `fn` (the primal of a custom rule) hidden from the transforms of `kind` at `fromLevel` or deeper. */
export function hiddenFromKind<R>(kind: TransformKind, fromLevel: number, fn: () => R): R {
  blocks.push({ fromLevel, kind });
  try {
    return fn();
  } finally {
    blocks.pop();
  }
}

/** The installed transforms, outermost first (for custom rules, which add entries to each). */
export function activeTransforms(): readonly Transform[] {
  return active;
}

/**
 * Runs `fn` as if no transform were active (a trace for `jit`/`vmap` starts a fresh nest: the transforms
 * around it see the traced program when it runs, not the trace), and restores them afterwards.
 */
export function isolatedTransforms<R>(fn: () => R): R {
  const savedActive = active.splice(0, active.length);
  const savedBlocks = blocks.splice(0, blocks.length);
  try {
    return withoutOpObservers(fn);
  } finally {
    active.splice(0, active.length, ...savedActive);
    blocks.splice(0, blocks.length, ...savedBlocks);
  }
}
