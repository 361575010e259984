import { describe, expect, it } from 'vitest';
import { coefficientSpec } from './charts.js';
import { DEFAULT_CONFIG, type DemoResult, trueEquations } from './pipeline.js';
import { renderSvg } from './render.js';
import { escapeHtml, renderReport } from './report.js';

describe('report', () => {
  it('renders a Vega-Lite chart to SVG in Node', async () => {
    const rows = [
      {
        equation: "x'",
        term: 'x',
        truth: -10,
        discovered: -9.9,
        relativeError: 0.01,
        inclusion: 1,
      },
      { equation: "x'", term: 'y', truth: 10, discovered: 10.1, relativeError: 0.01, inclusion: 1 },
    ];
    const svg = await renderSvg(coefficientSpec(rows, ['x', 'y']));
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('coefficient');
    expect((svg.match(/<path/g) ?? []).length).toBeGreaterThan(4);
  });

  it('escapes HTML', () => {
    expect(escapeHtml('<a href="x">&</a>')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;');
  });

  it('is one self-contained page: equations, table, inline figures, no scripts or external resources', () => {
    const svg = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>';
    const figures = {
      coefficients: svg,
      attractor: svg,
      trajectories: svg,
      errorGrowth: svg,
      derivatives: svg,
      inclusion: svg,
    };
    const result = {
      config: DEFAULT_CONFIG,
      model: { termNames: ['1', 'x'] },
      trueEquations: trueEquations(),
      discoveredEquations: [
        "x' = -9.990 x + 9.990 y",
        "y' = 27.900 x - 0.990 y - 0.999 x z",
        "z' = -2.660 z + 0.998 x y",
      ],
      coefficients: [
        {
          equation: "x'",
          term: 'x',
          truth: -10,
          discovered: -9.99,
          relativeError: 0.001,
          inclusion: 1,
        },
        {
          equation: "x'",
          term: 'x z',
          truth: 0,
          discovered: 0.2,
          relativeError: undefined,
          inclusion: 0.4,
        },
      ],
      worstRelativeError: 0.004,
      spuriousTerms: 1,
      r2: 0.9999,
      derivatives: { fdError: 0.9, sgError: 0.02 },
      test: { shortRolloutError: 0.001, divergenceTime: 7.5 },
    } as unknown as DemoResult;
    const html = renderReport(result, figures, { seconds: 3.2, generated: '2026-01-01T00:00:00Z' });
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain("x' = -10.000 x + 10.000 y");
    expect(html).toContain("x' = -9.990 x + 9.990 y");
    expect(html).toContain('spurious');
    expect(html).toContain('7.50 time units');
    expect(html).not.toContain('<?xml');
    expect((html.match(/<svg/g) ?? []).length).toBe(6);
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
    expect(html).not.toContain('Neural emulator');
    // with the emulator figures and results, the section appears with its numbers
    const withEmulator = renderReport(
      {
        ...result,
        emulator: {
          emulatorVpt: 6.99,
          sindyVpt: 7.9,
          oneStepError: 9.05e-4,
          coverage: 0.829,
          perturbation: Float64Array.of(0.215, 0.224, 0.239),
        },
        emulatorConfig: { models: 3, iterations: 150, members: 20, coverageTime: 1 / 0.9056 },
      } as unknown as DemoResult,
      { ...figures, emulatorTrajectories: svg, emulatorError: svg, ensemble: svg },
      { seconds: 3.2, generated: '2026-01-01T00:00:00Z' },
    );
    expect(withEmulator).toContain('Neural emulator');
    expect(withEmulator).toContain('6.99');
    expect(withEmulator).toContain('9.05e-4');
    expect(withEmulator).toContain('82.90%');
    expect(withEmulator).toContain('RMS 0.215, 0.224, 0.239');
    expect((withEmulator.match(/<svg/g) ?? []).length).toBe(9);
  });
});
