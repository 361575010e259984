/**
 * The convolution theorem with the FFT of @sciml/linalg (course notes 001, lesson 25-11, "Convolution theorem").
 *
 * The circular convolution (a ⊛ b)ₖ = Σⱼ aⱼ b₍ₖ₋ⱼ₎ mod n is diagonalised by the DFT: F(a ⊛ b) = F(a)·F(b)
 * pointwise, so a ⊛ b = F⁻¹(F(a)·F(b)) in O(n log n) instead of O(n²). The linear (full) convolution of lengths
 * p and q is the circular one of both signals zero-padded to N ≥ p + q − 1; without the padding the tail wraps
 * round: (a ⊛ b)ₖ = (a ∗ b)ₖ + (a ∗ b)ₖ₊ₙ (aliasing). The same holds in 2-D with fft2. The FFT's round-off grows
 * like ε·log₂n·‖a‖₂‖b‖₂ (Van Loan, Computational Frameworks for the FFT, 1992, §1.4), so the two sides agree to
 * ~1e-13 for signals of size O(1).
 */
import {
  Generator,
  type NDArray,
  fromTypedArray,
  fft,
  ifft,
  irfft,
  irfft2,
  mul,
  real,
  rfft,
  rfft2,
} from '@sciml/linalg';
import type { Example } from './lib/example.js';
import { lineChart, panels, series } from './lib/figure.js';

/** n standard normal samples. */
export function randomSignal(n: number, rng: Generator): Float64Array {
  return Float64Array.from({ length: n }, () => rng.nextNormal());
}

/** (a ⊛ b)ₖ = Σⱼ aⱼ b₍ₖ₋ⱼ₎ mod n by the definition: O(n²). */
export function circularConvolveDirect(a: Float64Array, b: Float64Array): Float64Array {
  const n = a.length;
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let s = 0;
    for (let j = 0; j <= k; j++) s += a[j]! * b[k - j]!;
    for (let j = k + 1; j < n; j++) s += a[j]! * b[k - j + n]!;
    out[k] = s;
  }
  return out;
}

/** (a ∗ b)ₖ = Σⱼ aⱼ bₖ₋ⱼ, k = 0…p + q − 2, by the definition. */
export function linearConvolveDirect(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length - 1);
  for (let i = 0; i < a.length; i++)
    for (let j = 0; j < b.length; j++) out[i + j]! += a[i]! * b[j]!;
  return out;
}

const vec = (x: Float64Array): NDArray => fromTypedArray(x, [x.length]);

/** a ⊛ b = F⁻¹(F(a)·F(b)) with the real-input transforms (length n = a.length, or `n` to zero-pad to). */
export function convolveFft(a: Float64Array, b: Float64Array, n = a.length): Float64Array {
  return Float64Array.from(irfft(mul(rfft(vec(a), { n }), rfft(vec(b), { n })), { n }).dataSync());
}

/** The same through the complex transforms: Re F⁻¹(F(a)·F(b)). */
export function convolveComplexFft(a: Float64Array, b: Float64Array): Float64Array {
  return Float64Array.from(real(ifft(mul(fft(vec(a)), fft(vec(b))))).dataSync());
}

/** The linear convolution as a circular one of length N = p + q − 1 (both signals zero-padded). */
export function linearConvolveFft(a: Float64Array, b: Float64Array): Float64Array {
  return convolveFft(a, b, a.length + b.length - 1);
}

/** 2-D circular convolution of two n×n images by the definition: O(n⁴). */
export function circularConvolve2dDirect(
  a: Float64Array,
  b: Float64Array,
  n: number,
): Float64Array {
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; k++)
    for (let l = 0; l < n; l++) {
      let s = 0;
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++)
          s += a[i * n + j]! * b[((k - i + n) % n) * n + ((l - j + n) % n)]!;
      out[k * n + l] = s;
    }
  return out;
}

/** 2-D circular convolution by rfft2/irfft2. */
export function circularConvolve2dFft(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const A = rfft2(fromTypedArray(a, [n, n]));
  const B = rfft2(fromTypedArray(b, [n, n]));
  return Float64Array.from(irfft2(mul(A, B), { s: [n, n] }).dataSync());
}

/** max |xᵢ − yᵢ|. */
export function maxAbsDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

/** ‖x‖₂. */
const norm2 = (x: Float64Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0));

/** Every identity of the theorem on random signals: circular (any n, incl. primes), linear by padding, aliasing, 2-D. */
export function convolutionTheorem(
  options: { ns?: number[]; p?: number; q?: number; n2d?: number; seed?: number } = {},
) {
  const rng = new Generator(options.seed ?? 0);
  const circular = (options.ns ?? [64, 256, 257, 1000, 1024]).map((n) => {
    const a = randomSignal(n, rng);
    const b = randomSignal(n, rng);
    const direct = circularConvolveDirect(a, b);
    const error = maxAbsDiff(direct, convolveFft(a, b));
    const complexError = maxAbsDiff(direct, convolveComplexFft(a, b));
    // the round-off scale ε·log₂n·‖a‖₂‖b‖₂ of the FFT route
    const scale = Number.EPSILON * Math.log2(n) * norm2(a) * norm2(b);
    return { n, error, complexError, relativeToScale: error / scale };
  });
  const p = options.p ?? 300;
  const q = options.q ?? 41;
  const a = randomSignal(p, rng);
  const b = randomSignal(q, rng);
  const full = linearConvolveDirect(a, b);
  const linearError = maxAbsDiff(full, linearConvolveFft(a, b));
  // without padding (length p): the tail wraps round onto the head
  const wrapped = convolveFft(a, b, p);
  const aliased = Float64Array.from({ length: p }, (_, k) => full[k]! + (full[k + p] ?? 0));
  const aliasingError = maxAbsDiff(wrapped, aliased);
  const unpaddedError = maxAbsDiff(wrapped, full.subarray(0, p));
  const n2 = options.n2d ?? 16;
  const A = randomSignal(n2 * n2, rng);
  const B = randomSignal(n2 * n2, rng);
  const error2d = maxAbsDiff(circularConvolve2dDirect(A, B, n2), circularConvolve2dFft(A, B, n2));
  return { circular, p, q, linearError, aliasingError, unpaddedError, n2d: n2, error2d };
}

/** The smallest of `repeats` timings of f, in milliseconds (printed information, never asserted). */
function fastest(f: () => void, repeats: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    f();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

/** Wall time of the O(n²) loop against the O(n log n) FFT route for n = 2^k, and the first n where the FFT wins. */
export function timingCrossover(ns = [16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192]) {
  const rng = new Generator(1);
  const rows = ns.map((n) => {
    const a = randomSignal(n, rng);
    const b = randomSignal(n, rng);
    const repeats = n <= 1024 ? 7 : 3;
    convolveFft(a, b); // warm-up: plans and compiled paths
    return {
      n,
      directMs: fastest(() => circularConvolveDirect(a, b), repeats),
      fftMs: fastest(() => convolveFft(a, b), repeats),
    };
  });
  const crossover = rows.find((r) => r.fftMs < r.directMs)?.n ?? Number.NaN;
  return { rows, crossover };
}

/** A box convolved with a box: the triangle, via the zero-padded FFT. */
function boxes() {
  const a = Float64Array.from({ length: 40 }, (_, i) => (i >= 10 && i < 30 ? 1 : 0));
  const b = Float64Array.from({ length: 20 }, (_, i) => (i < 10 ? 0.1 : 0));
  return { a, b, direct: linearConvolveDirect(a, b), viaFft: linearConvolveFft(a, b) };
}

export const example: Example = {
  name: 'convolution-theorem',
  title:
    'Convolution theorem: circular convolution = F⁻¹(F(a)·F(b)) to 1e-13; linear by zero-padding; 2-D; O(n²) vs FFT',
  source:
    'course-notes/001 lesson 25-11 (convolution theorem: c ∗ d = IDFT(DFT c ⊙ DFT d), O(n log n))',
  run() {
    const r = convolutionTheorem();
    const t = timingCrossover();
    const box = boxes();
    const idx = (x: Float64Array) => Array.from(x, (_, i) => i);
    return {
      checks: [
        ...r.circular.map((c) => ({
          quantity: `max|a⊛b − irfft(rfft a·rfft b)|, n = ${c.n}`,
          measured: c.error,
          theory: 0,
          note: `round-off: ${c.relativeToScale.toFixed(3)}·ε·log₂n·‖a‖‖b‖; complex fft/ifft ${c.complexError.toExponential(1)}`,
        })),
        {
          quantity: `linear a∗b (p = ${r.p}, q = ${r.q}) by zero-padding to p + q − 1`,
          measured: r.linearError,
          theory: 0,
          note: 'max abs error vs the direct sum',
        },
        {
          quantity: `unpadded length-p FFT product vs (a∗b)ₖ + (a∗b)ₖ₊ₚ`,
          measured: r.aliasingError,
          theory: 0,
          note: `aliasing identity; vs a∗b itself: ${r.unpaddedError.toFixed(2)} (wrong without padding)`,
        },
        {
          quantity: `2-D circular, ${r.n2d}×${r.n2d}, rfft2/irfft2 vs O(n⁴) loop`,
          measured: r.error2d,
          theory: 0,
          note: 'max abs error',
        },
      ],
      remarks: [
        `timing (this machine, indicative, not asserted): ${t.rows
          .map(
            (x) => `n = ${x.n}: ${x.directMs.toFixed(3)} ms direct, ${x.fftMs.toFixed(3)} ms FFT`,
          )
          .join('; ')}`,
        `the FFT route first wins at n = ${t.crossover}`,
        'the notes write c ∗ d = IDFT(DFT c ⊙ DFT d) for the linear convolution: that holds for the circular one, or for the linear one once both signals are zero-padded to p + q − 1 (the unpadded row above shows the wrap-round)',
      ],
      figure: panels('The convolution theorem', [
        lineChart(
          [
            ...series('direct Σ aⱼbₖ₋ⱼ', idx(box.direct), box.direct),
            ...series('F⁻¹(F a·F b), zero-padded', idx(box.viaFft), box.viaFft),
          ],
          {
            title: 'Box ∗ box = triangle (linear, by padding)',
            xTitle: 'k',
            yTitle: '(a ∗ b)ₖ',
            pointSeries: ['F⁻¹(F a·F b), zero-padded'],
          },
        ),
        lineChart(
          [
            ...series(
              'direct O(n²)',
              t.rows.map((x) => x.n),
              t.rows.map((x) => x.directMs),
            ),
            ...series(
              'FFT O(n log n)',
              t.rows.map((x) => x.n),
              t.rows.map((x) => x.fftMs),
            ),
          ],
          {
            title: 'Circular convolution: wall time',
            xTitle: 'n',
            yTitle: 'ms',
            logX: true,
            logY: true,
          },
        ),
      ]),
    };
  },
};
