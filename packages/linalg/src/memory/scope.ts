/**
 * Scopes: deterministic freeing of temporaries on every backend, sync or across `await`.
 *
 * Every NDArray registers with the scope open in its async context when it is created (`trackArray`, called
 * by the NDArray constructor). When the scope's function returns (or its promise settles) the scope disposes
 * what it tracked, except the arrays reachable from the result (they move to the enclosing scope) and the
 * arrays passed to `keep` (no scope frees them; their owner disposes them). On the CPU disposing marks the
 * array unusable and gives its storage to the CPU storage pool (`host-pool.ts`) when nothing else sees it,
 * so the next allocation of its size reuses it; on a GPU it returns the buffer to the GPU's pool.
 *
 * Which scope is "open here" follows the async context (see `context.ts`): two concurrent jobs, each in its
 * own scope, interleaving at `await`, never free each other's arrays.
 */
import type { DType } from '../core/dtype.js';
import { type ScopeContextProvider, defaultScopeContextProvider } from './context.js';

/** What a scope needs of an array (NDArray satisfies it; this file imports no NDArray, so no cycle). */
export interface ScopedArray {
  readonly size: number;
  readonly dtype: DType;
  readonly backend: { readonly name: string };
  readonly isDisposed: boolean;
  dispose(): void;
}

interface Frame {
  readonly arrays: Set<ScopedArray>;
  readonly parent: Frame | undefined;
  open: boolean;
}

let provider: ScopeContextProvider<Frame> = defaultScopeContextProvider<Frame>();
const openFrames = new Set<Frame>();
const owner = new WeakMap<ScopedArray, Frame>();
const freedArrays = new WeakSet<ScopedArray>();

/** True when `x` was disposed by a closing scope (for the error message of a later use). */
export function freedByScope(x: ScopedArray): boolean {
  return freedArrays.has(x);
}

/**
 * Replaces how scopes find the scope open in the current (async) context, e.g. with a TC39 `AsyncContext`
 * wrapper in a browser. Call it before opening any scope.
 * @public
 */
export function setScopeContextProvider(next: ScopeContextProvider<unknown>): void {
  provider = next as ScopeContextProvider<Frame>;
}

/** True when scopes follow async contexts (AsyncLocalStorage); false where they nest by time. @public */
export function scopesAreAsyncAware(): boolean {
  return provider.asyncAware;
}

function nearestOpen(frame: Frame | undefined): Frame | undefined {
  let f = frame;
  while (f && !f.open) f = f.parent;
  return f;
}

/** Registers a new array with the scope open in this context (called by the NDArray constructor). */
export function trackArray(x: ScopedArray): void {
  if (openFrames.size === 0) return;
  const f = nearestOpen(provider.getStore());
  if (!f) return;
  f.arrays.add(x);
  owner.set(x, f);
}

/**
 * Forgets a disposed array (called by `NDArray.dispose()`): its scope has nothing left to free, and a long
 * loop that creates and disposes arrays inside one scope would otherwise grow the scope's set without bound.
 */
export function untrackArray(x: ScopedArray): void {
  const f = owner.get(x);
  if (!f) return;
  f.arrays.delete(x);
  owner.delete(x);
}

/** Calls `visit` on every object reachable through arrays, plain objects and Maps (the leaves included). */
function walk(value: unknown, visit: (x: object) => void, seen = new Set<unknown>()): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  visit(value);
  if (Array.isArray(value)) {
    for (const v of value) walk(v, visit, seen);
  } else if (value instanceof Map) {
    for (const v of value.values()) walk(v, visit, seen);
  } else {
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null)
      for (const v of Object.values(value)) walk(v, visit, seen);
  }
}

function close(frame: Frame, result: unknown): void {
  frame.open = false;
  openFrames.delete(frame);
  const survivors = new Set<object>();
  walk(result, (x) => {
    if (frame.arrays.has(x as ScopedArray)) survivors.add(x);
  });
  const parent = nearestOpen(frame.parent);
  for (const a of frame.arrays) {
    if (survivors.has(a)) {
      if (parent) {
        parent.arrays.add(a);
        owner.set(a, parent);
      } else owner.delete(a);
    } else {
      owner.delete(a);
      if (!a.isDisposed) {
        freedArrays.add(a);
        a.dispose();
      }
    }
  }
  frame.arrays.clear();
}

/**
 * Runs `fn` and then disposes every array created during it (in its own async context) except those
 * reachable from its result — NDArrays in arrays, plain objects and Maps — which move to the enclosing scope,
 * and those passed to {@link keep}. An async `fn` keeps its scope across `await`; the arrays are freed when
 * its promise settles (also on rejection).
 *
 * In Node (and runtimes with `AsyncLocalStorage`) concurrent scopes are independent: each frees only what its
 * own job created. Elsewhere (browsers) async scopes nest by time, so concurrent async scopes must not
 * interleave; see `setScopeContextProvider`.
 *
 * @example
 * ```ts
 * const y = scope(() => {
 *   const t = mul(x, x); // freed when the scope closes
 *   return add(t, 1); // returned: survives
 * });
 * ```
 * @public
 */
export function scope<T>(fn: () => T): T {
  const frame: Frame = { arrays: new Set(), parent: provider.getStore(), open: true };
  openFrames.add(frame);
  let result: T;
  try {
    result = provider.run(frame, fn);
  } catch (e) {
    close(frame, undefined);
    throw e;
  }
  if (result instanceof Promise) {
    return result.then(
      (value) => {
        close(frame, value);
        return value;
      },
      (e) => {
        close(frame, undefined);
        throw e;
      },
    ) as T;
  }
  close(frame, result);
  return result;
}

/**
 * Exempts the arrays in `tree` (an NDArray, or arrays/plain objects/Maps of them) from every scope: no
 * scope frees them, and their owner must `dispose()` them. Optimisers keep their state this way. Returns
 * `tree`.
 * @public
 */
export function keep<T>(tree: T): T {
  walk(tree, (x) => {
    const f = owner.get(x as ScopedArray);
    if (f) {
      f.arrays.delete(x as ScopedArray);
      owner.delete(x as ScopedArray);
    }
  });
  return tree;
}

/** Arrays (and their bytes) on `backendName` owned by open scopes now. */
export function scopedUsage(backendName: string): { arrays: number; bytes: number } {
  let arrays = 0;
  let bytes = 0;
  for (const f of openFrames) {
    // disposed arrays leave their scope's set (`untrackArray`), so every member is live
    for (const a of f.arrays) {
      if (a.backend.name !== backendName) continue;
      arrays++;
      bytes += a.size * BYTES[a.dtype];
    }
  }
  return { arrays, bytes };
}

const BYTES: Record<DType, number> = {
  float64: 8,
  float32: 4,
  int32: 4,
  bool: 1,
  complex128: 16,
  complex64: 8,
};
