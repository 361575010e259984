#!/usr/bin/env node
// Standalone install check: every package must install and load on its own, the way a user gets
// it from the registry. For each packages/* package: `pnpm pack` (which turns workspace:
// ranges into real versions), then in an empty temp project `npm install` its tarball plus the
// tarballs of its @sciml dependencies (transitively; nothing else from the monorepo), import it
// with plain Node and count its exports. Needs built dist/ (`pnpm build`; the root script
// `pnpm check:standalone` builds first). Exits 1 when any package fails.
//
//   node tooling/config/scripts/check-standalone.mjs [name...]   (e.g. linalg autodiff)
//   --keep   keep the temp folder and print where it is

import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const only = args.filter((a) => !a.startsWith('--'));

/** Workspace packages under packages/, by name. */
function readPackages() {
  const dir = join(root, 'packages');
  const packages = new Map();
  for (const entry of readdirSync(dir).sort()) {
    const file = join(dir, entry, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    if (manifest.private) continue;
    packages.set(manifest.name, {
      name: manifest.name,
      short: entry,
      dir: join(dir, entry),
      manifest,
    });
  }
  return packages;
}

/** The @sciml packages `name` needs at run time (dependencies, peer and optional), transitively, itself included. */
function closure(name, packages, seen = new Set()) {
  if (seen.has(name)) return seen;
  seen.add(name);
  const m = packages.get(name).manifest;
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const dep of Object.keys(m[field] ?? {})) {
      if (!dep.startsWith('@sciml/')) continue;
      if (!packages.has(dep))
        throw new Error(`${name} depends on ${dep}, which is not in packages/`);
      closure(dep, packages, seen);
    }
  }
  return seen;
}

function run(command, argv, cwd) {
  const r = spawnSync(command, argv, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NPM_CONFIG_UPDATE_NOTIFIER: 'false' },
  });
  if (r.error) throw r.error;
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
}

/** Last lines of a command's output, indented, for a failure message. */
function tail(text, lines = 15) {
  return text
    .split('\n')
    .filter((l) => !/Unknown user config|will stop working in the next major/.test(l))
    .slice(-lines)
    .map((l) => `    ${l}`)
    .join('\n');
}

const packages = readPackages();
const selected =
  only.length === 0
    ? [...packages.values()]
    : only.map((n) => {
        const p = packages.get(n.startsWith('@sciml/') ? n : `@sciml/${n}`);
        if (!p) {
          console.error(`check-standalone: no package ${n} in packages/`);
          process.exit(1);
        }
        return p;
      });

const work = mkdtempSync(join(tmpdir(), 'sciml-standalone-'));
const tarDir = join(work, 'tarballs');
mkdirSync(tarDir);
const tarballs = new Map();
const failures = [];

// 1. Pack every package once (a dependency's tarball is shared by its dependents).
for (const p of packages.values()) {
  const entry = p.manifest.exports?.['.'];
  const main =
    typeof entry === 'string' ? entry : (entry?.import ?? entry?.default ?? p.manifest.main);
  if (main && !existsSync(join(p.dir, main))) {
    failures.push({ name: p.name, why: `${main} is missing: run \`pnpm build\` first` });
    continue;
  }
  const before = new Set(readdirSync(tarDir));
  const r = run('pnpm', ['pack', '--pack-destination', tarDir], p.dir);
  const made = readdirSync(tarDir).filter((f) => !before.has(f) && f.endsWith('.tgz'));
  if (!r.ok || made.length !== 1) {
    failures.push({ name: p.name, why: `pnpm pack failed:\n${tail(r.out)}` });
    continue;
  }
  tarballs.set(p.name, join(tarDir, made[0]));
}

// 2. Install and import each package in an empty project of its own, one after the other.
const rows = [];
for (const p of selected) {
  const t0 = performance.now();
  const row = {
    package: p.name,
    sciml: '-',
    exports: '-',
    types: '-',
    result: 'FAIL',
    seconds: '-',
  };
  rows.push(row);
  const early = failures.find((f) => f.name === p.name);
  if (early) {
    row.result = 'FAIL (pack)';
    continue;
  }
  let needs;
  try {
    needs = [...closure(p.name, packages)];
  } catch (error) {
    failures.push({ name: p.name, why: error.message });
    continue;
  }
  const missing = needs.filter((n) => !tarballs.has(n));
  if (missing.length > 0) {
    failures.push({ name: p.name, why: `no tarball for ${missing.join(', ')}` });
    continue;
  }
  row.sciml = needs.map((n) => n.replace('@sciml/', '')).join(' ');
  const project = join(work, `project-${p.short}`);
  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: `standalone-${p.short}`, version: '0.0.0', private: true, type: 'module' }, null, 2)}\n`,
  );
  const install = run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--loglevel=error',
      ...needs.map((n) => tarballs.get(n)),
    ],
    project,
  );
  if (!install.ok) {
    row.result = 'FAIL (install)';
    failures.push({ name: p.name, why: `npm install failed:\n${tail(install.out)}` });
    continue;
  }
  // Plain Node, no custom conditions: what a user's `import '@sciml/x'` gets.
  const probe = run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import('${p.name}').then((m) => console.log(JSON.stringify({ count: Object.keys(m).length })), (e) => { console.error(e && e.stack || e); process.exit(1); })`,
    ],
    project,
  );
  const installed = join(project, 'node_modules', ...p.name.split('/'));
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
  const entry = manifest.exports?.['.'];
  const typesPath = (typeof entry === 'object' && entry?.types) || manifest.types;
  const hasTypes = Boolean(typesPath) && existsSync(join(installed, typesPath));
  row.types = hasTypes ? 'yes' : 'NO';
  row.seconds = ((performance.now() - t0) / 1000).toFixed(1);
  if (!probe.ok) {
    row.result = 'FAIL (import)';
    failures.push({ name: p.name, why: `import('${p.name}') failed:\n${tail(probe.out)}` });
    continue;
  }
  const count = JSON.parse(probe.out.split('\n').at(-1)).count;
  row.exports = String(count);
  if (count === 0) {
    row.result = 'FAIL (no exports)';
    failures.push({ name: p.name, why: 'it loads but exports nothing' });
  } else if (!hasTypes) {
    row.result = 'FAIL (types)';
    failures.push({
      name: p.name,
      why: `its types (${typesPath ?? 'no "types" field'}) are not in the tarball`,
    });
  } else {
    row.result = 'ok';
  }
}

// 3. Report.
const header = {
  package: 'package',
  sciml: '@sciml installed',
  exports: 'exports',
  types: 'types',
  result: 'result',
  seconds: 's',
};
const cols = Object.keys(header);
const width = Object.fromEntries(
  cols.map((c) => [c, Math.max(...[header, ...rows].map((r) => String(r[c]).length))]),
);
const line = (r) => cols.map((c) => String(r[c]).padEnd(width[c])).join(' | ');
console.log(
  `\nstandalone install check (npm ${run('npm', ['--version'], root).out.split('\n').at(-1)}, node ${process.version})`,
);
console.log(line(header));
console.log(cols.map((c) => '-'.repeat(width[c])).join('-|-'));
for (const r of rows) console.log(line(r));
for (const f of failures) console.error(`\n${f.name}: ${f.why}`);
if (keep) console.log(`\nkept ${work}`);
else rmSync(work, { recursive: true, force: true });
const bad = rows.filter((r) => r.result !== 'ok').length;
console.log(`\n${rows.length - bad} of ${rows.length} packages install and load standalone.`);
process.exit(bad === 0 && failures.length === 0 ? 0 : 1);
