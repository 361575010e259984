/**
 * The playground page: a menu of demos, sliders, run/stop, progress and results. Work runs in a
 * Web Worker (src/worker.ts); plots are Vega-Lite specs rendered to SVG here.
 */
import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import { DEMOS, type BackendChoice, type Demo, type DemoResult, defaults } from './demos/index.js';
import type { KernelStatus, WorkerMessage } from './protocol.js';

/** What the page exposes for its end-to-end tests (and for the curious, in the console). */
interface PlaygroundState {
  kernels: KernelStatus | null;
  webgpu: string;
  running: boolean;
  last: { demo: string; result: DemoResult; ms: number; kernels: KernelStatus } | null;
  error: string | null;
}
const state: PlaygroundState = {
  kernels: null,
  webgpu: 'unknown',
  running: false,
  last: null,
  error: null,
};
(globalThis as { __playground?: PlaygroundState }).__playground = state;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const page = $<HTMLElement>('page');
const statusLine = $<HTMLSpanElement>('status');
const backendSelect = $<HTMLSelectElement>('backend');

let worker: Worker;
let runId = 0;
const listeners = new Map<number, (m: WorkerMessage) => void>();

function startWorker(): void {
  worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (e: MessageEvent<WorkerMessage>) => {
    const m = e.data;
    if (m.type === 'ready') {
      state.kernels = m.kernels;
      showStatus();
      return;
    }
    listeners.get(m.id)?.(m);
  };
}

function showStatus(): void {
  const k = state.kernels;
  const kernels = k
    ? `${k.wasm ? 'WebAssembly' : 'TypeScript'} kernels on ${k.threads} thread${k.threads > 1 ? 's' : ''}`
    : 'starting…';
  statusLine.textContent = `${kernels} · WebGPU: ${state.webgpu}`;
  const note = $<HTMLParagraphElement>('isolation-note');
  note.hidden = globalThis.crossOriginIsolated === true;
  note.textContent =
    'This page is not cross-origin isolated (it was served without the COOP/COEP headers), so there is no ' +
    'SharedArrayBuffer: the wasm kernels run on one thread. Serve it with ' +
    '"Cross-Origin-Opener-Policy: same-origin" and "Cross-Origin-Embedder-Policy: require-corp" to use every core.';
}

/** Asks the browser for a WebGPU adapter and says what it got. */
async function probeWebGpu(): Promise<void> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  const option = backendSelect.querySelector<HTMLOptionElement>('option[value="webgpu"]')!;
  if (!gpu) {
    state.webgpu = 'not offered (navigator.gpu is absent)';
  } else {
    try {
      const adapter = await gpu.requestAdapter();
      const info = adapter?.info;
      state.webgpu = adapter
        ? `${[info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ') || 'adapter'}`
        : 'no adapter (requestAdapter returned null)';
      option.disabled = !adapter;
    } catch (error) {
      state.webgpu = `requestAdapter failed: ${String(error)}`;
    }
  }
  if (!gpu) option.disabled = true;
  if (option.disabled) option.textContent = 'WebGPU (not available)';
  showStatus();
}

async function renderPlots(container: HTMLElement, specs: TopLevelSpec[]): Promise<void> {
  container.replaceChildren();
  for (const spec of specs) {
    const div = document.createElement('div');
    div.className = 'plot';
    container.append(div);
    const view = new vega.View(vega.parse(compile(spec).spec), {
      renderer: 'svg',
      container: div,
      hover: false,
    });
    await view.runAsync();
  }
}

function format(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? v.toFixed(6) : v.toExponential(4);
}

function showDemo(demo: Demo): void {
  for (const a of document.querySelectorAll('nav a'))
    a.classList.toggle('active', a.getAttribute('href') === `#${demo.id}`);
  const params = defaults(demo);
  page.innerHTML = `
    <h2>${demo.title}</h2>
    <p>${demo.about}</p>
    ${demo.usesBackend ? '' : '<p><small>Runs on the CPU (WebAssembly kernels); the backend switch applies to the WebGPU page.</small></p>'}
    <div class="params"></div>
    <div class="controls">
      <button id="run" data-testid="run">Run</button>
      <button id="stop" data-testid="stop" disabled>Stop</button>
      <progress id="progress" max="1" value="0"></progress>
      <span id="message" data-testid="message"></span>
    </div>
    <table class="numbers" data-testid="numbers"></table>
    <pre class="lines" data-testid="lines"></pre>
    <div class="plots" data-testid="plots"></div>`;
  const grid = page.querySelector<HTMLDivElement>('.params')!;
  for (const p of demo.params) {
    const label = document.createElement('label');
    label.textContent = p.label;
    const input = Object.assign(document.createElement('input'), {
      type: 'range',
      min: String(p.min),
      max: String(p.max),
      step: String(p.step),
      value: String(p.value),
    });
    input.dataset.param = p.name;
    const out = document.createElement('output');
    out.textContent = String(p.value);
    input.oninput = () => {
      params[p.name] = Number(input.value);
      out.textContent = input.value;
    };
    grid.append(label, input, out);
  }
  const runButton = $<HTMLButtonElement>('run');
  const stopButton = $<HTMLButtonElement>('stop');
  const bar = $<HTMLProgressElement>('progress');
  const message = $<HTMLSpanElement>('message');
  const plots = page.querySelector<HTMLDivElement>('.plots')!;
  const table = page.querySelector<HTMLTableElement>('table.numbers')!;
  const lines = page.querySelector<HTMLPreElement>('pre.lines')!;

  const finish = () => {
    state.running = false;
    runButton.disabled = false;
    stopButton.disabled = true;
  };
  stopButton.onclick = () => {
    // a demo is plain synchronous number crunching: stopping it means ending its worker
    worker.terminate();
    listeners.clear();
    startWorker();
    message.textContent = 'stopped';
    finish();
  };
  runButton.onclick = () => {
    const id = ++runId;
    state.running = true;
    state.error = null;
    runButton.disabled = true;
    stopButton.disabled = false;
    bar.value = 0;
    message.textContent = 'running…';
    page.dataset.done = 'false';
    listeners.set(id, async (m) => {
      if (m.type === 'progress') {
        bar.value = m.progress.fraction;
        if (m.progress.message) message.textContent = m.progress.message;
        if (m.progress.plots) await renderPlots(plots, m.progress.plots);
        return;
      }
      listeners.delete(id);
      if (m.type === 'error') {
        state.error = m.message;
        message.innerHTML = `<span class="error">${m.message}</span>`;
        finish();
        page.dataset.done = 'error';
        return;
      }
      if (m.type !== 'result') return;
      bar.value = 1;
      message.textContent = `done in ${(m.ms / 1000).toFixed(2)} s`;
      table.replaceChildren(
        ...Object.entries(m.result.numbers).map(([k, v]) => {
          const tr = document.createElement('tr');
          tr.innerHTML = `<td>${k}</td><td data-key="${k}" data-value="${v}">${format(v)}</td>`;
          return tr;
        }),
      );
      lines.textContent = m.result.lines.join('\n');
      await renderPlots(plots, m.result.plots);
      state.kernels = m.kernels;
      state.last = { demo: demo.id, result: m.result, ms: m.ms, kernels: m.kernels };
      showStatus();
      finish();
      page.dataset.done = 'true';
    });
    worker.postMessage({
      type: 'run',
      id,
      demo: demo.id,
      params: { ...params },
      backend: backendSelect.value as BackendChoice,
    });
  };
}

function route(): void {
  const id = location.hash.slice(1) || DEMOS[0]!.id;
  showDemo(DEMOS.find((d) => d.id === id) ?? DEMOS[0]!);
}

const nav = $<HTMLElement>('nav');
for (const d of DEMOS) {
  const a = Object.assign(document.createElement('a'), { href: `#${d.id}`, textContent: d.title });
  nav.append(a);
}
startWorker();
showStatus();
void probeWebGpu();
window.addEventListener('hashchange', route);
route();
