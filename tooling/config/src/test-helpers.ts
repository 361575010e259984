/**
 * Test helpers shared by the @sciml packages' vitest suites.
 *
 * GPU suites: the README's test command runs them everywhere. On a machine without a WebGPU
 * adapter they are skipped with a printed reason, unless `SCIML_REQUIRE_GPU=1` (CI, which
 * installs Mesa's software Vulkan) makes a missing adapter a failure. This module never imports
 * `webgpu`: the GPU package passes its own probe.
 */

import { describe, it } from 'vitest';

/** `require`: a missing GPU fails the suite. `optional`: it skips the suite with a reason. */
export type GpuTestMode = 'require' | 'optional';

/** `require` when `SCIML_REQUIRE_GPU` is `1` or `true`, else `optional`. */
export function gpuTestMode(env: Record<string, string | undefined> = process.env): GpuTestMode {
  const flag = env.SCIML_REQUIRE_GPU?.trim().toLowerCase();
  return flag === '1' || flag === 'true' ? 'require' : 'optional';
}

/** What a probe's answer means for a suite. */
export type GpuOutcome<T> =
  | { readonly status: 'ready'; readonly ctx: T }
  | { readonly status: 'skip'; readonly reason: string }
  | { readonly status: 'fail'; readonly reason: string };

/** Options of {@link resolveGpu} and {@link describeWithGpu}. */
export interface GpuProbeOptions {
  /** Mode; default {@link gpuTestMode}() from the environment. */
  readonly mode?: GpuTestMode;
  /** A probe that has not answered after this long counts as "no adapter" (default 30 000 ms). */
  readonly timeoutMs?: number;
}

const HOW_TO_GET_ONE =
  'Install a Vulkan driver (Debian: apt-get install -t bookworm-backports mesa-vulkan-drivers ' +
  'libvulkan1, as .ci/run does) or run on a machine with a GPU.';

/**
 * Runs a probe and decides: its context when it found an adapter; otherwise `fail` in
 * `require` mode and `skip` in `optional` mode, with the reason (a probe that throws or times
 * out counts as finding none, and its error is part of the reason).
 */
export async function resolveGpu<T>(
  probe: () => Promise<T | undefined>,
  options: GpuProbeOptions = {},
): Promise<GpuOutcome<T>> {
  const mode = options.mode ?? gpuTestMode();
  const timeoutMs = options.timeoutMs ?? 30_000;
  let why: string;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the probe did not answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    const ctx = await Promise.race([probe(), timeout]);
    if (ctx !== undefined && ctx !== null) return { status: 'ready', ctx };
    why = 'no WebGPU adapter found';
  } catch (error) {
    why = `no WebGPU adapter: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    clearTimeout(timer);
  }
  if (mode === 'require') {
    return {
      status: 'fail',
      reason: `${why}, and SCIML_REQUIRE_GPU=1 requires one. ${HOW_TO_GET_ONE}`,
    };
  }
  return { status: 'skip', reason: `${why} (set SCIML_REQUIRE_GPU=1 to make this a failure)` };
}

const warned = new Set<string>();

/** Prints one warning per reason per test file, however many suites skip for it. */
function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  console.warn(message);
}

/**
 * A vitest `describe` whose tests need a GPU. `probe` looks for an adapter and returns the
 * suite's context (device, backend, ...) or `undefined`; `fn` registers the tests and reads the
 * context through `getCtx()` inside tests and hooks. With no adapter the suite is skipped with a
 * printed reason, or — when `SCIML_REQUIRE_GPU=1` — fails with a test that says why.
 *
 * @example
 * describeWithGpu('matmul on WebGPU', probeGpuBackend, (gpu) => {
 *   it('matches the CPU', async () => { expect(await gpu().matmul(a, b).data()).toEqual(...) });
 * });
 */
export function describeWithGpu<T>(
  name: string,
  probe: () => Promise<T | undefined>,
  fn: (getCtx: () => T) => void,
  options: GpuProbeOptions = {},
): void {
  describe(name, async () => {
    const outcome = await resolveGpu(probe, options);
    if (outcome.status === 'ready') {
      fn(() => outcome.ctx);
      return;
    }
    if (outcome.status === 'fail') {
      it('has a WebGPU adapter (SCIML_REQUIRE_GPU=1)', () => {
        throw new Error(`${name}: ${outcome.reason}`);
      });
      return;
    }
    warnOnce(`[sciml] GPU tests skipped: ${outcome.reason}`);
    // The tests still register, as skipped, so the summary shows how many did not run.
    describe.skip(`skipped: ${outcome.reason}`, () => {
      fn(() => {
        throw new Error(`${name}: no GPU context, the suite is skipped (${outcome.reason})`);
      });
    });
  });
}

export { describeBadInput, describeBadInputs } from './bad-input.js';
export { collectGarbage, fullGc } from './gc.js';
export type { BadInputCase, BadInputRow } from './bad-input.js';
