// Node.js built-in modules, imported at run time through a variable specifier: bundlers targeting browsers
// (esbuild, Vite, webpack) then neither try to resolve nor to polyfill them, and browser code that never
// calls a file helper never loads them.

interface Builtins {
  'node:fs/promises': typeof import('node:fs/promises');
  'node:module': typeof import('node:module');
  'node:path': typeof import('node:path');
}

/** Imports a Node.js built-in lazily (fails with the runtime's own error outside Node). */
export async function nodeBuiltin<K extends keyof Builtins>(name: K): Promise<Builtins[K]> {
  const specifier: string = name;
  return (await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier)) as Builtins[K];
}
