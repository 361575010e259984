// Aggregation for the report: a metric averaged over every parameter but the plotted ones (seeds of an
// ensemble, say), cell by cell.
import { ValueError } from '@sciml/linalg';
import type { ParamValue } from '../design/params.js';
import type { IndexRow } from '../store/index-file.js';

/** One cell of an aggregated metric: mean, extremes and count of its finite values. */
export interface Cell {
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  readonly count: number;
}

/** Sorted distinct values of a parameter among the rows (numbers numerically, others as text). */
export function axisValues(rows: readonly IndexRow[], name: string): ParamValue[] {
  const values = [
    ...new Set(rows.map((r) => r.params[name]).filter((v) => v !== undefined)),
  ] as ParamValue[];
  return values.sort((a, b) =>
    typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b)),
  );
}

/** Numeric metrics present in the done rows. */
export function numericMetrics(rows: readonly IndexRow[]): string[] {
  return [
    ...new Set(
      rows.flatMap((r) => Object.keys(r.metrics).filter((k) => typeof r.metrics[k] === 'number')),
    ),
  ];
}

/** Parameters with more than one value: the axes worth plotting (the seed last). */
export function sweptParams(rows: readonly IndexRow[]): string[] {
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.params)))];
  return names
    .filter((n) => axisValues(rows, n).length > 1)
    .sort((a, b) => Number(a === 'seed') - Number(b === 'seed'));
}

/** The metric aggregated on the grid of `axes`' values: a map from the JSON of the axis values to a cell. */
export function aggregate(
  rows: readonly IndexRow[],
  axes: readonly string[],
  metric: string,
): Map<string, Cell> {
  const groups = new Map<string, number[]>();
  for (const r of rows) {
    const v = r.metrics[metric];
    if (r.status !== 'done' || typeof v !== 'number' || !Number.isFinite(v)) continue;
    const key = JSON.stringify(axes.map((a) => r.params[a]));
    const list = groups.get(key) ?? [];
    list.push(v);
    groups.set(key, list);
  }
  const out = new Map<string, Cell>();
  for (const [key, values] of groups) {
    out.set(key, {
      mean: values.reduce((s, v) => s + v, 0) / values.length,
      min: Math.min(...values),
      max: Math.max(...values),
      count: values.length,
    });
  }
  return out;
}

/** Checks that a named parameter or metric exists. */
export function checkName(kind: string, name: string, known: readonly string[]): void {
  if (!known.includes(name)) {
    throw new ValueError(
      'writeReport',
      `no ${kind} '${name}' in the sweep; known: ${known.join(', ') || 'none'}`,
    );
  }
}
