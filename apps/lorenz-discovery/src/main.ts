#!/usr/bin/env node
/**
 * The @sciml demo: simulate Lorenz-63, add noise, estimate derivatives, discover the equations with SINDy,
 * compare them with the true ones, integrate the discovered model against the truth, and write a
 * self-contained HTML report with Vega-Lite plots to out/report.html.
 *
 *   pnpm --filter lorenz-discovery start [--out DIR] [--noise 0.01] [--seed 42]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fromTypedArray } from '@sciml/linalg';
import {
  attractorSpec,
  coefficientSpec,
  derivativeSpec,
  emulatorErrorSpec,
  emulatorTrajectorySpec,
  ensembleSpec,
  errorGrowthSpec,
  inclusionSpec,
  trajectorySpec,
} from './charts.js';
import { DEFAULT_EMULATOR_CONFIG, runEmulators } from './emulator.js';
import {
  DEFAULT_CONFIG,
  type DemoConfig,
  type DemoResult,
  addNoise,
  coefficientTable,
  compareTrajectories,
  discover,
  estimateDerivatives,
  scoreCoefficients,
  simulateTraining,
  trueEquations,
} from './pipeline.js';
import { Progress, formatSeconds } from './progress.js';
import { renderSvg } from './render.js';
import { renderReport } from './report.js';

async function main(): Promise<void> {
  // `pnpm start -- --noise 0.02` forwards the `--` separator itself; drop it.
  const argv = process.argv.slice(2);
  const { values } = parseArgs({
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      out: { type: 'string' },
      noise: { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write('usage: lorenz-discovery [--out DIR] [--noise FRACTION] [--seed N]\n');
    return;
  }
  const config: DemoConfig = {
    ...DEFAULT_CONFIG,
    noise: values.noise === undefined ? DEFAULT_CONFIG.noise : Number(values.noise),
    seed: values.seed === undefined ? DEFAULT_CONFIG.seed : Number(values.seed),
  };
  if (!(config.noise >= 0) || !Number.isSafeInteger(config.seed) || config.seed < 0) {
    throw new Error(
      `--noise must be ≥ 0 and --seed a non-negative integer (got ${values.noise}, ${values.seed})`,
    );
  }
  // pnpm sets INIT_CWD to where the user ran it, so `pnpm demo` at the repository root writes ./out there.
  const outDir = resolve(process.env.INIT_CWD ?? process.cwd(), values.out ?? 'out');
  const start = performance.now();
  const progress = new Progress(8);
  const print = (line = '') => process.stdout.write(`${line}\n`);

  const train = await progress.step(
    `Simulating Lorenz-63 (σ = 10, ρ = 28, β = 8/3) for ${config.trainTime} time units at dt = ${config.dt}`,
    () => simulateTraining(config),
  );
  const noisy = await progress.step(`Adding ${100 * config.noise}% Gaussian noise`, () =>
    addNoise(train.clean, config.noise, config.seed),
  );
  const derivatives = await progress.step(
    'Estimating derivatives (finite differences vs Savitzky–Golay)',
    () => estimateDerivatives(config, noisy, train.dxdt),
  );
  const { model, inclusion } = await progress.step(
    `Discovering the equations with SINDy (STLSQ, plus a ${config.ensembleModels}-model ensemble)`,
    () => discover(config, noisy),
  );
  const coefficients = coefficientTable(model, inclusion);
  const test = await progress.step('Integrating the discovered model against the true system', () =>
    compareTrajectories(config, model),
  );
  const emulatorConfig = DEFAULT_EMULATOR_CONFIG;
  const emulator = await progress.step(
    `Training ${emulatorConfig.models} neural emulators and forecasting with their ensemble`,
    () =>
      runEmulators(
        emulatorConfig,
        { noisy, dataDt: config.dt },
        { ...test, testDt: config.testDt },
        config.seed,
      ),
  );
  const result: DemoResult = {
    config,
    train: { t: train.t, clean: train.clean, noisy, dxdt: train.dxdt },
    derivatives,
    model,
    trueEquations: trueEquations(),
    discoveredEquations: model.equations(3),
    coefficients,
    ...scoreCoefficients(coefficients),
    r2: model.score(asMatrix(train.clean), { xDot: asMatrix(train.dxdt) }),
    test,
    emulator,
    emulatorConfig,
  };

  const figures = await progress.step('Rendering plots (Vega-Lite → SVG)', async () => {
    const long = longSimulation(model, test.truth.subarray(0, 3));
    const terms = model.termNames;
    return {
      coefficients: await renderSvg(coefficientSpec(coefficients, terms)),
      inclusion: await renderSvg(inclusionSpec(coefficients, terms)),
      attractor: await renderSvg(attractorSpec({ t: train.t, noisy }, long)),
      trajectories: await renderSvg(trajectorySpec(test)),
      errorGrowth: await renderSvg(errorGrowthSpec(test)),
      emulatorTrajectories: await renderSvg(
        emulatorTrajectorySpec({ ...test, emulator: emulator.rollout }),
      ),
      emulatorError: await renderSvg(emulatorErrorSpec({ t: test.t, ...emulator })),
      ensemble: await renderSvg(
        ensembleSpec(
          { t: test.t, truth: test.truth, mean: emulator.ensembleMean, std: emulator.ensembleStd },
          6,
        ),
      ),
      derivatives: await renderSvg(
        derivativeSpec(train.t, train.dxdt, derivatives.fd, derivatives.sg, 1),
      ),
    };
  });
  const reportPath = resolve(outDir, 'report.html');
  await progress.step(`Writing ${reportPath}`, () => {
    mkdirSync(outDir, { recursive: true });
    const seconds = (performance.now() - start) / 1000;
    writeFileSync(
      reportPath,
      renderReport(result, figures, { seconds, generated: new Date().toISOString() }),
    );
  });

  print();
  print('  true Lorenz-63                        discovered by SINDy (from noisy data)');
  result.trueEquations.forEach((eq, i) => {
    print(`  ${eq.padEnd(36)}  ${result.discoveredEquations[i]}`);
  });
  print();
  print(
    `  largest coefficient error: ${(100 * result.worstRelativeError).toFixed(3)}%   spurious terms: ${result.spuriousTerms}`,
  );
  print(
    `  derivative error (relative RMS): finite differences ${(100 * derivatives.fdError).toFixed(1)}%, Savitzky–Golay ${(100 * derivatives.sgError).toFixed(2)}%`,
  );
  print(
    `  rollout error over 2 time units: ${(100 * test.shortRolloutError).toFixed(3)}%   trajectories separate after t ≈ ${Number.isFinite(test.divergenceTime) ? test.divergenceTime.toFixed(2) : `> ${config.testTime}`}`,
  );
  print(
    `  valid prediction time (Lyapunov times): SINDy ${emulator.sindyVpt.toFixed(2)}, neural emulator ${emulator.emulatorVpt.toFixed(2)}   ensemble ±2σ coverage: ${(100 * emulator.coverage).toFixed(1)}%`,
  );
  print();
  print(`  report: ${reportPath}`);
  print(`  total time: ${formatSeconds((performance.now() - start) / 1000)}`);
}

/** Row-major (m × 3) data as an array. */
function asMatrix(x: Float64Array) {
  return fromTypedArray(x, [x.length / 3, 3]);
}

/** 25 time units of the discovered model, for the attractor plot. */
function longSimulation(model: DemoResult['model'], x0: Float64Array) {
  const t = Float64Array.from({ length: 2501 }, (_, i) => i * 0.01);
  return { t, x: Float64Array.from(model.simulate(x0, t).dataSync()) };
}

main().catch((e: unknown) => {
  process.stderr.write(
    `\nlorenz-discovery failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  process.exitCode = 1;
});
