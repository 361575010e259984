/** Prints an example's checks as an aligned table: quantity, measured, theory, relative gap, note. */
import { type Check, relativeGap } from './example.js';

function fmt(v: number): string {
  if (Number.isNaN(v)) return '—';
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e6 ? v.toPrecision(6) : v.toExponential(4);
}

/** Relative gap, or the absolute one (marked) where the theory's value is 0; blank where it gives none. */
function gap(c: Check): string {
  if (Number.isNaN(c.theory)) return '';
  if (c.theory === 0) return `${Math.abs(c.measured).toExponential(1)} abs`;
  return relativeGap(c.measured, c.theory).toExponential(1);
}

/** The checks as text lines (header first). */
export function formatChecks(checks: Check[]): string[] {
  const rows = checks.map((c) => [
    c.quantity,
    fmt(c.measured),
    fmt(c.theory),
    gap(c),
    c.note ?? '',
  ]);
  const head = ['quantity', 'measured', 'theory', 'gap', 'note'];
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
  const line = (r: string[]) =>
    r
      .map((cell, j) =>
        j === 1 || j === 2 || j === 3 ? cell.padStart(widths[j]!) : cell.padEnd(widths[j]!),
      )
      .join('  ')
      .trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}
