/**
 * SINDy rediscovers the Lorenz equations from noisy data (course notes 000, lecture 6 "SINDy"; Brunton, Proctor &
 * Kutz, PNAS 113 (2016) 3932–3937). The full demo — derivative estimators compared, ensemble inclusion
 * probabilities, an HTML report — is the main app, apps/lorenz-discovery (`pnpm demo`); this is its core in a page.
 *
 * Lorenz-63: x′ = σ(y − x), y′ = x(ρ − z) − y, z′ = xy − βz with σ = 10, ρ = 28, β = 8/3. Ten time units sampled
 * at dt = 0.002 with 1 % Gaussian noise; derivatives by Savitzky–Golay (window 61, cubic), the library
 * 1, x, y, z, x², xy, xz, y², yz, z², sequentially thresholded least squares (threshold 0.5).
 */
import { Generator, fromTypedArray } from '@sciml/linalg';
import {
  Lorenz63,
  SINDy,
  polynomialLibrary,
  sampleTrajectory,
  savitzkyGolay,
  stlsq,
} from '@sciml/physics';
import type { Example } from './lib/example.js';
import { lineChart, panels, series } from './lib/figure.js';

/** Lorenz-63's coefficients in the degree-2 library (rows x′, y′, z′; columns 1, x, y, z, x², xy, xz, y², yz, z²). */
export const LORENZ_COEFFICIENTS = [
  [0, -10, 10, 0, 0, 0, 0, 0, 0, 0],
  [0, 28, -1, 0, 0, 0, -1, 0, 0, 0],
  [0, 0, 0, -8 / 3, 0, 1, 0, 0, 0, 0],
];

/** Simulates, adds noise, fits SINDy, and compares coefficients and a fresh trajectory with the truth. */
export function lorenzSindy(options: { noise?: number; trainTime?: number; seed?: number } = {}) {
  const dt = 0.002;
  const data = sampleTrajectory(new Lorenz63(), {
    dt,
    samples: Math.round((options.trainTime ?? 10) / dt),
    transient: 1,
    y0: [-8, 8, 27],
  });
  const clean = Float64Array.from(data.x.dataSync());
  const rms = Math.sqrt(clean.reduce((s, v) => s + v * v, 0) / clean.length);
  const rng = new Generator(options.seed ?? 42);
  const noisy = Float64Array.from(
    clean,
    (v) => v + (options.noise ?? 0.01) * rms * rng.nextNormal(),
  );
  const model = new SINDy({
    library: polynomialLibrary({ degree: 2 }),
    optimizer: stlsq({ threshold: 0.5 }),
    differentiation: savitzkyGolay({ windowLength: 61, polyorder: 3 }),
  }).fit(fromTypedArray(noisy, [noisy.length / 3, 3]), { t: dt, featureNames: ['x', 'y', 'z'] });
  const xi = model.coefficients.toNested() as number[][];
  let worst = 0;
  let spurious = 0;
  for (const [i, row] of LORENZ_COEFFICIENTS.entries())
    for (const [j, truth] of row.entries()) {
      const found = xi[i]![j]!;
      if (truth !== 0) worst = Math.max(worst, Math.abs(found - truth) / Math.abs(truth));
      else if (found !== 0) spurious++;
    }
  // a fresh initial state: truth vs the discovered model for 3 time units
  const times = Array.from({ length: 301 }, (_, i) => i * 0.01);
  const truth = sampleTrajectory(new Lorenz63(), { dt: 0.01, samples: 301, y0: [5, -5, 20] });
  const found = model.simulate([5, -5, 20], times).dataSync();
  return {
    equations: model.equations(),
    sigma: xi[0]![2]!,
    rho: xi[1]![1]!,
    beta: -xi[2]![3]!,
    worstRelativeError: worst,
    spuriousTerms: spurious,
    times,
    truthX: Array.from({ length: 301 }, (_, k) => truth.x.get(k, 0) as number),
    foundX: Array.from({ length: 301 }, (_, k) => found[k * 3]!),
  };
}

export const example: Example = {
  name: 'lorenz-sindy',
  title:
    'SINDy rediscovers Lorenz-63 (σ = 10, ρ = 28, β = 8/3) from 1 % noisy data; the full demo is apps/lorenz-discovery',
  source: 'course-notes/000 lecture 6 (SINDy); app: apps/lorenz-discovery (pnpm demo)',
  run() {
    const r = lorenzSindy();
    return {
      checks: [
        { quantity: 'σ (coefficient of y in x′)', measured: r.sigma, theory: 10 },
        { quantity: 'ρ (coefficient of x in y′)', measured: r.rho, theory: 28 },
        { quantity: 'β (−coefficient of z in z′)', measured: r.beta, theory: 8 / 3 },
        {
          quantity: 'worst relative error over the 7 true terms',
          measured: r.worstRelativeError,
          theory: 0,
          note: '1 % noise, Savitzky–Golay + STLSQ',
        },
        { quantity: 'spurious terms kept (of 23)', measured: r.spuriousTerms, theory: 0 },
      ],
      remarks: [
        ...r.equations.map((e) => `discovered: ${e}`),
        'the full demo (derivative estimators, ensemble inclusion probabilities, HTML report): apps/lorenz-discovery, `pnpm demo`',
      ],
      figure: panels('SINDy on Lorenz-63', [
        lineChart(
          [
            ...series('true x(t)', r.times, r.truthX),
            ...series('discovered model', r.times, r.foundX),
          ],
          {
            title: 'A fresh initial state: truth vs the discovered equations',
            xTitle: 't',
            yTitle: 'x',
            width: 560,
          },
        ),
      ]),
    };
  },
};
