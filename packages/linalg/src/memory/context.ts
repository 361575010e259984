/**
 * Which scope is open "here": the async-context half of `scope()`.
 *
 * A scope must free only the arrays created in its own (async) context, so two concurrent jobs that each open
 * a scope and interleave at `await` never free each other's arrays. Node's `AsyncLocalStorage` gives exactly
 * that: a value that follows a call chain across `await`. This file imports nothing from Node, so linalg still
 * loads in a browser: it looks `AsyncLocalStorage` up at run time (`process.getBuiltinModule`, Node ≥ 20.16;
 * or a global `AsyncLocalStorage`, as Deno, Bun and Cloudflare workers offer) and otherwise falls back to a
 * stack, where async scopes nest by time (concurrent async scopes must then not interleave). Another runtime
 * can install its own provider with `setScopeContextProvider` (e.g. a TC39 `AsyncContext.Variable` wrapper).
 */

/** Carries one value along a call chain (sync, and across `await` where the runtime can). @public */
export interface ScopeContextProvider<T> {
  /** The value installed by the innermost enclosing `run`, if any. */
  getStore(): T | undefined;
  /** Runs `fn` with `store` installed for everything it calls (and, async-aware providers, awaits). */
  run<R>(store: T, fn: () => R): R;
  /** True when the value follows `await` (AsyncLocalStorage); false for the stack fallback. */
  readonly asyncAware: boolean;
}

interface AlsLike<T> {
  getStore(): T | undefined;
  run<R>(store: T, fn: () => R): R;
}
type AlsConstructor = new <T>() => AlsLike<T>;

function findAsyncLocalStorage(): AlsConstructor | undefined {
  const g = globalThis as {
    AsyncLocalStorage?: AlsConstructor;
    process?: { getBuiltinModule?: (id: string) => { AsyncLocalStorage?: AlsConstructor } };
  };
  if (typeof g.AsyncLocalStorage === 'function') return g.AsyncLocalStorage;
  try {
    return g.process?.getBuiltinModule?.('node:async_hooks')?.AsyncLocalStorage;
  } catch {
    return undefined;
  }
}

/** A provider over `AsyncLocalStorage`, or undefined where the runtime has none. */
function asyncLocalProvider<T>(): ScopeContextProvider<T> | undefined {
  const Als = findAsyncLocalStorage();
  if (!Als) return undefined;
  const als = new Als<T>();
  return {
    getStore: () => als.getStore(),
    run: (store, fn) => als.run(store, fn),
    asyncAware: true,
  };
}

/**
 * The fallback: a stack. `run` pushes for the synchronous part of `fn`; a promise-returning `fn` keeps its
 * value installed until the promise settles, so scopes nest by time rather than by async context.
 */
function stackProvider<T>(): ScopeContextProvider<T> {
  const stack: T[] = [];
  const pop = (store: T) => {
    const i = stack.lastIndexOf(store);
    if (i >= 0) stack.splice(i, 1);
  };
  return {
    getStore: () => stack[stack.length - 1],
    run<R>(store: T, fn: () => R): R {
      stack.push(store);
      let result: R;
      try {
        result = fn();
      } catch (e) {
        pop(store);
        throw e;
      }
      if (result instanceof Promise) {
        return result.finally(() => pop(store)) as R;
      }
      pop(store);
      return result;
    },
    asyncAware: false,
  };
}

/** Creates the best provider this runtime offers: AsyncLocalStorage where present, else the stack. */
export function defaultScopeContextProvider<T>(): ScopeContextProvider<T> {
  return asyncLocalProvider<T>() ?? stackProvider<T>();
}
