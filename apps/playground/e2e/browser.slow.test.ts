/**
 * The playground in a real browser: Debian's chromium driven by playwright-core. Every page loads
 * without console errors, runs its demo in the worker, renders SVG plots and shows the numbers the
 * same demo gives in Node; the wasm kernels' worker pool runs when the site is cross-origin
 * isolated and the page falls back to one thread, with a visible note, when it is not.
 * Screenshots go to apps/playground/test-artifacts/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMOS, defaults } from '../src/demos/index.js';
import { ISOLATION_HEADERS } from '../vite.config.js';
import { serveStatic } from './static-server.js';

const APP = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(APP, 'dist');
const ARTIFACTS = join(APP, 'test-artifacts');
const CHROMIUM = process.env.SCIML_CHROMIUM ?? '/usr/bin/chromium';
// CI installs Debian's chromium and requires it; elsewhere a missing browser skips with a reason
const REQUIRED = process.env.CI === 'true' || process.env.SCIML_REQUIRE_BROWSER === '1';
const HAVE_BROWSER = existsSync(CHROMIUM);
if (!HAVE_BROWSER && !REQUIRED)
  console.warn(
    `playground e2e skipped: no browser at ${CHROMIUM} (apt install chromium, or set SCIML_CHROMIUM)`,
  );

/** Flags for a root, headless, offline machine (background networking off), WebGPU requested on Vulkan. */
const FLAGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=native',
  '--use-angle=vulkan',
  '--disable-vulkan-surface',
];

describe.runIf(HAVE_BROWSER || REQUIRED)('playground in chromium', () => {
  let browser: Browser;
  let isolated: { url: string; close: () => Promise<void> };
  let plain: { url: string; close: () => Promise<void> };
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(DIST, 'index.html'))) {
      const { build } = await import('vite');
      await build({ root: APP, logLevel: 'warn' });
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    isolated = await serveStatic(DIST, ISOLATION_HEADERS);
    plain = await serveStatic(DIST, {});
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await isolated?.close();
    await plain?.close();
  });

  async function open(url: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1100 } });
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    await page.goto(url);
    await page.waitForFunction(
      () => (globalThis as { __playground?: { kernels: unknown } }).__playground?.kernels,
    );
    return page;
  }

  async function runDemo(page: Page, id: string): Promise<Record<string, number>> {
    await page.evaluate((h) => {
      location.hash = h;
    }, id);
    await page.waitForSelector(`nav a.active[href="#${id}"]`);
    await page.click('[data-testid=run]');
    await page.waitForFunction(
      () =>
        document.getElementById('page')?.dataset.done !== 'false' &&
        document.getElementById('page')?.dataset.done !== undefined,
      null,
      { timeout: 120_000 },
    );
    const done = await page.evaluate(() => document.getElementById('page')?.dataset.done);
    const error = await page.evaluate(
      () => (globalThis as { __playground?: { error: string | null } }).__playground?.error,
    );
    expect(error ?? null).toBeNull();
    expect(done).toBe('true');
    return page.evaluate(() =>
      Object.fromEntries(
        [...document.querySelectorAll<HTMLElement>('[data-key]')].map((td) => [
          td.dataset.key!,
          Number(td.dataset.value),
        ]),
      ),
    );
  }

  it('every page runs its demo, renders plots and shows the numbers Node computes', async () => {
    const page = await open(isolated.url);
    for (const demo of DEMOS) {
      const shown = await runDemo(page, demo.id);
      const node = await demo.run(defaults(demo), { backend: 'cpu', progress: () => {} });
      for (const [key, value] of Object.entries(node.numbers)) {
        if (!Number.isFinite(value)) continue;
        // same code, same seeds: equal up to the order of floating-point operations
        expect(shown[key], `${demo.id}: ${key}`).toBeCloseTo(value, Math.abs(value) > 100 ? 1 : 4);
      }
      if (node.plots.length > 0) {
        const marks = await page.$$eval(
          '[data-testid=plots] svg path, [data-testid=plots] svg circle',
          (e) => e.length,
        );
        expect(marks, `${demo.id} plots`).toBeGreaterThan(0);
      }
      await page.screenshot({ path: join(ARTIFACTS, `${demo.id}.png`), fullPage: true });
    }
    expect(consoleErrors).toEqual([]);
    await page.close();
  }, 600_000);

  it('cross-origin isolated: the wasm kernels spread a large product over a Web Worker pool', async () => {
    const page = await open(isolated.url);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await page.isHidden('#isolation-note')).toBe(true);
    const shown = await runDemo(page, 'gpu'); // a 256² product: above the parallel threshold
    expect(shown.cpuChecksum).toBeDefined();
    const kernels = await page.evaluate(
      () =>
        (
          globalThis as {
            __playground?: {
              last: { kernels: { threads: number; workerTasks: number; wasm: boolean } };
            };
          }
        ).__playground!.last.kernels,
    );
    expect(kernels.wasm).toBe(true);
    expect(kernels.threads).toBeGreaterThan(1);
    expect(kernels.workerTasks).toBeGreaterThan(0);
    await page.close();
  }, 180_000);

  it('without COOP/COEP: one thread, a visible note, and the same SINDy numbers', async () => {
    const page = await open(plain.url);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    expect(await page.isVisible('#isolation-note')).toBe(true);
    const shown = await runDemo(page, 'sindy');
    expect(shown.sigma).toBeCloseTo(10, 0);
    expect(shown.rho).toBeCloseTo(28, 0);
    const kernels = await page.evaluate(
      () =>
        (globalThis as { __playground?: { kernels: { threads: number; workerTasks: number } } })
          .__playground!.kernels,
    );
    expect(kernels.threads).toBe(1);
    expect(kernels.workerTasks).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'no-isolation.png'), fullPage: true });
    await page.close();
  }, 180_000);

  it('WebGPU: the matmul/elementwise results equal the CPU’s to float32 rounding, or the page says why not', async () => {
    const page = await open(isolated.url);
    await page.waitForFunction(
      () =>
        (globalThis as { __playground?: { webgpu: string } }).__playground?.webgpu !== 'unknown',
    );
    const webgpu = await page.evaluate(
      () => (globalThis as { __playground?: { webgpu: string } }).__playground!.webgpu,
    );
    const offered = await page.evaluate(
      () => !(document.querySelector('option[value=webgpu]') as HTMLOptionElement).disabled,
    );
    console.log(`playground e2e: WebGPU in chromium: ${webgpu}`);
    if (!offered) {
      // the reason is on the page (status line) and in the test output
      expect(webgpu).toMatch(/absent|no adapter|failed/);
      await page.close();
      return;
    }
    await page.selectOption('#backend', 'webgpu');
    const shown = await runDemo(page, 'gpu');
    expect(shown.gpu).toBe(1);
    expect(shown.productDiff).toBeLessThan(1e-4);
    expect(shown.chainDiff).toBeLessThan(1e-5);
    await page.screenshot({ path: join(ARTIFACTS, 'webgpu.png'), fullPage: true });
    await page.close();
  }, 180_000);
});
