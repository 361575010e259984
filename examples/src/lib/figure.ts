/**
 * Figures: Vega-Lite specs (the plotting library of apps/lorenz-discovery), rendered to standalone SVG in Node by
 * Vega's headless view — no browser, no canvas.
 */
import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

/** Renders a Vega-Lite spec to an SVG document string. */
export async function toSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** One point of a named curve, the record shape every line chart here takes. */
export interface Point {
  x: number;
  y: number;
  series: string;
}

/** Options of {@link lineChart}. */
export interface LineChartOptions {
  title: string;
  xTitle: string;
  yTitle: string;
  /** Log-scaled axes. */
  logX?: boolean;
  logY?: boolean;
  /** Series drawn as points instead of lines (measurements against a theory line). */
  pointSeries?: string[];
  width?: number;
  height?: number;
}

/** A multi-series line chart of `points` (each series a colour); `pointSeries` are drawn as dots. */
export function lineChart(points: Point[], o: LineChartOptions) {
  const dots = new Set(o.pointSeries ?? []);
  const scale = (log?: boolean) => (log ? { type: 'log' as const } : { zero: false });
  const encoding = {
    x: { field: 'x', type: 'quantitative' as const, title: o.xTitle, scale: scale(o.logX) },
    y: { field: 'y', type: 'quantitative' as const, title: o.yTitle, scale: scale(o.logY) },
    color: { field: 'series', type: 'nominal' as const, title: null },
  };
  const clean = points.filter(
    (p) => Number.isFinite(p.x) && Number.isFinite(p.y) && (!o.logY || p.y > 0),
  );
  return {
    title: o.title,
    width: o.width ?? 360,
    height: o.height ?? 240,
    data: { values: clean },
    layer: [
      {
        transform: [{ filter: { not: { field: 'series', oneOf: [...dots] } } }],
        mark: { type: 'line' as const, strokeWidth: 1.8 },
        encoding,
      },
      {
        transform: [{ filter: { field: 'series', oneOf: [...dots] } }],
        mark: { type: 'point' as const, filled: true, size: 28 },
        encoding,
      },
    ],
  };
}

/** Points (xs[i], ys[i]) of one series. */
export function series(name: string, xs: ArrayLike<number>, ys: ArrayLike<number>): Point[] {
  return Array.from({ length: Math.min(xs.length, ys.length) }, (_, i) => ({
    x: xs[i]!,
    y: ys[i]!,
    series: name,
  }));
}

/** Panels side by side (wrapping after `columns`) as one figure. */
export function panels(
  title: string,
  charts: ReturnType<typeof lineChart>[] | object[],
  columns = 2,
): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    background: 'white',
    config: { font: 'Helvetica, Arial, sans-serif', legend: { orient: 'bottom', labelLimit: 400 } },
    concat: charts,
    columns,
    resolve: { scale: { color: 'independent' } },
  } as TopLevelSpec;
}
