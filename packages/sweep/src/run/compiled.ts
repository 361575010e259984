// Worker threads and worker processes run compiled JavaScript. When this package runs from its TypeScript
// sources (tests, the `@sciml/source` condition) the compiled sibling in dist/ is used instead.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BackendError } from '@sciml/linalg';

/** The compiled `.js` file for a module next to `base` (an `import.meta.url`). */
export function compiledModule(relative: string, base: string): string {
  const url = new URL(relative, base);
  let path = fileURLToPath(url);
  if (/[\\/]src[\\/]/.test(path) && base.endsWith('.ts')) {
    path = path.replace(/([\\/])src([\\/])(?!.*[\\/]src[\\/])/, '$1dist$2');
  }
  path = path.replace(/\.ts$/, '.js');
  if (!existsSync(path)) {
    throw new BackendError(
      'sciml-sweep',
      `${path} is missing: build the package first (pnpm --filter @sciml/sweep build)`,
    );
  }
  return path;
}

/**
 * This process's Node flags without the `@sciml/source` export condition, for the threads and processes that
 * run compiled code: under that condition they would resolve @sciml packages to TypeScript they cannot load.
 */
export function compiledExecArgv(argv: readonly string[] = process.execArgv): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if ((a === '--conditions' || a === '-C') && argv[i + 1] === '@sciml/source') {
      i++;
      continue;
    }
    if (a === '--conditions=@sciml/source' || a === '-C=@sciml/source') continue;
    out.push(a);
  }
  return out;
}

/** Node flags (with a value) that worker threads accept and that change how modules load. */
const THREAD_FLAGS_WITH_VALUE = new Set([
  '--conditions',
  '-C',
  '--import',
  '--require',
  '-r',
  '--loader',
  '--experimental-loader',
]);
/** Value-less flags worker threads accept and that matter to loading or warnings. */
const THREAD_SWITCHES = new Set([
  '--enable-source-maps',
  '--no-warnings',
  '--experimental-import-meta-resolve',
]);

/**
 * {@link compiledExecArgv} reduced to the flags a worker thread accepts (Node refuses per-process flags such as
 * `--expose-gc` or `--max-old-space-size` in a Worker's execArgv): module loading hooks and conditions.
 */
export function threadExecArgv(argv: readonly string[] = process.execArgv): string[] {
  const flags = compiledExecArgv(argv);
  const out: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    const a = flags[i]!;
    const name = a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
    if (THREAD_SWITCHES.has(name)) out.push(a);
    else if (THREAD_FLAGS_WITH_VALUE.has(name)) {
      if (a.includes('=')) out.push(a);
      else if (i + 1 < flags.length) out.push(a, flags[++i]!);
    }
  }
  return out;
}
