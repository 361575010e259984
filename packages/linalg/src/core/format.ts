/**
 * NumPy-style text for arrays (`repr` of `numpy.ndarray`): one number format per array, columns aligned, the
 * middle of long axes elided with `...` once an array has more than `threshold` elements (NumPy's
 * `printoptions`: threshold 1000, edgeitems 3, linewidth 75, precision 8).
 */
import type { DType } from './dtype.js';

/** How `formatValues` lays out an array. */
export interface FormatOptions {
  /** Total size above which long axes are elided (NumPy: 1000). */
  readonly threshold?: number;
  /** Items kept at each end of an elided axis (NumPy: 3). */
  readonly edgeItems?: number;
  /** Significant digits after the point, at most (NumPy: 8). */
  readonly precision?: number;
  /** Characters per line before a row wraps (NumPy: 75). */
  readonly lineWidth?: number;
}

const DEFAULTS: Required<FormatOptions> = {
  threshold: 1000,
  edgeItems: 3,
  precision: 8,
  lineWidth: 75,
};

/** Index lists per axis: every index, or the first and last `edge` with `-1` marking the elision. */
function shownIndices(shape: readonly number[], elide: boolean, edge: number): number[][] {
  return shape.map((d) => {
    if (!elide || d <= 2 * edge) return Array.from({ length: d }, (_, i) => i);
    return [
      ...Array.from({ length: edge }, (_, i) => i),
      -1,
      ...Array.from({ length: edge }, (_, i) => d - edge + i),
    ];
  });
}

/** One formatter for every shown value of a float array, as NumPy chooses it (fixed or scientific). */
function floatFormatter(values: readonly number[], precision: number): (v: number) => string {
  const finite = values.filter(Number.isFinite);
  const special = (v: number) => (Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf');
  if (finite.length === 0) return special;
  const abs = finite.map(Math.abs).filter((v) => v > 0);
  const max = abs.length ? Math.max(...abs) : 0;
  const min = abs.length ? Math.min(...abs) : 0;
  if (max >= 1e8 || (min > 0 && min < 1e-4) || (min > 0 && max / min > 1e3 && min < 1e-3)) {
    // scientific: the fewest mantissa digits (≤ precision) that show every value exactly as rounded
    let digits = 0;
    for (const v of finite) {
      const m = v.toExponential(precision).split('e')[0]!.replace(/0+$/, '');
      digits = Math.max(digits, m.includes('.') ? m.length - m.indexOf('.') - 1 : 0);
    }
    return (v) => {
      if (!Number.isFinite(v)) return special(v);
      const [m, e] = v.toExponential(digits).split('e') as [string, string];
      const sign = e.startsWith('-') ? '-' : '+';
      const exp = e.replace(/^[+-]/, '').padStart(2, '0');
      return `${digits === 0 ? `${m}.` : m}e${sign}${exp}`;
    };
  }
  let digits = 0;
  for (const v of finite) {
    const f = v.toFixed(precision).replace(/0+$/, '');
    digits = Math.max(digits, f.length - f.indexOf('.') - 1);
  }
  return (v) => {
    if (!Number.isFinite(v)) return special(v);
    const s = v.toFixed(digits);
    return digits === 0 ? `${s}.` : s;
  };
}

/**
 * The values of a row-major array as NumPy prints them inside `array(...)`: nested brackets, aligned columns,
 * `...` for elided items, rows wrapped at the line width. `indent` is the column where the outermost `[`
 * sits (continuation lines line up under it).
 */
export function formatValues(
  flat: ArrayLike<number>,
  shape: readonly number[],
  dtype: DType,
  indent = 0,
  options: FormatOptions = {},
): string {
  const o = { ...DEFAULTS, ...options };
  if (dtype === 'complex128' || dtype === 'complex64') return formatComplex(flat, shape, indent, o);
  const size = shape.reduce((a, b) => a * b, 1);
  const elide = size > o.threshold;
  const shown = shownIndices(shape, elide, o.edgeItems);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));

  // gather the values that are printed, to choose one format and one width for all of them
  const sample: number[] = [];
  const visit = (axis: number, offset: number): void => {
    if (axis === shape.length) {
      sample.push(flat[offset]!);
      return;
    }
    for (const i of shown[axis]!) if (i >= 0) visit(axis + 1, offset + i * strides[axis]!);
  };
  if (size > 0) visit(0, 0);
  const fmt =
    dtype === 'bool'
      ? (v: number) => (v !== 0 ? 'true' : 'false')
      : dtype === 'int32'
        ? (v: number) => String(v)
        : floatFormatter(sample, o.precision);
  const width = sample.reduce((w, v) => Math.max(w, fmt(v).length), 0);
  const cell = (v: number) => fmt(v).padStart(width);

  if (shape.length === 0) return fmt(flat[0]!);
  const render = (axis: number, offset: number, col: number): string => {
    if (shape[axis] === 0) return '[]';
    const last = axis === shape.length - 1;
    if (last) {
      const items = shown[axis]!.map((i) =>
        i < 0 ? '...' : cell(flat[offset + i * strides[axis]!]!),
      );
      // wrap like NumPy: a new line (indented past the bracket) when the next item would pass the width
      const lines: string[] = [];
      let line = '';
      for (const [k, item] of items.entries()) {
        const piece = k < items.length - 1 ? `${item},` : item;
        if (line && col + 1 + line.length + 1 + piece.length > o.lineWidth) {
          lines.push(line);
          line = piece;
        } else {
          line = line ? `${line} ${piece}` : piece;
        }
      }
      lines.push(line);
      return `[${lines.join(`\n${' '.repeat(col + 1)}`)}]`;
    }
    const gap = '\n'.repeat(shape.length - axis - 1);
    const parts = shown[axis]!.map((i) =>
      i < 0 ? '...' : render(axis + 1, offset + i * strides[axis]!, col + 1),
    );
    return `[${parts.join(`,${gap}${' '.repeat(col + 1)}`)}]`;
  };
  return render(0, 0, indent);
}

/** Complex values as NumPy prints them, `1.+2.j`, each part in the float format of all parts shown. */
function formatComplex(
  flat: ArrayLike<number>,
  shape: readonly number[],
  indent: number,
  o: Required<FormatOptions>,
): string {
  const size = shape.reduce((a, b) => a * b, 1);
  const elide = size > o.threshold;
  const shown = shownIndices(shape, elide, o.edgeItems);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const sample: number[] = [];
  const visit = (axis: number, offset: number): void => {
    if (axis === shape.length) {
      sample.push(flat[2 * offset]!, Math.abs(flat[2 * offset + 1]!));
      return;
    }
    for (const i of shown[axis]!) if (i >= 0) visit(axis + 1, offset + i * strides[axis]!);
  };
  if (size > 0) visit(0, 0);
  const fmt = floatFormatter(sample, o.precision);
  const cell = (offset: number): string => {
    const im = flat[2 * offset + 1]!;
    const sign = im < 0 || Object.is(im, -0) ? '-' : '+';
    return `${fmt(flat[2 * offset]!)}${sign}${fmt(Math.abs(im)).trim()}j`;
  };
  const render = (axis: number, offset: number, col: number): string => {
    if (axis === shape.length) return cell(offset);
    if (shape[axis] === 0) return '[]';
    const sep =
      axis === shape.length - 1
        ? ', '
        : `,${'\n'.repeat(shape.length - axis - 1)}${' '.repeat(col + 1)}`;
    const parts = shown[axis]!.map((i) =>
      i < 0 ? '...' : render(axis + 1, offset + i * strides[axis]!, col + 1),
    );
    return `[${parts.join(sep)}]`;
  };
  return render(0, 0, indent);
}
