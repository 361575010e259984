// The end-of-sweep summary: counts, then a table of jobs with their parameters and metrics (failed jobs with
// their errors), aligned for a terminal.
import type { IndexRow, SweepIndex } from '../store/index-file.js';
import { formatDuration } from './progress.js';

function cell(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'number')
    return Number.isInteger(value) ? String(value) : value.toPrecision(4);
  return String(value);
}

/** Aligns rows of cells under a header. */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => (r[j] ?? '').length)));
  const line = (r: readonly string[]): string =>
    r
      .map((c, j) => c.padEnd(widths[j]!))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/**
 * A sweep's summary for a terminal: the counts, a table of up to `maxRows` jobs (parameters, status, metrics)
 * and every failed job's error.
 * @public
 */
export function formatSummary(
  index: SweepIndex,
  options: { readonly maxRows?: number; readonly elapsedMs?: number } = {},
): string {
  const maxRows = options.maxRows ?? 20;
  const rows = index.rows;
  const params = [...new Set(rows.flatMap((r) => Object.keys(r.params)))];
  const metrics = [...new Set(rows.flatMap((r) => Object.keys(r.metrics)))];
  const shown = rows.slice(0, maxRows);
  const table = formatTable(
    ['job', ...params, 'status', ...metrics],
    shown.map((r) => [
      r.jobId,
      ...params.map((p) => cell(r.params[p])),
      r.status,
      ...metrics.map((m) => cell(r.metrics[m])),
    ]),
  );
  const counts = `${rows.length} jobs: ${index.done} done, ${index.failed} failed, ${index.pending} pending${
    options.elapsedMs === undefined ? '' : `, in ${formatDuration(options.elapsedMs)}`
  } (${index.dir})`;
  const more = rows.length > maxRows ? `\n... ${rows.length - maxRows} more rows in index.csv` : '';
  const failed = rows.filter(
    (r): r is IndexRow & { error: NonNullable<IndexRow['error']> } => r.error !== undefined,
  );
  const errors =
    failed.length === 0
      ? ''
      : `\n\nfailed jobs:\n${failed
          .map(
            (r) =>
              `  ${r.jobId} ${JSON.stringify(r.params)} after ${r.attempts ?? '?'} attempt(s): ${r.error.name}: ${r.error.message}`,
          )
          .join('\n')}`;
  return `${counts}\n\n${table}${more}${errors}`;
}
