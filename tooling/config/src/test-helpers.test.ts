import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { gpuTestMode, resolveGpu } from './test-helpers.js';

describe('gpuTestMode', () => {
  it('requires a GPU when SCIML_REQUIRE_GPU is 1 or true', () => {
    expect(gpuTestMode({ SCIML_REQUIRE_GPU: '1' })).toBe('require');
    expect(gpuTestMode({ SCIML_REQUIRE_GPU: 'true' })).toBe('require');
    expect(gpuTestMode({ SCIML_REQUIRE_GPU: ' TRUE ' })).toBe('require');
  });

  it('makes the GPU optional otherwise', () => {
    expect(gpuTestMode({})).toBe('optional');
    expect(gpuTestMode({ SCIML_REQUIRE_GPU: '0' })).toBe('optional');
    expect(gpuTestMode({ SCIML_REQUIRE_GPU: '' })).toBe('optional');
  });
});

describe('resolveGpu', () => {
  it('hands over the context a probe found, in both modes', async () => {
    const ctx = { device: 'd' };
    for (const mode of ['optional', 'require'] as const) {
      expect(await resolveGpu(async () => ctx, { mode })).toEqual({ status: 'ready', ctx });
    }
  });

  it('skips with a reason when no adapter is optional', async () => {
    const out = await resolveGpu(async () => undefined, { mode: 'optional' });
    expect(out.status).toBe('skip');
    expect(out.status !== 'ready' && out.reason).toMatch(
      /no WebGPU adapter found.*SCIML_REQUIRE_GPU=1/,
    );
  });

  it('fails with a reason and a fix when an adapter is required', async () => {
    const out = await resolveGpu(async () => undefined, { mode: 'require' });
    expect(out.status).toBe('fail');
    expect(out.status !== 'ready' && out.reason).toMatch(/requires one.*mesa-vulkan-drivers/);
  });

  it('treats a probe that throws as no adapter and keeps its message', async () => {
    const out = await resolveGpu(
      async () => {
        throw new Error('vkCreateInstance failed');
      },
      { mode: 'require' },
    );
    expect(out).toMatchObject({ status: 'fail' });
    expect(out.status !== 'ready' && out.reason).toContain('vkCreateInstance failed');
  });

  it('treats a probe that never answers as no adapter', async () => {
    const out = await resolveGpu(() => new Promise<undefined>(() => {}), {
      mode: 'optional',
      timeoutMs: 20,
    });
    expect(out.status !== 'ready' && out.reason).toContain('did not answer within 20 ms');
  });
});

/** Runs the fixture suites in a nested vitest and returns its JSON report and stderr. */
function runFixtures(env: Record<string, string>) {
  const here = dirname(fileURLToPath(import.meta.url));
  const fixtures = join(here, '../test/fixtures');
  const vitestDir = dirname(createRequire(import.meta.url).resolve('vitest/package.json'));
  const outDir = mkdtempSync(join(tmpdir(), 'sciml-gpu-helper-'));
  tempDirs.push(outDir);
  const outputFile = join(outDir, 'report.json');
  // The outer run's VITEST_* variables would make the nested vitest think it is a worker.
  const cleanEnv = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('VITEST') && k !== 'SCIML_REQUIRE_GPU',
    ),
  );
  const r = spawnSync(
    process.execPath,
    [
      join(vitestDir, 'vitest.mjs'),
      'run',
      '--root',
      fixtures,
      '--config',
      join(fixtures, 'vitest.config.ts'),
      '--reporter=default',
      '--reporter=json',
      `--outputFile=${outputFile}`,
    ],
    { env: { ...cleanEnv, ...env }, encoding: 'utf8', timeout: 60_000 },
  );
  const report = JSON.parse(readFileSync(outputFile, 'utf8'));
  const tests: { fullName: string; status: string; failureMessages: string[] }[] =
    report.testResults.flatMap((f: { assertionResults: unknown[] }) => f.assertionResults);
  const byName = (part: string) => tests.filter((t) => t.fullName.includes(part));
  return { status: r.status, stderr: r.stderr, stdout: r.stdout, tests, byName };
}

const tempDirs: string[] = [];
afterAll(() => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

describe('describeWithGpu (observed in a nested vitest run)', () => {
  it('optional mode: runs suites that found an adapter and skips the others with a warning', () => {
    const run = runFixtures({});
    expect(run.status).toBe(0);
    expect(run.byName('with an adapter').map((t) => t.status)).toEqual(['passed']);
    expect(run.byName('without an adapter').map((t) => t.status)).toEqual(['skipped', 'skipped']);
    expect(run.byName('with a broken probe').map((t) => t.status)).toEqual(['skipped']);
    expect(run.stderr + run.stdout).toContain(
      '[sciml] GPU tests skipped: no WebGPU adapter found (set SCIML_REQUIRE_GPU=1',
    );
    expect(run.stderr + run.stdout).toContain('dawn.node failed to load');
  });

  it('require mode: a suite without an adapter fails with a test that says why', () => {
    const run = runFixtures({ SCIML_REQUIRE_GPU: '1' });
    expect(run.status).not.toBe(0);
    expect(run.byName('with an adapter').map((t) => t.status)).toEqual(['passed']);
    const missing = run.byName('without an adapter');
    expect(missing.map((t) => [t.fullName, t.status])).toEqual([
      ['without an adapter has a WebGPU adapter (SCIML_REQUIRE_GPU=1)', 'failed'],
    ]);
    expect(missing[0].failureMessages.join('\n')).toMatch(
      /without an adapter: no WebGPU adapter found, and SCIML_REQUIRE_GPU=1 requires one/,
    );
    expect(run.byName('with a broken probe')[0].failureMessages.join('\n')).toContain(
      'dawn.node failed to load',
    );
  });
});
