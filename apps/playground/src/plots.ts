/** Vega-Lite specs for the playground's plots (the same library as the Lorenz and PINN reports). */
import type { TopLevelSpec } from 'vega-lite';

type Row = Record<string, number | string>;

const base = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  width: 360,
  height: 240,
};

/** Lines of y against x, one colour per `series`. */
export function lineChart(
  title: string,
  rows: Row[],
  axes: { x: string; y: string; logY?: boolean; series?: string; order?: string },
): TopLevelSpec {
  return {
    ...base,
    title,
    data: { values: rows },
    mark: { type: 'line', clip: true },
    encoding: {
      x: { field: axes.x, type: 'quantitative' },
      y: {
        field: axes.y,
        type: 'quantitative',
        scale: axes.logY ? { type: 'log' } : { zero: false },
      },
      ...(axes.series ? { color: { field: axes.series, type: 'nominal' } } : {}),
      // a trajectory is drawn in time order, not sorted by x
      ...(axes.order ? { order: { field: axes.order, type: 'quantitative' } } : {}),
    },
  } as TopLevelSpec;
}

/** Points of y against x, one colour per `series`. */
export function scatter(
  title: string,
  rows: Row[],
  axes: { x: string; y: string; series?: string },
): TopLevelSpec {
  return {
    ...base,
    title,
    data: { values: rows },
    mark: { type: 'circle', size: 8, opacity: 0.6 },
    encoding: {
      x: { field: axes.x, type: 'quantitative', scale: { zero: false } },
      y: { field: axes.y, type: 'quantitative', scale: { zero: false } },
      ...(axes.series ? { color: { field: axes.series, type: 'nominal' } } : {}),
    },
  } as TopLevelSpec;
}

/** A grid of values (row-major, rows × cols) as a heatmap. */
export function heatmap(
  title: string,
  values: ArrayLike<number>,
  rows: number,
  cols: number,
  scheme = 'greys',
): TopLevelSpec {
  const data: Row[] = [];
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) data.push({ i, j, v: values[i * cols + j]! });
  return {
    $schema: base.$schema,
    title,
    width: 200,
    height: Math.round((200 * rows) / cols),
    data: { values: data },
    mark: 'rect',
    encoding: {
      x: { field: 'j', type: 'ordinal', axis: null },
      y: { field: 'i', type: 'ordinal', axis: null },
      color: { field: 'v', type: 'quantitative', scale: { scheme }, legend: null },
    },
  } as TopLevelSpec;
}

/** Optimiser paths over a contour (heatmap of log f) of a 2-D function. */
export function pathsOverContour(
  title: string,
  grid: { x: number; y: number; logf: number }[],
  paths: { method: string; x: number; y: number; k: number }[],
): TopLevelSpec {
  return {
    $schema: base.$schema,
    title,
    width: 420,
    height: 320,
    layer: [
      {
        data: { values: grid },
        mark: 'rect',
        encoding: {
          x: { field: 'x', type: 'quantitative', bin: { maxbins: 60 } },
          y: { field: 'y', type: 'quantitative', bin: { maxbins: 60 } },
          color: {
            aggregate: 'mean',
            field: 'logf',
            type: 'quantitative',
            scale: { scheme: 'greys' },
            legend: null,
          },
        },
      },
      {
        data: { values: paths },
        mark: { type: 'line', point: { size: 12 }, clip: true },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { field: 'y', type: 'quantitative' },
          order: { field: 'k', type: 'quantitative' },
          color: { field: 'method', type: 'nominal' },
        },
      },
    ],
  } as TopLevelSpec;
}
