#!/usr/bin/env node
/**
 * Trains the Burgers PINN, prints progress, and writes a self-contained HTML report (Vega-Lite plots) to
 * out/report.html.
 *
 *   pnpm --filter pinn-burgers start [--out DIR] [--quick]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { heatmapSpec, lossSpec, pointsSpec, slicesSpec } from './charts.js';
import { DEFAULT_CONFIG, type BurgersConfig, runBurgers } from './pipeline.js';
import { svgOf } from './render.js';
import { renderReport, sci } from './report.js';

/** A smaller run for a first look (about a minute). */
const QUICK: Partial<BurgersConfig> = { points: 1000, adamSteps: 500, quasiNewtonIterations: 500 };

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const { values } = parseArgs({
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      out: { type: 'string' },
      quick: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write('usage: pinn-burgers [--out DIR] [--quick]\n');
    return;
  }
  const config: BurgersConfig = { ...DEFAULT_CONFIG, ...(values.quick ? QUICK : {}) };
  const outDir = resolve(process.env.INIT_CWD ?? process.cwd(), values.out ?? 'out');
  const log = (line: string) => process.stderr.write(`${line}\n`);
  log(
    `Burgers PINN: ${config.layers}×${config.width} tanh, ${config.points} points, Adam ${config.adamSteps} + self-scaled Broyden ≤ ${config.quasiNewtonIterations}`,
  );
  const result = runBurgers(config, (r) => {
    const terms = Object.entries(r.terms)
      .map(([k, v]) => `${k} ${sci(v)}`)
      .join(', ');
    log(
      `  ${(r.phase === 'adam' ? 'adam' : 'SSB').padEnd(5)} ${String(r.step).padStart(5)}  loss ${sci(r.loss)}${terms ? `  (${terms})` : ''}`,
    );
  });
  log(`trained in ${result.trainSeconds.toFixed(1)} s; rendering the report`);
  const absError = result.u.map((v, i) => Math.abs(v - result.reference[i]!));
  const figures = {
    solution: await svgOf(heatmapSpec(result, result.u, 'u(x, t), PINN', 'redblue')),
    error: await svgOf(heatmapSpec(result, absError, '|u − u_ref|', 'viridis')),
    slices: await svgOf(slicesSpec(result, [0.25, 0.5, 0.75])),
    loss: await svgOf(lossSpec(result)),
    points: await svgOf(pointsSpec(result)),
  };
  mkdirSync(outDir, { recursive: true });
  const path = resolve(outDir, 'report.html');
  writeFileSync(path, renderReport(result, figures, { generated: new Date().toISOString() }));
  process.stdout.write(
    `relative L2 error ${sci(result.relL2)}, max error ${sci(result.maxError)}, training ${result.trainSeconds.toFixed(1)} s\nreport: ${path}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
