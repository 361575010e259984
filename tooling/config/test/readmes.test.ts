// Every package README's TypeScript/JavaScript blocks, run as written, with their `// → expected` comments
// checked (conventions: readme/blocks.js). New packages are picked up by the glob: nothing to register.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { moduleSource, readmeModules } from '../readme/blocks.js';
import { mismatch } from '../src/readme-runtime.js';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const readmes = readdirSync(join(ROOT, 'packages'))
  .map((p) => join(ROOT, 'packages', p, 'README.md'))
  .filter(existsSync);

/** GPU examples need a WebGPU adapter: without one (and without SCIML_REQUIRE_GPU=1) they are skipped. */
const requireGpu = process.env.SCIML_REQUIRE_GPU === '1';

describe('the comparison of printed output with README text', () => {
  it('matches numbers to the digits the README shows and text exactly', () => {
    expect(mismatch('0.906', '0.9057')).toBeUndefined();
    expect(mismatch('≈ 0.906', '0.884')).toMatch(/0\.884 where the README states 0\.906/);
    expect(mismatch('[3, 12]', '[3, 12]')).toBeUndefined();
    expect(mismatch('[3, 12]', '[3, 12.5]')).toBeDefined();
    expect(mismatch('true [2.01, 0.5]', 'true [2.0149, 0.4951]')).toBeUndefined();
    expect(mismatch("x' = −10.000 x", "x' = -10.000 x")).toBeUndefined();
    expect(mismatch("x' = -10.000 x", "x' = -10.000 x + 0.073")).toBeDefined();
    expect(mismatch('[1, 2, ...', '[1, 2, 3, 4]')).toBeUndefined();
  });
});

describe('extracting README modules', () => {
  const md = [
    '# title', // 1
    '```sh', // 2
    'pnpm test', // 3
    '```', // 4
    '```ts', // 5
    "import { a } from 'x';", // 6
    'a(); // → 1', // 7
    '```', // 8
    'text', // 9
    '```ts', // 10
    'console.log(a, 2); // → 1 2', // 11
    '```', // 12
    '```js', // 13
    "import { b } from 'y';", // 14
    'const v = b(); // → [1, 2]', // 15
    '```', // 16
  ].join('\n');

  it('runs ts/js blocks only, and a block without imports continues the one before', () => {
    const mods = readmeModules(md);
    expect(mods.map((m) => [m.line, m.blocks.map((b) => b.line)])).toEqual([
      [6, [6, 11]],
      [14, [14]],
    ]);
  });

  it('keeps README line numbers and turns `// →` lines into checks', () => {
    const lines = moduleSource(readmeModules(md)[0]!, '/rt.ts', 'README.md').split('\n');
    expect(lines[6]).toBe('__readme.value(7, "1", (a()));');
    expect(lines[10]).toBe('__readme.log(11, "1 2", a, 2);');
    const second = moduleSource(readmeModules(md)[1]!, '/rt.ts', 'README.md').split('\n');
    expect(second[14]).toBe('const v = __readme.value(15, "[1, 2]", (b()));');
  });
});

for (const readme of readmes) {
  const pkg = readme.split('/').at(-2)!;
  const modules = readmeModules(readFileSync(readme, 'utf8'));
  describe(`packages/${pkg}/README.md`, () => {
    if (modules.length === 0) it.skip('has no TypeScript blocks', () => {});
    modules.forEach((mod, n) => {
      const usesGpu = mod.blocks.some((b) => b.code.includes('@sciml/gpu'));
      it(`example at line ${mod.line} runs and prints what the README states`, async () => {
        // a fresh working directory: examples that write files ('u.npy', a report) leave nothing behind
        const cwd = process.cwd();
        const scratch = mkdtempSync(join(tmpdir(), `sciml-readme-${pkg}-`));
        process.chdir(scratch);
        try {
          await import(/* @vite-ignore */ `${readme}.module-${n}.ts`);
        } catch (e) {
          if (usesGpu && !requireGpu && /adapter|webgpu|vulkan/i.test(String(e))) {
            console.warn(`skipped packages/${pkg}/README.md:${mod.line}: no WebGPU adapter (${e})`);
            return;
          }
          throw e;
        } finally {
          process.chdir(cwd);
          rmSync(scratch, { recursive: true, force: true });
        }
      }, 120_000);
    });
  });
}
