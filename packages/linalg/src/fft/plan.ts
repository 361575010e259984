/**
 * FFT plans: how a length n is split into radix stages (a mixed-radix Stockham autosort FFT for lengths whose
 * prime factors are small) or handed to Bluestein's chirp-z algorithm (any other length), with the exact
 * twiddle factors each stage needs. Plans are cached per length.
 *
 * Twiddles are computed one by one with `Math.cos`/`Math.sin` of 2π·q/n (never by recurrence), so each is
 * correctly rounded to ~1 ulp and the transform's error grows like O(ε log n) (Schatzman 1996, "Accuracy of
 * the discrete Fourier transform and the fast Fourier transform", SIAM J. Sci. Comput. 17).
 */

/** Largest prime done by a direct radix-p butterfly (O(p²) per butterfly); larger primes go to Bluestein. */
const MAX_DIRECT_PRIME = 13;

/** One radix-`radix` pass over sub-transforms of length `ns` (the product of the earlier radices). */
export interface Stage {
  readonly radix: number;
  readonly ns: number;
  /** Twiddles e^{−2πi·jj·r/(ns·radix)} for jj < ns, 1 ≤ r < radix: interleaved (re, im) at 2·(jj·(radix−1) + r − 1). */
  readonly twiddles: Float64Array;
  /** For a generic (prime) radix: e^{−2πi·q/radix}, q < radix, interleaved. */
  readonly roots: Float64Array;
}

/** A Stockham plan: the stages whose radices multiply to n. */
export interface StockhamPlan {
  readonly kind: 'stockham';
  readonly n: number;
  readonly stages: readonly Stage[];
}

/**
 * A Bluestein plan: X_k = c̄_k-weighted circular convolution of (x_j c_j) with the chirp c̄, where
 * c_j = e^{−iπ j²/n}, done by FFTs of a smooth length m ≥ 2n − 1 (Bluestein 1970; Rabiner, Schafer & Rader 1969).
 */
export interface BluesteinPlan {
  readonly kind: 'bluestein';
  readonly n: number;
  readonly m: number;
  /** c_j = e^{−iπ j²/n}, j < n, interleaved. */
  readonly chirp: Float64Array;
  /** FFT_m of the zero-padded, wrapped conjugate chirp, pre-divided by m (the inverse FFT's scale). */
  readonly kernelHat: Float64Array;
  readonly inner: StockhamPlan;
}

/** A plan for one transform length. */
export type FftPlan = StockhamPlan | BluesteinPlan;

/** The radices of n, radix 4 first (fewest passes), then 2, 3, 5 and small primes; null if a factor is too large. */
function radices(n: number): number[] | null {
  const out: number[] = [];
  let r = n;
  while (r % 4 === 0) {
    out.push(4);
    r /= 4;
  }
  for (let p = 2; p <= MAX_DIRECT_PRIME && r > 1; p++) {
    while (r % p === 0) {
      out.push(p);
      r /= p;
    }
  }
  return r === 1 ? out : null;
}

/** e^{−2πi·num/den} with the angle reduced first (num mod den), so large products lose no accuracy. */
export function root(num: number, den: number, out: Float64Array, at: number): void {
  const q = num % den;
  const angle = (-2 * Math.PI * q) / den;
  out[at] = Math.cos(angle);
  out[at + 1] = Math.sin(angle);
}

function stockhamPlan(n: number, factors: readonly number[]): StockhamPlan {
  const stages: Stage[] = [];
  let ns = 1;
  for (const radix of factors) {
    const twiddles = new Float64Array(2 * ns * (radix - 1));
    for (let jj = 0; jj < ns; jj++) {
      for (let r = 1; r < radix; r++)
        root(jj * r, ns * radix, twiddles, 2 * (jj * (radix - 1) + r - 1));
    }
    const roots = new Float64Array(2 * radix);
    for (let q = 0; q < radix; q++) root(q, radix, roots, 2 * q);
    stages.push({ radix, ns, twiddles, roots });
    ns *= radix;
  }
  return { kind: 'stockham', n, stages };
}

/** The smallest 2^a·3^b·5^c ≥ n (a length the Stockham path does in radix 2–5 passes). */
export function nextSmooth(n: number): number {
  let best = 1;
  while (best < n) best *= 2;
  for (let p5 = 1; p5 < best; p5 *= 5) {
    for (let p35 = p5; p35 < best; p35 *= 3) {
      let v = p35;
      while (v < n) v *= 2;
      if (v < best) best = v;
    }
  }
  return best;
}

const cache = new Map<number, FftPlan>();
const CACHE_LIMIT = 64;

/** The (cached) plan for length n ≥ 1. */
export function planFor(
  n: number,
  execute: (plan: StockhamPlan, data: Float64Array) => Float64Array,
): FftPlan {
  const hit = cache.get(n);
  if (hit) return hit;
  const factors = radices(n);
  const plan = factors ? stockhamPlan(n, factors) : bluesteinPlan(n, execute);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(n, plan);
  return plan;
}

function bluesteinPlan(
  n: number,
  execute: (plan: StockhamPlan, data: Float64Array) => Float64Array,
): BluesteinPlan {
  const m = nextSmooth(2 * n - 1);
  const inner = smoothPlan(m)!;
  const { chirp, kernelHat } = chirpTables(n, m, (data) => execute(inner, data));
  return { kind: 'bluestein', n, m, chirp, kernelHat, inner };
}

/**
 * Bluestein's tables for a length-n transform done as a circular convolution of length m ≥ 2n − 1: the chirp
 * c_j = e^{−iπ j²/n} (j < n) and FFT_m of the conjugate chirp zero-padded and wrapped (c̄_j at j and m − j),
 * divided by m. `fftM` is the forward FFT of length m (interleaved in, interleaved out).
 */
export function chirpTables(
  n: number,
  m: number,
  fftM: (data: Float64Array) => Float64Array,
): { chirp: Float64Array; kernelHat: Float64Array } {
  const chirp = new Float64Array(2 * n);
  // c_j = e^{−iπ j²/n} = e^{−2πi (j² mod 2n) / (2n)}; j² stays an exact integer below 2^53 for n < 9.4e7
  for (let j = 0; j < n; j++) root((j * j) % (2 * n), 2 * n, chirp, 2 * j);
  const kernel = new Float64Array(2 * m);
  for (let j = 0; j < n; j++) {
    const re = chirp[2 * j]!;
    const im = -chirp[2 * j + 1]!;
    kernel[2 * j] = re;
    kernel[2 * j + 1] = im;
    if (j > 0) {
      kernel[2 * (m - j)] = re;
      kernel[2 * (m - j) + 1] = im;
    }
  }
  const hat = fftM(kernel);
  const kernelHat = new Float64Array(2 * m);
  for (let i = 0; i < 2 * m; i++) kernelHat[i] = hat[i]! / m;
  return { chirp, kernelHat };
}

/** The Stockham plan of a length whose prime factors are all ≤ 13, or null for any other length. */
export function smoothPlan(n: number): StockhamPlan | null {
  const factors = radices(n);
  return factors ? stockhamPlan(n, factors) : null;
}
