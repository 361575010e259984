// A vite plugin that serves README modules to vitest as TypeScript, so tests can `import()` them.
// Id: `<package dir>/README.md.module-<n>.ts` (a path beside the README, so bare imports resolve from the
// package's own node_modules exactly as they would for a user who installed it).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { moduleSource, readmeModules } from './blocks.js';

const ID = /^(.*\/README\.md)\.module-(\d+)\.ts$/;
const RUNTIME = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'readme-runtime.ts');

/** @returns {import('vite').Plugin} */
export function readmeBlocks() {
  return {
    name: 'sciml-readme-blocks',
    enforce: 'pre',
    resolveId(source, importer) {
      if (ID.test(source)) return source;
      // a README imports its own package by name: resolve it to the package's sources
      const from = importer && ID.exec(importer);
      if (from && source.startsWith('@sciml/')) {
        const pkgDir = dirname(from[1]);
        const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
        if (pkg.name === source) return join(pkgDir, 'src', 'index.ts');
      }
      return null;
    },
    load(id) {
      const m = ID.exec(id);
      if (!m) return null;
      const mod = readmeModules(readFileSync(m[1], 'utf8'))[Number(m[2])];
      if (!mod) throw new Error(`${m[1]} has no runnable module ${m[2]}`);
      return moduleSource(mod, RUNTIME, m[1]);
    },
  };
}
