// The HTML report: one self-contained page (inline SVG, no scripts, no network) with a heat map of a metric
// over two swept parameters, or a line plot over one, averaged over the rest (e.g. the seeds), then the
// summary table and the failures.
import { writeFileAtomic } from '../store/atomic.js';
import { type SweepIndex, buildIndex } from '../store/index-file.js';
import { SweepLayout } from '../store/layout.js';
import {
  type Cell,
  aggregate,
  axisValues,
  checkName,
  numericMetrics,
  sweptParams,
} from './aggregate.js';
import { formatSummary } from './summary.js';

/**
 * Options of {@link renderReport} and {@link writeReport}.
 * @public
 */
export interface ReportOptions {
  /** The metric to plot (default: the first numeric metric). */
  readonly metric?: string;
  /** Parameter on the horizontal axis (default: the first swept parameter). */
  readonly x?: string;
  /** Parameter on the vertical axis of a heat map (default: the second swept parameter that is not the seed; none gives a line plot). */
  readonly y?: string;
  /** Page title (default: the sweep folder). */
  readonly title?: string;
}

const escapeHtml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const fmt = (v: unknown): string =>
  typeof v === 'number' && !Number.isInteger(v) ? v.toPrecision(3) : String(v);

/** Viridis-like colour ramp (5 stops, linear in between) for t in [0, 1]. */
function colour(t: number): string {
  const stops = [
    [68, 1, 84],
    [59, 82, 139],
    [33, 145, 140],
    [94, 201, 98],
    [253, 231, 37],
  ];
  const x = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const c = stops[i]!.map((a, k) => Math.round(a + f * (stops[i + 1]![k]! - a)));
  return `rgb(${c.join(',')})`;
}

function heatMap(index: SweepIndex, x: string, y: string, metric: string): string {
  const xs = axisValues(index.rows, x);
  const ys = axisValues(index.rows, y);
  const cells = aggregate(index.rows, [x, y], metric);
  const means = [...cells.values()].map((c) => c.mean);
  const lo = Math.min(...means);
  const hi = Math.max(...means);
  const cw = Math.max(40, Math.min(90, 640 / xs.length));
  const ch = Math.max(24, Math.min(60, 420 / ys.length));
  const left = 90;
  const top = 20;
  const parts: string[] = [];
  ys.forEach((yv, j) => {
    // the first y value at the bottom, as on a plot
    const py = top + (ys.length - 1 - j) * ch;
    parts.push(
      `<text x="${left - 6}" y="${py + ch / 2 + 4}" text-anchor="end">${escapeHtml(fmt(yv))}</text>`,
    );
    xs.forEach((xv, i) => {
      const cell: Cell | undefined = cells.get(JSON.stringify([xv, yv]));
      const px = left + i * cw;
      const fill = cell ? colour(hi > lo ? (cell.mean - lo) / (hi - lo) : 0.5) : '#ddd';
      const label = cell ? fmt(cell.mean) : '–';
      const tip = cell
        ? `${x}=${fmt(xv)}, ${y}=${fmt(yv)}: mean ${cell.mean} (min ${cell.min}, max ${cell.max}, n=${cell.count})`
        : 'no result';
      parts.push(
        `<rect x="${px}" y="${py}" width="${cw - 1}" height="${ch - 1}" fill="${fill}"><title>${escapeHtml(tip)}</title></rect>`,
        `<text x="${px + cw / 2}" y="${py + ch / 2 + 4}" text-anchor="middle" class="cell">${escapeHtml(label)}</text>`,
      );
    });
  });
  const bottom = top + ys.length * ch;
  xs.forEach((xv, i) => {
    parts.push(
      `<text x="${left + i * cw + cw / 2}" y="${bottom + 16}" text-anchor="middle">${escapeHtml(fmt(xv))}</text>`,
    );
  });
  parts.push(
    `<text x="${left + (xs.length * cw) / 2}" y="${bottom + 36}" text-anchor="middle" class="axis">${escapeHtml(x)}</text>`,
  );
  parts.push(
    `<text x="14" y="${top + (ys.length * ch) / 2}" transform="rotate(-90 14 ${top + (ys.length * ch) / 2})" text-anchor="middle" class="axis">${escapeHtml(y)}</text>`,
  );
  const width = left + xs.length * cw + 20;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${bottom + 48}" role="img" aria-label="heat map of ${escapeHtml(metric)}">${parts.join('')}</svg>`;
}

function linePlot(index: SweepIndex, x: string, metric: string): string {
  const xs = axisValues(index.rows, x);
  const cells = aggregate(index.rows, [x], metric);
  const points = xs
    .map((xv, i) => ({ i, xv, cell: cells.get(JSON.stringify([xv])) }))
    .filter((p) => p.cell);
  const values = points.flatMap((p) => [p.cell!.min, p.cell!.max]);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const [w, h, left, top] = [640, 320, 70, 20];
  const px = (i: number): number => left + (xs.length === 1 ? w / 2 : (i / (xs.length - 1)) * w);
  const py = (v: number): number => top + h - (hi > lo ? ((v - lo) / (hi - lo)) * h : h / 2);
  const parts: string[] = [
    `<rect x="${left}" y="${top}" width="${w}" height="${h}" fill="none" stroke="#999"/>`,
    `<polyline fill="none" stroke="#3b528b" stroke-width="2" points="${points.map((p) => `${px(p.i)},${py(p.cell!.mean)}`).join(' ')}"/>`,
  ];
  for (const p of points) {
    const c = p.cell!;
    parts.push(
      `<line x1="${px(p.i)}" x2="${px(p.i)}" y1="${py(c.min)}" y2="${py(c.max)}" stroke="#21918c"/>`,
      `<circle cx="${px(p.i)}" cy="${py(c.mean)}" r="4" fill="#3b528b"><title>${escapeHtml(`${x}=${fmt(p.xv)}: mean ${c.mean} (min ${c.min}, max ${c.max}, n=${c.count})`)}</title></circle>`,
    );
  }
  xs.forEach((xv, i) => {
    parts.push(
      `<text x="${px(i)}" y="${top + h + 16}" text-anchor="middle">${escapeHtml(fmt(xv))}</text>`,
    );
  });
  for (const v of [lo, (lo + hi) / 2, hi])
    parts.push(
      `<text x="${left - 6}" y="${py(v) + 4}" text-anchor="end">${escapeHtml(fmt(v))}</text>`,
    );
  parts.push(
    `<text x="${left + w / 2}" y="${top + h + 36}" text-anchor="middle" class="axis">${escapeHtml(x)}</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${left + w + 20}" height="${top + h + 48}" role="img" aria-label="line plot of ${escapeHtml(metric)}">${parts.join('')}</svg>`;
}

/**
 * The report page for a sweep's index: a heat map (two swept parameters) or a line plot with min–max bars
 * (one) of a metric's mean over the other parameters, the summary table and the failures.
 * @public
 */
export function renderReport(index: SweepIndex, options: ReportOptions = {}): string {
  const metrics = numericMetrics(index.rows);
  const swept = sweptParams(index.rows);
  const params = [...new Set(index.rows.flatMap((r) => Object.keys(r.params)))];
  const metric = options.metric ?? metrics[0];
  if (options.metric !== undefined) checkName('metric', options.metric, metrics);
  if (options.x !== undefined) checkName('parameter', options.x, params);
  if (options.y !== undefined) checkName('parameter', options.y, params);
  const x = options.x ?? swept[0];
  const y = options.y ?? swept.find((p) => p !== x && p !== 'seed');
  let figure = '<p>No numeric metric to plot.</p>';
  if (metric !== undefined && x !== undefined) {
    figure = y === undefined ? linePlot(index, x, metric) : heatMap(index, x, y, metric);
  }
  const title = options.title ?? `Sweep ${index.dir}`;
  const averaged = swept.filter((p) => p !== x && p !== y);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;color:#222}svg text{font-size:12px}svg text.cell{fill:#fff;font-size:11px}svg text.axis{font-weight:600}pre{background:#f6f6f6;padding:1em;overflow:auto}</style>
</head><body>
<h1>${escapeHtml(title)}</h1>
<p>${index.done} done, ${index.failed} failed, ${index.pending} pending of ${index.rows.length} jobs.</p>
<h2>${escapeHtml(metric ?? '')}${averaged.length > 0 ? ` (mean over ${escapeHtml(averaged.join(', '))})` : ''}</h2>
${figure}
<h2>Summary</h2>
<pre>${escapeHtml(formatSummary(index, { maxRows: 200 }))}</pre>
</body></html>
`;
}

/**
 * Rebuilds a sweep's index and writes its report to `<dir>/report.html`; returns the path.
 * @public
 */
export async function writeReport(dir: string, options: ReportOptions = {}): Promise<string> {
  const layout = new SweepLayout(dir);
  const index = await buildIndex(dir);
  await writeFileAtomic(layout.report, renderReport(index, options));
  return layout.report;
}
