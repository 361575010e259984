import { type Generator, type NDArray, ValueError, fromTypedArray } from '@sciml/linalg';
import { wolffUpdate } from './wolff.js';

/** Options of {@link isingSamples}. */
export interface IsingOptions {
  /** Random generator. */
  rng: Generator;
  /** Linear size L of the periodic L × L lattice. */
  L: number;
  /** Temperature T in units of J/k_B (T_c = 2/ln(1 + √2) ≈ 2.269). */
  temperature: number;
  /** Number of configurations returned. */
  n: number;
  /** Sweeps discarded first (default 1000). */
  burnIn?: number;
  /** Sweeps between returned configurations (default 10). */
  thin?: number;
  /**
   * Update: `'metropolis'` (default; a sweep is N single-spin attempts) or `'wolff'` (cluster flips, see
   * {@link wolffUpdate}; a sweep is a fixed number of cluster flips, N/⟨cluster size⟩ as measured during
   * burn-in, so that it flips N spins on average), which decorrelates far faster near T_c.
   */
  algorithm?: 'metropolis' | 'wolff';
  /** Spin values written: `'pm1'` (default, ±1) or `'binary'` (0/1, for RBM visible units). */
  encoding?: 'pm1' | 'binary';
}

/**
 * Configurations of the 2-D ferromagnetic Ising model H = −J Σ_⟨ij⟩ sᵢsⱼ on a periodic L × L lattice at
 * temperature T, by single-spin-flip Metropolis sweeps (Metropolis et al. 1953) with a precomputed table of
 * e^{−ΔE/T}, or by Wolff cluster flips (Wolff 1989). Returns `[n, L·L]` (row-major lattice), one row per
 * configuration.
 */
export function isingSamples(options: IsingOptions): NDArray {
  const { rng, L, temperature: T, n } = options;
  if (!Number.isInteger(L) || L < 2)
    throw new ValueError('isingSamples', `L must be an integer ≥ 2, got ${L}`);
  if (!(T > 0) || !Number.isFinite(T))
    throw new ValueError('isingSamples', `temperature must be positive, got ${T}`);
  if (!Number.isInteger(n) || n < 0)
    throw new ValueError('isingSamples', `n must be a non-negative integer, got ${n}`);
  const burnIn = options.burnIn ?? 1000;
  const thin = options.thin ?? 10;
  const algorithm = options.algorithm ?? 'metropolis';
  if (algorithm !== 'metropolis' && algorithm !== 'wolff')
    throw new ValueError(
      'isingSamples',
      `algorithm must be 'metropolis' or 'wolff', got ${String(algorithm)}`,
    );
  const N = L * L;
  // start ordered below T_c, random above: shorter equilibration either way
  const s = Int8Array.from({ length: N }, () => (T < 2.269 ? 1 : rng.nextFloat() < 0.5 ? 1 : -1));
  // acceptance e^{−ΔE/T} for ΔE = 2 sᵢ hᵢ ∈ {4, 8}
  const accept = [Math.exp(-4 / T), Math.exp(-8 / T)];
  const stack = new Int32Array(N);
  // A Wolff sweep is a FIXED number of cluster flips, ≈ N/⟨cluster size⟩ measured during burn-in: stopping
  // "once N spins have flipped" would be a history-dependent stopping time that oversamples ordered states
  // (big clusters end a sweep sooner).
  let clusterFlips = 0;
  let spinsFlipped = 0;
  let flipsPerSweep = 0;
  const wolffSweep = () => {
    if (flipsPerSweep > 0) {
      for (let k = 0; k < flipsPerSweep; k++) wolffUpdate(s, L, T, rng, stack);
      return;
    }
    for (let flipped = 0; flipped < N; clusterFlips++) {
      const size = wolffUpdate(s, L, T, rng, stack);
      flipped += size;
      spinsFlipped += size;
    }
  };
  const metropolisSweep = () => {
    for (let k = 0; k < N; k++) {
      const i = rng.nextInt(0, N);
      const x = i % L;
      const y = (i - x) / L;
      const h =
        s[y * L + ((x + 1) % L)]! +
        s[y * L + ((x + L - 1) % L)]! +
        s[((y + 1) % L) * L + x]! +
        s[((y + L - 1) % L) * L + x]!;
      const dE = 2 * s[i]! * h;
      if (dE <= 0 || rng.nextFloat() < accept[dE / 4 - 1]!) s[i] = -s[i]!;
    }
  };
  const sweep = algorithm === 'wolff' ? wolffSweep : metropolisSweep;
  for (let t = 0; t < burnIn; t++) sweep();
  if (algorithm === 'wolff') {
    if (clusterFlips === 0) wolffSweep();
    flipsPerSweep = Math.max(1, Math.round((N * clusterFlips) / spinsFlipped));
  }
  const out = new Float64Array(n * N);
  const binary = options.encoding === 'binary';
  for (let c = 0; c < n; c++) {
    for (let t = 0; t < thin; t++) sweep();
    for (let i = 0; i < N; i++) out[c * N + i] = binary ? (s[i]! + 1) / 2 : s[i]!;
  }
  return fromTypedArray(out, [n, N]);
}

/** Mean |magnetisation| per spin and mean energy per spin of Ising configurations. */
export interface IsingObservables {
  /** ⟨|Σᵢ sᵢ|/N⟩. */
  absMagnetization: number;
  /** ⟨−Σ_⟨ij⟩ sᵢsⱼ/N⟩ (J = 1). */
  energy: number;
}

/**
 * ⟨|m|⟩ and ⟨E⟩/N of configurations `[n, L·L]` on a periodic L × L lattice, in either encoding (±1, or 0/1 which
 * is mapped to ±1) — the observables an RBM trained on Ising data must reproduce (Torlai & Melko 2016).
 */
export function isingObservables(configs: NDArray, L: number): IsingObservables {
  const series = seriesOf('isingObservables', configs, L);
  if (series.energy.length < 1)
    throw new ValueError('isingObservables', 'needs at least one configuration');
  const avg = (x: Float64Array) => x.reduce((acc, v) => acc + v, 0) / x.length;
  return { absMagnetization: avg(series.absMagnetization), energy: avg(series.energy) };
}

/** Per-configuration |m| and E/N, for error bars by {@link blocking} on a Markov chain's output. */
export interface IsingSeries {
  /** |Σᵢ sᵢ|/N of each configuration. */
  absMagnetization: Float64Array;
  /** −Σ_⟨ij⟩ sᵢsⱼ/N of each configuration (J = 1). */
  energy: Float64Array;
}

/**
 * |m| and E/N of each configuration `[n, L·L]` on a periodic L × L lattice, in either encoding (±1, or 0/1 mapped
 * to ±1): the time series whose means {@link isingObservables} returns, kept per sample so that the standard
 * error of a correlated chain can be estimated by {@link blocking}.
 */
export function isingSeries(configs: NDArray, L: number): IsingSeries {
  return seriesOf('isingSeries', configs, L);
}

function seriesOf(op: string, configs: NDArray, L: number): IsingSeries {
  const N = L * L;
  if (configs.ndim !== 2 || configs.shape[1] !== N)
    throw new ValueError(
      op,
      `configs must be [n, ${N}] for L = ${L}, got [${configs.shape.join(', ')}]`,
    );
  const n = configs.shape[0]!;
  const d = configs.dataSync();
  let binary = true;
  for (let i = 0; i < d.length && binary; i++) if (Number(d[i]) < 0) binary = false;
  const spin = (c: number, i: number) =>
    binary ? 2 * Number(d[c * N + i]) - 1 : Number(d[c * N + i]);
  const absMagnetization = new Float64Array(n);
  const energy = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    let m = 0;
    let e = 0;
    for (let y = 0; y < L; y++) {
      for (let x = 0; x < L; x++) {
        const si = spin(c, y * L + x);
        m += si;
        e -= si * (spin(c, y * L + ((x + 1) % L)) + spin(c, ((y + 1) % L) * L + x));
      }
    }
    absMagnetization[c] = Math.abs(m) / N;
    energy[c] = e / N;
  }
  return { absMagnetization, energy };
}

/**
 * Each configuration `[n, L·L]` (either encoding: ±1, or 0/1 read as ±1) flipped as a whole to non-negative
 * magnetisation Σᵢsᵢ ≥ 0; those with Σᵢsᵢ = 0 are kept as they are. The zero-field Ising distribution is symmetric
 * under s → −s, so this maps samples of p(s) to exact samples of p₊(s) = 2p(s) on Σs > 0 (p(s) on Σs = 0), the
 * distribution of one magnetisation sector; |m|, E and every flip-invariant observable have the same law under
 * both, and p(s) = ½[p₊(s) + p₊(−s)]. A generative model trained on p₊ need not learn the relative weight of two
 * ordered phases that its Markov chains cannot cross between (the failure of a PCD-trained RBM near T_c).
 */
export function flipToPositiveMagnetization(configs: NDArray): NDArray {
  if (configs.ndim !== 2 || configs.shape[0]! < 1)
    throw new ValueError(
      'flipToPositiveMagnetization',
      `configs must be a non-empty [n, L·L] array, got [${configs.shape.join(', ')}]`,
    );
  const [n, N] = configs.shape as [number, number];
  const d = configs.dataSync();
  let binary = true;
  for (let i = 0; i < d.length && binary; i++) if (Number(d[i]) < 0) binary = false;
  const out = new Float64Array(n * N);
  for (let c = 0; c < n; c++) {
    let m = 0;
    for (let i = 0; i < N; i++) m += binary ? 2 * Number(d[c * N + i]) - 1 : Number(d[c * N + i]);
    for (let i = 0; i < N; i++) {
      const x = Number(d[c * N + i]);
      out[c * N + i] = m >= 0 ? x : binary ? 1 - x : -x;
    }
  }
  return fromTypedArray(out, [n, N]);
}
