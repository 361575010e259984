import { Lorenz63, sampleTrajectory } from '@sciml/physics';
import { describe, expect, it } from 'vitest';
import { emulatorErrorSpec, ensembleSpec } from './charts.js';
import { runEmulators } from './emulator.js';
import { addNoise } from './pipeline.js';
import { renderSvg } from './render.js';

// A small run (2 networks of 30 iterations, 4 time units of data, 2 of test) keeps the smoke test quick.
const config = { models: 2, iterations: 30, members: 5, coverageTime: 1 };

describe('emulator section', () => {
  const data = sampleTrajectory(new Lorenz63(), { dt: 0.002, samples: 2000, transient: 1 });
  const noisy = addNoise(Float64Array.from(data.x.dataSync()), 0.01, 1);
  const truth = Float64Array.from(
    sampleTrajectory(new Lorenz63(), {
      dt: 0.01,
      samples: 201,
      transient: 3,
      y0: [5, -3, 30],
    }).x.dataSync(),
  );
  // a stand-in "SINDy" trajectory offset by c = 0.5 in every variable: its normalised error is √3·c/RMS
  const discovered = Float64Array.from(truth, (v) => v + 0.5);
  const result = runEmulators(
    config,
    { noisy, dataDt: 0.002 },
    { truth, discovered, testDt: 0.01 },
    3,
  );

  it('rolls the emulator out from the true initial state and scores both models', () => {
    expect(result.rollout).toHaveLength(truth.length);
    expect(Array.from(result.rollout.subarray(0, 3))).toEqual(Array.from(truth.subarray(0, 3)));
    expect(result.emulatorError[0]).toBe(0);
    const rms = Math.sqrt(truth.reduce((s, v) => s + v * v, 0) / (truth.length / 3));
    for (const e of [result.sindyError[0]!, result.sindyError[150]!])
      expect(e).toBeCloseTo((Math.sqrt(3) * 0.5) / rms, 12);
    // the offset model's error 0.87/RMS ≈ 0.03 never reaches 0.4: its VPT counts all 201 samples
    expect(result.sindyVpt).toBeCloseTo(201 * 0.01 * 0.9056, 10);
    expect(result.emulatorVpt).toBeGreaterThan(0);
    expect(result.oneStepError).toBeGreaterThan(0);
    expect(result.oneStepError).toBeLessThan(0.2);
  });

  it('perturbs the ensemble by the one-step training residual and counts the band coverage', () => {
    // the residual holds at least the 1 % observation noise of the next state (≈ 0.16 per variable)
    for (const p of result.perturbation) expect(p).toBeGreaterThan(0.1);
    // at t = 0 the 10 members differ only by those perturbations
    for (let j = 0; j < 3; j++) {
      expect(result.ensembleStd[j]!).toBeGreaterThan(0.3 * result.perturbation[j]!);
      expect(result.ensembleStd[j]!).toBeLessThan(2 * result.perturbation[j]!);
    }
    expect(result.coverage).toBeGreaterThanOrEqual(0);
    expect(result.coverage).toBeLessThanOrEqual(1);
  });

  it('draws the error growth and the ensemble band', async () => {
    const t = Float64Array.from({ length: 201 }, (_, i) => 0.01 * i);
    const err = await renderSvg(emulatorErrorSpec({ t, ...result }));
    expect(err).toContain('normalised error');
    const band = await renderSvg(
      ensembleSpec({ t, truth, mean: result.ensembleMean, std: result.ensembleStd }, 1),
    );
    expect((band.match(/<path/g) ?? []).length).toBeGreaterThan(8);
  });

  it('rejects a test step that is not a multiple of the data step', () => {
    expect(() =>
      runEmulators(config, { noisy, dataDt: 0.003 }, { truth, discovered, testDt: 0.01 }, 3),
    ).toThrow(/multiple/);
  });
});
