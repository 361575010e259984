#!/usr/bin/env node
// Placeholder for `pnpm demo` until the real demo app exists (the lead replaces it with the Lorenz
// demo). It imports the BUILT packages (packages/*/dist, what `npm install` gives a user), lists
// what each one exports, and, when @sciml/linalg has `solve`, solves a real problem with it:
//
//   -u''(x) = π² sin(πx) on (0, 1), u(0) = u(1) = 0, whose exact solution is u(x) = sin(πx),
//
// by second-order central differences on n interior points: a tridiagonal system A u = f with
// A = (1/h²)·tridiag(-1, 2, -1). The error must fall like h² (×4 per halving of h).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Imports a workspace package from its built entry (its `exports['.'].import`). */
async function importBuilt(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const entry = manifest.exports?.['.'];
  const file =
    typeof entry === 'string' ? entry : (entry?.import ?? entry?.default ?? manifest.main);
  const path = join(dir, file);
  if (!existsSync(path)) {
    throw new Error(
      `${manifest.name}: ${file} is not built; run \`pnpm build\` (\`pnpm demo\` does).`,
    );
  }
  return { manifest, module: await import(pathToFileURL(path).href) };
}

const packages = [];
for (const entry of readdirSync(join(root, 'packages')).sort()) {
  const dir = join(root, 'packages', entry);
  if (existsSync(join(dir, 'package.json'))) packages.push(await importBuilt(dir));
}

console.log('@sciml packages (built):');
for (const { manifest, module } of packages) {
  const n = Object.keys(module).length;
  console.log(
    `  ${manifest.name.padEnd(18)} ${manifest.version.padEnd(7)} ${String(n).padStart(4)} exports`,
  );
}

const linalg = packages.find((p) => p.manifest.name === '@sciml/linalg')?.module ?? {};
const { fromTypedArray, solve } = linalg;
if (typeof fromTypedArray !== 'function' || typeof solve !== 'function') {
  console.log('\n@sciml/linalg does not export fromTypedArray and solve yet; nothing to compute.');
  process.exit(0);
}

/** Max-norm error of the finite-difference solution of -u'' = π² sin(πx) on n interior points. */
function poissonError(n) {
  const h = 1 / (n + 1);
  const a = new Float64Array(n * n);
  const f = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a[i * n + i] = 2 / h ** 2;
    if (i > 0) a[i * n + i - 1] = -1 / h ** 2;
    if (i < n - 1) a[i * n + i + 1] = -1 / h ** 2;
    f[i] = Math.PI ** 2 * Math.sin(Math.PI * (i + 1) * h);
  }
  const u = solve(fromTypedArray(a, [n, n]), fromTypedArray(f, [n])).dataSync();
  let err = 0;
  for (let i = 0; i < n; i++) err = Math.max(err, Math.abs(u[i] - Math.sin(Math.PI * (i + 1) * h)));
  return { h, err };
}

console.log(
  "\n-u'' = π² sin(πx), u(0) = u(1) = 0, central differences solved with @sciml/linalg `solve`:",
);
console.log('   n        h          max |u - sin(πx)|   ratio to previous');
let previous;
for (const n of [15, 31, 63, 127]) {
  const { h, err } = poissonError(n);
  const ratio = previous === undefined ? '' : (previous / err).toFixed(2);
  console.log(
    `  ${String(n).padStart(4)}  ${h.toExponential(3)}   ${err.toExponential(3)}          ${ratio}`,
  );
  previous = err;
}
console.log('  (second-order accurate: the error falls by ~4 each time h halves)');
