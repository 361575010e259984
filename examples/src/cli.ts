/**
 * `pnpm example --list` lists the examples; `pnpm example <name> [--out DIR]` runs one (or `all`), prints the
 * reproduced numbers next to the theory and writes the figure to DIR/<name>.svg (default examples/out).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Example } from './lib/example.js';
import { toSvg } from './lib/figure.js';
import { formatChecks } from './lib/table.js';
import { EXAMPLES } from './registry.js';

const DEFAULT_OUT = resolve(fileURLToPath(import.meta.url), '../../out');

async function runOne(example: Example, outDir: string): Promise<void> {
  console.log(`\n# ${example.name}: ${example.title}\n  (${example.source})\n`);
  const t0 = performance.now();
  const output = await example.run();
  for (const line of formatChecks(output.checks)) console.log(`  ${line}`);
  for (const remark of output.remarks ?? []) console.log(`  * ${remark}`);
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `${example.name}.svg`);
  writeFileSync(file, await toSvg(output.figure));
  console.log(`\n  figure: ${file}  (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}

function usage(): string {
  const width = Math.max(...EXAMPLES.map((e) => e.name.length));
  return [
    'usage: pnpm example <name> [--out DIR]   |   pnpm example all   |   pnpm example --list',
    '',
    ...EXAMPLES.map((e) => `  ${e.name.padEnd(width)}  ${e.title}`),
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const args = argv.filter((a) => a !== '--');
  const outFlag = args.indexOf('--out');
  const outDir = outFlag >= 0 ? resolve(args[outFlag + 1] ?? DEFAULT_OUT) : DEFAULT_OUT;
  const names = args.filter((a, i) => !a.startsWith('--') && (outFlag < 0 || i !== outFlag + 1));
  if (args.includes('--list') || args.includes('--help') || names.length === 0) {
    console.log(usage());
    return names.length === 0 && !args.includes('--list') && !args.includes('--help') ? 1 : 0;
  }
  const chosen = names.includes('all')
    ? EXAMPLES
    : names.map((n) => EXAMPLES.find((e) => e.name === n));
  const unknown = names.filter((n, i) => n !== 'all' && !chosen[i]);
  if (unknown.length > 0) {
    console.error(`unknown example: ${unknown.join(', ')}\n\n${usage()}`);
    return 1;
  }
  for (const example of chosen) await runOne(example!, outDir);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
