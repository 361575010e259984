/** The report's figures as Vega-Lite specs (pure data → spec; rendering is in render.ts). */
import type { TopLevelSpec } from 'vega-lite';
import { type CoefficientRow, LYAPUNOV, VARIABLES } from './pipeline.js';

const FONT = 'Helvetica, Arial, sans-serif';
const CONFIG = {
  font: FONT,
  background: 'white',
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#eee' },
  legend: {
    labelFontSize: 11,
    titleFontSize: 12,
    orient: 'bottom',
    labelLimit: 400,
    titleLimit: 400,
  },
  header: { labelFontSize: 12, titleFontSize: 12 },
  title: { fontSize: 14, anchor: 'start' },
} as const;

const TRUE_COLOR = '#222222';
const MODEL_COLOR = '#e4572e';
const DATA_COLOR = '#2f5d8a';

/** Every `stride`-th row of an (m × 3) row-major array, as records with t. */
function records(
  t: ArrayLike<number>,
  x: Float64Array,
  stride: number,
  extra: Record<string, string>,
) {
  const out: Record<string, number | string>[] = [];
  for (let i = 0; i < t.length; i += stride) {
    out.push({ t: t[i]!, x: x[3 * i]!, y: x[3 * i + 1]!, z: x[3 * i + 2]!, ...extra });
  }
  return out;
}

/**
 * Attractor projections x–z, x–y, y–z: the noisy training samples as points and a long simulation of the
 * discovered model as a line — the model reproduces the butterfly.
 */
export function attractorSpec(
  train: { t: Float64Array; noisy: Float64Array },
  simulated: { t: Float64Array; x: Float64Array },
): TopLevelSpec {
  const data = [
    ...records(train.t, train.noisy, 8, { source: 'noisy training data' }),
    ...records(simulated.t, simulated.x, 1, { source: 'discovered model, simulated' }),
  ];
  const color = {
    field: 'source',
    type: 'nominal',
    title: null,
    scale: {
      domain: ['noisy training data', 'discovered model, simulated'],
      range: [DATA_COLOR, MODEL_COLOR],
    },
  } as const;
  const panel = (a: string, b: string) => ({
    width: 300,
    height: 260,
    // The model's long simulation underneath, the sparse noisy samples on top so both stay visible.
    layer: [
      {
        transform: [{ filter: "datum.source !== 'noisy training data'" }],
        mark: { type: 'line', strokeWidth: 0.6, opacity: 0.8 },
        encoding: {
          x: { field: a, type: 'quantitative', scale: { zero: false } },
          y: { field: b, type: 'quantitative', scale: { zero: false } },
          order: { field: 't', type: 'quantitative' },
          color,
        },
      },
      {
        transform: [{ filter: "datum.source === 'noisy training data'" }],
        mark: { type: 'circle', size: 7, opacity: 0.75 },
        encoding: {
          x: { field: a, type: 'quantitative' },
          y: { field: b, type: 'quantitative' },
          color,
        },
      },
    ],
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CONFIG,
    data: { values: data },
    hconcat: [panel('x', 'z'), panel('x', 'y'), panel('y', 'z')],
  } as TopLevelSpec;
}

/** x(t), y(t), z(t) of the true system and the discovered model from the same state, with the divergence time. */
export function trajectorySpec(test: {
  t: Float64Array;
  truth: Float64Array;
  discovered: Float64Array;
  divergenceTime: number;
}): TopLevelSpec {
  const values: Record<string, number | string>[] = [];
  // Every second sample (dt = 0.02) draws the curves smoothly at half the SVG size.
  for (let i = 0; i < test.t.length; i += 2) {
    VARIABLES.forEach((v, j) => {
      values.push({
        t: test.t[i]!,
        variable: v,
        value: test.truth[3 * i + j]!,
        source: 'true Lorenz-63',
      });
      values.push({
        t: test.t[i]!,
        variable: v,
        value: test.discovered[3 * i + j]!,
        source: 'discovered model',
      });
    });
  }
  const layers: unknown[] = [
    {
      mark: { type: 'line', strokeWidth: 1.4 },
      encoding: {
        x: { field: 't', type: 'quantitative', title: 'time' },
        y: { field: 'value', type: 'quantitative', title: null },
        color: {
          field: 'source',
          type: 'nominal',
          title: null,
          scale: {
            domain: ['true Lorenz-63', 'discovered model'],
            range: [TRUE_COLOR, MODEL_COLOR],
          },
        },
        strokeDash: {
          field: 'source',
          type: 'nominal',
          title: null,
          scale: {
            domain: ['true Lorenz-63', 'discovered model'],
            range: [
              [1, 0],
              [5, 3],
            ],
          },
        },
      },
    },
  ];
  if (Number.isFinite(test.divergenceTime)) {
    layers.push({
      mark: { type: 'rule', color: '#999', strokeDash: [2, 3] },
      encoding: { x: { datum: test.divergenceTime } },
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CONFIG,
    data: { values },
    facet: { row: { field: 'variable', type: 'nominal', title: null, sort: [...VARIABLES] } },
    spec: { width: 900, height: 130, layer: layers },
    resolve: { scale: { y: 'independent' } },
  } as TopLevelSpec;
}

/** Distance between the true and discovered states on a log scale, with the e^{λt} growth of chaos. */
export function errorGrowthSpec(test: { t: Float64Array; distance: Float64Array }): TopLevelSpec {
  const series = ['|x_true − x_model|', `e^(λt), λ = ${LYAPUNOV}`];
  const values: Record<string, number | string>[] = [];
  const anchor = test.t.findIndex((t) => t >= 1);
  const d0 = test.distance[anchor]! * Math.exp(-LYAPUNOV * test.t[anchor]!);
  for (let i = 1; i < test.t.length; i++) {
    const t = test.t[i]!;
    values.push({ t, value: Math.max(test.distance[i]!, 1e-12), series: series[0]! });
    const guide = d0 * Math.exp(LYAPUNOV * t);
    if (guide < 60) values.push({ t, value: guide, series: series[1]! });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CONFIG,
    width: 900,
    height: 200,
    data: { values },
    mark: { type: 'line', strokeWidth: 1.4 },
    encoding: {
      x: { field: 't', type: 'quantitative', title: 'time' },
      y: {
        field: 'value',
        type: 'quantitative',
        scale: { type: 'log' },
        title: 'state distance',
        axis: { values: [1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100], format: '.0e' },
      },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: { domain: series, range: [MODEL_COLOR, '#7a7a7a'] },
      },
      strokeDash: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: {
          domain: series,
          range: [
            [1, 0],
            [4, 4],
          ],
        },
      },
    },
  } as TopLevelSpec;
}

/** Grouped bars of every library coefficient, true and discovered, one panel per equation. */
export function coefficientSpec(
  rows: readonly CoefficientRow[],
  terms: readonly string[],
): TopLevelSpec {
  const values = rows.flatMap((r) => [
    { equation: r.equation, term: r.term, source: 'true', value: r.truth },
    { equation: r.equation, term: r.term, source: 'discovered', value: r.discovered },
  ]);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CONFIG,
    data: { values },
    facet: {
      column: {
        field: 'equation',
        type: 'nominal',
        title: null,
        sort: VARIABLES.map((v) => `${v}'`),
      },
    },
    spec: {
      width: 270,
      height: 220,
      mark: { type: 'bar' },
      encoding: {
        x: {
          field: 'term',
          type: 'nominal',
          sort: [...terms],
          title: null,
          axis: { labelAngle: -45 },
        },
        xOffset: { field: 'source', type: 'nominal', sort: ['true', 'discovered'] },
        y: { field: 'value', type: 'quantitative', title: 'coefficient' },
        color: {
          field: 'source',
          type: 'nominal',
          title: null,
          sort: ['true', 'discovered'],
          scale: { domain: ['true', 'discovered'], range: [TRUE_COLOR, MODEL_COLOR] },
        },
        tooltip: [{ field: 'term' }, { field: 'source' }, { field: 'value', format: '.4f' }],
      },
    },
  } as TopLevelSpec;
}

/** dx/dt over the first time unit: the truth, plain finite differences of the noisy data, Savitzky–Golay. */
export function derivativeSpec(
  t: Float64Array,
  truth: Float64Array,
  fd: Float64Array,
  sg: Float64Array,
  until: number,
): TopLevelSpec {
  const values: Record<string, number | string>[] = [];
  for (let i = 0; i < t.length && t[i]! - t[0]! <= until; i++) {
    const time = t[i]! - t[0]!;
    values.push({ t: time, value: fd[3 * i]!, method: 'finite differences (noisy data)' });
    values.push({ t: time, value: sg[3 * i]!, method: 'Savitzky–Golay (noisy data)' });
    values.push({ t: time, value: truth[3 * i]!, method: 'true dx/dt' });
  }
  const domain = ['finite differences (noisy data)', 'Savitzky–Golay (noisy data)', 'true dx/dt'];
  const color = {
    field: 'method',
    type: 'nominal',
    title: null,
    scale: { domain, range: ['#c9d3df', MODEL_COLOR, TRUE_COLOR] },
  };
  // One layer per method, drawn in domain order so the truth lies on top, each with its own stroke.
  const strokes = [
    { strokeWidth: 0.8 },
    { strokeWidth: 1.8 },
    { strokeWidth: 1.2, strokeDash: [4, 3] },
  ];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CONFIG,
    width: 900,
    height: 220,
    data: { values },
    layer: domain.map((method, k) => ({
      transform: [{ filter: { field: 'method', equal: method } }],
      mark: { type: 'line', ...strokes[k] },
      encoding: {
        x: { field: 't', type: 'quantitative', title: 'time' },
        y: { field: 'value', type: 'quantitative', title: 'dx/dt' },
        color,
      },
    })),
  } as TopLevelSpec;
}

/** Heat map of the ensemble's inclusion probabilities (fraction of bootstrap models keeping each term). */
export function inclusionSpec(
  rows: readonly CoefficientRow[],
  terms: readonly string[],
): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CONFIG,
    data: {
      values: rows.map((r) => ({ equation: r.equation, term: r.term, inclusion: r.inclusion })),
    },
    width: 600,
    height: 120,
    encoding: {
      x: { field: 'term', type: 'nominal', sort: [...terms], title: null, axis: { labelAngle: 0 } },
      y: { field: 'equation', type: 'nominal', title: null, sort: VARIABLES.map((v) => `${v}'`) },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 2 },
        encoding: {
          color: {
            field: 'inclusion',
            type: 'quantitative',
            title: 'inclusion probability',
            scale: { domain: [0, 1], scheme: 'oranges' },
          },
        },
      },
      {
        mark: { type: 'text', fontSize: 11 },
        encoding: {
          text: { field: 'inclusion', type: 'quantitative', format: '.2f' },
          color: { condition: { test: 'datum.inclusion > 0.5', value: 'white' }, value: '#333' },
        },
      },
    ],
  } as TopLevelSpec;
}

const EMULATOR_COLOR = '#2a9d8f';
const EMULATOR_SOURCES = ['true Lorenz-63', 'SINDy model', 'neural emulator'];

/** x, y, z of the truth, the SINDy model and the neural emulator from the same initial state. */
export function emulatorTrajectorySpec(test: {
  t: Float64Array;
  truth: Float64Array;
  discovered: Float64Array;
  emulator: Float64Array;
}): TopLevelSpec {
  const values: Record<string, number | string>[] = [];
  const series = [test.truth, test.discovered, test.emulator];
  for (let i = 0; i < test.t.length; i += 2) {
    VARIABLES.forEach((v, j) => {
      series.forEach((x, s) => {
        values.push({
          t: test.t[i]!,
          variable: v,
          value: x[3 * i + j]!,
          source: EMULATOR_SOURCES[s]!,
        });
      });
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CONFIG,
    data: { values },
    facet: { row: { field: 'variable', type: 'nominal', title: null, sort: [...VARIABLES] } },
    spec: {
      width: 900,
      height: 130,
      mark: { type: 'line', strokeWidth: 1.3 },
      encoding: {
        x: { field: 't', type: 'quantitative', title: 'time' },
        y: { field: 'value', type: 'quantitative', title: null },
        color: {
          field: 'source',
          type: 'nominal',
          title: null,
          scale: { domain: EMULATOR_SOURCES, range: [TRUE_COLOR, MODEL_COLOR, EMULATOR_COLOR] },
        },
        strokeDash: {
          field: 'source',
          type: 'nominal',
          title: null,
          scale: {
            domain: EMULATOR_SOURCES,
            range: [
              [1, 0],
              [5, 3],
              [2, 2],
            ],
          },
        },
      },
    },
    resolve: { scale: { y: 'independent' } },
  } as TopLevelSpec;
}

/**
 * Normalised error ‖u − ũ‖/⟨‖u‖²⟩^½ of the SINDy model and of the emulator against lead time in Lyapunov
 * times, log scale, with the 0.4 level that ends the valid prediction time.
 */
export function emulatorErrorSpec(test: {
  t: Float64Array;
  sindyError: Float64Array;
  emulatorError: Float64Array;
}): TopLevelSpec {
  const values: Record<string, number | string>[] = [];
  for (let i = 1; i < test.t.length; i++) {
    const lead = LYAPUNOV * test.t[i]!;
    values.push({ lead, value: Math.max(test.sindyError[i]!, 1e-9), source: 'SINDy model' });
    values.push({
      lead,
      value: Math.max(test.emulatorError[i]!, 1e-9),
      source: 'neural emulator',
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CONFIG,
    width: 900,
    height: 200,
    data: { values },
    layer: [
      {
        mark: { type: 'line', strokeWidth: 1.4 },
        encoding: {
          x: { field: 'lead', type: 'quantitative', title: 'lead time (Lyapunov times λt)' },
          y: {
            field: 'value',
            type: 'quantitative',
            scale: { type: 'log' },
            title: 'normalised error',
            axis: { format: '.0e' },
          },
          color: {
            field: 'source',
            type: 'nominal',
            title: null,
            scale: {
              domain: EMULATOR_SOURCES.slice(1),
              range: [MODEL_COLOR, EMULATOR_COLOR],
            },
          },
        },
      },
      {
        mark: { type: 'rule', color: '#999', strokeDash: [2, 3] },
        encoding: { y: { datum: 0.4 } },
      },
    ],
  } as TopLevelSpec;
}

/**
 * The ensemble forecast: mean ± 2 standard deviations of every network × perturbed initial state as a
 * band, with the ensemble mean and the truth, over the first `horizon` time units.
 */
export function ensembleSpec(
  test: { t: Float64Array; truth: Float64Array; mean: Float64Array; std: Float64Array },
  horizon: number,
): TopLevelSpec {
  const values: Record<string, number | string>[] = [];
  for (let i = 0; i < test.t.length && test.t[i]! <= horizon; i += 2) {
    VARIABLES.forEach((v, j) => {
      const k = 3 * i + j;
      values.push({
        t: test.t[i]!,
        variable: v,
        truth: test.truth[k]!,
        mean: test.mean[k]!,
        lo: test.mean[k]! - 2 * test.std[k]!,
        hi: test.mean[k]! + 2 * test.std[k]!,
      });
    });
  }
  const x = { field: 't', type: 'quantitative', title: 'time' } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CONFIG,
    data: { values },
    facet: { row: { field: 'variable', type: 'nominal', title: null, sort: [...VARIABLES] } },
    spec: {
      width: 900,
      height: 130,
      layer: [
        {
          mark: { type: 'area', color: EMULATOR_COLOR, opacity: 0.25 },
          encoding: {
            x,
            y: { field: 'lo', type: 'quantitative', title: null, scale: { zero: false } },
            y2: { field: 'hi' },
          },
        },
        {
          mark: { type: 'line', color: EMULATOR_COLOR, strokeWidth: 1.3 },
          encoding: { x, y: { field: 'mean', type: 'quantitative' } },
        },
        {
          mark: { type: 'line', color: TRUE_COLOR, strokeWidth: 1.3 },
          encoding: { x, y: { field: 'truth', type: 'quantitative' } },
        },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  } as TopLevelSpec;
}
