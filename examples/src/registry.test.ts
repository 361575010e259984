import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toSvg } from './lib/figure.js';
import { formatChecks } from './lib/table.js';
import { EXAMPLES } from './registry.js';

describe('the examples gallery', () => {
  it('has unique kebab-case names, each with a line in examples/README.md and a test file', () => {
    const names = EXAMPLES.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const e of EXAMPLES) {
      expect(e.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(readme).toContain(`\`${e.name}\``);
      expect(() => readFileSync(new URL(`./${e.name}.test.ts`, import.meta.url))).not.toThrow();
    }
  });

  it('prints measured, theory and gap columns (absolute where the theory is 0, blank where it has no number)', () => {
    const lines = formatChecks([
      { quantity: 'a', measured: 1.01, theory: 1 },
      { quantity: 'b', measured: 1e-14, theory: 0 },
      { quantity: 'c', measured: 2, theory: Number.NaN },
    ]);
    expect(lines[2]).toMatch(/1\.01000\s+1\.00000\s+1\.0e-2/);
    expect(lines[3]).toContain('1.0e-14 abs');
    expect(lines[4]).toContain('—');
  });

  it('renders a Vega-Lite figure to SVG in Node', async () => {
    const svg = await toSvg({
      data: {
        values: [
          { x: 1, y: 2 },
          { x: 2, y: 3 },
        ],
      },
      mark: 'line',
      encoding: {
        x: { field: 'x', type: 'quantitative' },
        y: { field: 'y', type: 'quantitative' },
      },
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('<path');
  });
});
