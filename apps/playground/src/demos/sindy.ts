/**
 * Lorenz discovery: simulate Lorenz-63, add noise, differentiate (Savitzky–Golay), and let SINDy
 * (sequentially thresholded least squares, Brunton et al. 2016) find the equations again.
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
import { lineChart } from '../plots.js';
import type { Demo, DemoResult } from './types.js';

const DT = 0.002;
const SAMPLES = 5000;
// library order: 1, x, y, z, x², xy, xz, y², yz, z²
const X = 1;
const Y = 2;
const Z = 3;
const XY = 5;

/** Runs the discovery at `noise` (fraction of the data's RMS) and returns σ, ρ, β as found. */
export function discoverLorenz(noise: number, seed: number) {
  const { x } = sampleTrajectory(new Lorenz63(), {
    dt: DT,
    samples: SAMPLES,
    transient: 1,
    y0: [-8, 8, 27],
  });
  const clean = x.dataSync() as Float64Array;
  const rms = Math.sqrt(clean.reduce((s, v) => s + v * v, 0) / clean.length);
  const rng = new Generator(seed);
  const noisy = Float64Array.from(clean, (v) => v + noise * rms * rng.nextNormal());
  const model = new SINDy({
    library: polynomialLibrary({ degree: 2 }),
    optimizer: stlsq({ threshold: 0.5 }),
    differentiation: savitzkyGolay({ windowLength: 61, polyorder: 3 }),
  }).fit(fromTypedArray(noisy, [SAMPLES, 3]), { t: DT, featureNames: ['x', 'y', 'z'] });
  const c = model.coefficients.dataSync();
  const at = (row: number, col: number) => c[row * 10 + col]!;
  return {
    model,
    noisy,
    sigma: (at(0, Y) - at(0, X)) / 2,
    rho: at(1, X),
    beta: -at(2, Z),
    xyInZ: at(2, XY),
    nonzero: Array.from(c).filter((v) => v !== 0).length,
  };
}

export const sindyDemo: Demo = {
  id: 'sindy',
  title: 'Lorenz discovery with SINDy',
  about:
    'Lorenz-63 (σ = 10, ρ = 28, β = 8/3) sampled every 0.002 for 10 time units, with Gaussian noise of the ' +
    'chosen fraction of its RMS. Savitzky–Golay derivatives and sequentially thresholded least squares ' +
    '(threshold 0.5) over the quadratic library recover the equations; the discovered model is integrated ' +
    'from the same start.',
  params: [
    { name: 'noise', label: 'noise (% of RMS)', min: 0, max: 5, step: 0.5, value: 1 },
    { name: 'seed', label: 'noise seed', min: 1, max: 99, step: 1, value: 42 },
  ],
  async run(p, ctx): Promise<DemoResult> {
    ctx.progress({ fraction: 0.1, message: 'simulating Lorenz-63 and fitting SINDy' });
    const found = discoverLorenz(p.noise! / 100, p.seed!);
    ctx.progress({ fraction: 0.7, message: 'integrating the discovered model' });
    const times = Array.from({ length: 401 }, (_, i) => i * 0.01);
    const start = Array.from(found.noisy.subarray(0, 3));
    const sim = found.model.simulate(start, times).dataSync();
    const rows: { t: number; x: number; which: string }[] = [];
    for (let i = 0; i < times.length; i++) {
      rows.push({ t: times[i]!, x: sim[3 * i]!, which: 'discovered' });
      const k = Math.min(SAMPLES - 1, Math.round(times[i]! / DT));
      rows.push({ t: times[i]!, x: found.noisy[3 * k]!, which: 'data' });
    }
    const attractor: { x: number; z: number; k: number }[] = [];
    for (let i = 0; i < times.length; i++)
      attractor.push({ x: sim[3 * i]!, z: sim[3 * i + 2]!, k: i });
    return {
      numbers: {
        sigma: found.sigma,
        rho: found.rho,
        beta: found.beta,
        terms: found.nonzero,
      },
      lines: found.model.equations(3),
      plots: [
        lineChart('x(t): data and discovered model', rows, { x: 't', y: 'x', series: 'which' }),
        lineChart('attractor (x, z) of the discovered model', attractor, {
          x: 'x',
          y: 'z',
          order: 'k',
        }),
      ],
    };
  },
};
