/** The report's figures as Vega-Lite specs (pure data → spec; rendering is in render.ts). */
import type { TopLevelSpec } from 'vega-lite';
import type { BurgersResult } from './pipeline.js';

const CONFIG = {
  font: 'Helvetica, Arial, sans-serif',
  background: 'white',
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#eee' },
  legend: { labelFontSize: 11, titleFontSize: 12, orient: 'bottom' },
  title: { fontSize: 14, anchor: 'start' },
} as const;

/** Grid values as records {x, t, v}, every `stride`-th point in each direction. */
export function fieldRecords(
  r: Pick<BurgersResult, 'x' | 't'>,
  values: ArrayLike<number>,
  stride = 2,
): { x: number; t: number; v: number }[] {
  const out: { x: number; t: number; v: number }[] = [];
  const nt = r.t.length;
  for (let i = 0; i < r.x.length; i += stride)
    for (let j = 0; j < nt; j += stride)
      out.push({ x: r.x[i]!, t: r.t[j]!, v: values[i * nt + j]! });
  return out;
}

/** A heat map of a field u(t, x): time across, space up, as in Raissi et al.'s Fig. 1. */
export function heatmapSpec(
  r: Pick<BurgersResult, 'x' | 't'>,
  values: ArrayLike<number>,
  title: string,
  scheme: 'redblue' | 'viridis',
): TopLevelSpec {
  const dx = 2 * (r.x[1]! - r.x[0]!);
  const dt = 2 * (r.t[1]! - r.t[0]!);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    config: CONFIG,
    title,
    width: 560,
    height: 240,
    data: { values: fieldRecords(r, values) },
    transform: [
      { calculate: `datum.t + ${dt}`, as: 't2' },
      { calculate: `datum.x + ${dx}`, as: 'x2' },
    ],
    mark: 'rect',
    encoding: {
      x: { field: 't', type: 'quantitative', title: 't' },
      x2: { field: 't2' },
      y: { field: 'x', type: 'quantitative', title: 'x' },
      y2: { field: 'x2' },
      color: {
        field: 'v',
        type: 'quantitative',
        title: null,
        scale: scheme === 'redblue' ? { scheme, domainMid: 0, reverse: true } : { scheme },
      },
    },
  } as TopLevelSpec;
}

/** Slices u(x) at a few times: prediction (dashed) over the reference (solid). */
export function slicesSpec(r: BurgersResult, times: readonly number[]): TopLevelSpec {
  const nt = r.t.length;
  const rows: Record<string, number | string>[] = [];
  for (const time of times) {
    const j = Math.round(time * (nt - 1));
    for (let i = 0; i < r.x.length; i++) {
      const tl = `t = ${r.t[j]!.toFixed(2)}`;
      rows.push({
        x: r.x[i]!,
        u: r.reference[i * nt + j]!,
        source: 'Cole–Hopf reference',
        time: tl,
      });
      rows.push({ x: r.x[i]!, u: r.u[i * nt + j]!, source: 'PINN', time: tl });
    }
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    config: CONFIG,
    data: { values: rows },
    facet: { column: { field: 'time', type: 'nominal', title: null } },
    spec: {
      width: 200,
      height: 180,
      mark: { type: 'line', strokeWidth: 2 },
      encoding: {
        x: { field: 'x', type: 'quantitative' },
        y: { field: 'u', type: 'quantitative', title: 'u(x, t)' },
        color: {
          field: 'source',
          type: 'nominal',
          title: null,
          scale: { domain: ['Cole–Hopf reference', 'PINN'], range: ['#222222', '#e4572e'] },
        },
        strokeDash: {
          field: 'source',
          type: 'nominal',
          legend: null,
          scale: {
            domain: ['Cole–Hopf reference', 'PINN'],
            range: [
              [1, 0],
              [6, 3],
            ],
          },
        },
      },
    },
  } as TopLevelSpec;
}

/** Loss per term (unweighted mean squares) and the total, log scale, Adam then quasi-Newton on one axis. */
export function lossSpec(r: BurgersResult): TopLevelSpec {
  const adamSteps = r.config.adamSteps;
  const rows: Record<string, number | string>[] = [];
  for (const h of r.history) {
    const it = h.phase === 'adam' ? h.step : adamSteps + h.step;
    rows.push({ iteration: it, value: h.loss, term: 'total (weighted)' });
    for (const [k, v] of Object.entries(h.terms)) rows.push({ iteration: it, value: v, term: k });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    config: CONFIG,
    title: `Loss (Adam for ${adamSteps} steps, then self-scaled Broyden)`,
    width: 560,
    height: 220,
    data: { values: rows.filter((d) => (d.value as number) > 0) },
    mark: { type: 'line', point: false },
    encoding: {
      x: { field: 'iteration', type: 'quantitative' },
      y: { field: 'value', type: 'quantitative', scale: { type: 'log' }, title: 'loss' },
      color: { field: 'term', type: 'nominal', title: null },
    },
  } as TopLevelSpec;
}

/** Collocation points before and after RAD resampling. */
export function pointsSpec(r: BurgersResult): TopLevelSpec {
  const rows: Record<string, number | string>[] = [];
  const add = (p: Float64Array, label: string) => {
    for (let k = 0; k < p.length / 2; k++)
      rows.push({ x: p[2 * k]!, t: p[2 * k + 1]!, set: label });
  };
  add(r.pointsBefore, 'initial (Sobol)');
  add(r.pointsAfter, 'after RAD resampling');
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    config: CONFIG,
    data: { values: rows },
    facet: { column: { field: 'set', type: 'nominal', title: null, sort: ['initial (Sobol)'] } },
    spec: {
      width: 260,
      height: 200,
      mark: { type: 'point', size: 4, filled: true, opacity: 0.6 },
      encoding: {
        x: { field: 't', type: 'quantitative' },
        y: { field: 'x', type: 'quantitative' },
      },
    },
  } as TopLevelSpec;
}
