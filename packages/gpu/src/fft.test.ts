/**
 * complex64 arrays and the FFT on the GPU (lavapipe in CI) against the CPU in float64: the Stockham kernel for
 * every power-of-two length up to 2¹⁴ and Bluestein's chirp-z for other lengths, batched rows, other axes, the inverse and the norms; linalg's complex
 * ops, which are built from the two views and real kernels, on complex64 storage; typed errors for what the
 * backend does not run on complex arrays.
 */
import { describeWithGpu } from '@sciml/config/test-helpers';
import { grad } from '@sciml/autodiff';
import * as la from '@sciml/linalg';
import { afterAll, expect, it } from 'vitest';
import { freshSeed, input, rngFor } from './test-utils/compare.js';
import { probeGpu, relError } from './test-utils/probe.js';

const seed = freshSeed();

describeWithGpu(
  `complex64 and the FFT on the GPU vs the CPU in float64 (seed ${seed})`,
  () => probeGpu(),
  (gpu) => {
    afterAll(() => gpu().destroy());
    const rng = rngFor(seed);
    /** f on the GPU (float32 → complex64) and on the CPU (float64 → complex128), interleaved values. */
    const both = async (shape: number[], f: (x: la.NDArray) => la.NDArray) => {
      const x = input(rng, shape);
      const onGpu = la.fromTypedArray(Float32Array.from(x.values), shape, { backend: gpu() });
      const out = f(onGpu);
      const got = Array.from(await out.data());
      const ref = f(la.fromTypedArray(Float64Array.from(x.values), shape));
      const result = { got, want: Array.from(ref.dataSync()), dtype: out.dtype, shape: out.shape };
      expect(result.shape).toEqual(ref.shape);
      expect(result.got.length).toBe(result.want.length);
      out.dispose();
      onGpu.dispose();
      return result;
    };

    it('fft of batched rows for every power-of-two length 1 … 2¹⁴: float32 rounding of the float64 result', async () => {
      for (let p = 0; p <= 14; p++) {
        const n = 2 ** p;
        const rows = p <= 10 ? 3 : 1;
        const { got, want, dtype } = await both([rows, n], (x) => la.fft(x));
        expect(dtype).toBe('complex64');
        // a float32 FFT's relative L2 error grows like √log₂ n roundings (bounded here by a linear allowance)
        expect(relError(got, want), `n = ${n}`).toBeLessThan(2e-7 * (p + 2));
      }
    });

    it('ifft(fft(x)) = x, the norms, and other axes', async () => {
      for (const norm of ['backward', 'ortho', 'forward'] as const) {
        const { got, want } = await both([4, 64], (x) => la.fft(x, { norm }));
        expect(relError(got, want), norm).toBeLessThan(2e-6);
      }
      const round = await both([5, 256], (x) => la.real(la.ifft(la.fft(x))));
      expect(relError(round.got, round.want)).toBeLessThan(2e-6);
      const axis0 = await both([32, 3], (x) => la.fft(x, { axis: 0 }));
      expect(relError(axis0.got, axis0.want)).toBeLessThan(2e-6);
      const two = await both([16, 32], (x) => la.fft2(x));
      expect(relError(two.got, two.want)).toBeLessThan(2e-6);
      // a length set by n: zero padding up to a power of two
      const padded = await both([2, 100], (x) => la.fft(x, { n: 128 }));
      expect(relError(padded.got, padded.want)).toBeLessThan(2e-6);
    });

    it('rfft and irfft, and a gradient through the fft, as on the CPU', async () => {
      const r = await both([3, 64], (x) => la.rfft(x));
      expect(relError(r.got, r.want)).toBeLessThan(2e-6);
      const back = await both([3, 64], (x) => la.irfft(la.rfft(x), { n: 64 }));
      expect(relError(back.got, back.want)).toBeLessThan(2e-6);
      // d/dx Σ|F x|² = 2n·x (Parseval), through viewAsComplex, fft, abs and their rules
      const g = await both([32], (x) =>
        grad((v: la.NDArray) => la.sum(la.square(la.abs(la.fft(v)))))(x),
      );
      expect(relError(g.got, g.want)).toBeLessThan(5e-6);
    });

    it('Parseval: Σ|x|² = Σ|X|²/n on the GPU', async () => {
      const x = input(rng, [1024]);
      const g = la.fromTypedArray(Float32Array.from(x.values), [1024], { backend: gpu() });
      const energyX = la.sum(la.mul(g, g));
      const X = la.fft(g);
      const energyF = la.sum(la.square(la.abs(X)));
      const ex = (await energyX.data())[0]!;
      const ef = (await energyF.data())[0]! / 1024;
      expect(Math.abs(ex - ef) / ex).toBeLessThan(1e-5);
      for (const a of [g, energyX, X, energyF]) a.dispose();
    });

    it('complex arithmetic on complex64 storage equals the CPU: mul, conj, exp, abs, sum, matmul, transpose', async () => {
      const z = (x: la.NDArray) => la.fft(x); // a complex array with unrelated real and imaginary parts
      const cases: ((x: la.NDArray) => la.NDArray)[] = [
        (x) => la.mul(z(x), la.conj(z(x))),
        (x) => la.exp(la.mul(z(x), 0.1)),
        (x) => la.abs(z(x)),
        (x) => la.sum(z(x), { axis: 1 }),
        (x) => la.matmul(z(x), la.transpose(z(x))),
      ];
      for (const f of cases) {
        const { got, want } = await both([4, 8], f);
        expect(relError(got, want)).toBeLessThan(5e-6);
      }
    });

    it('moves complex64 between the CPU and the GPU both ways, bit for bit', async () => {
      const values = Float32Array.from([1, -2, 3.5, 0.25, -0, 7]);
      const c = la.viewAsComplex(la.fromTypedArray(values, [3, 2]));
      const g = la.toBackend(c, gpu());
      expect(g.dtype).toBe('complex64');
      const back = await la.toBackendAsync(g, 'cpu');
      expect(Array.from(back.dataSync() as Float32Array)).toEqual(Array.from(values));
      g.dispose();
    });

    it('any other length by Bluestein: 3 … 1000 and primes, batched, inverse and norms, as the CPU in float64', async () => {
      // lengths 2ⁱ + 1 need m = 4·2ⁱ (the largest padding), primes have no smooth factor, 1000 = 2³·5³
      for (const n of [3, 5, 6, 7, 12, 17, 31, 33, 100, 127, 257, 1000, 1009]) {
        const rows = n < 200 ? 3 : 1;
        const { got, want, dtype } = await both([rows, n], (x) => la.fft(x));
        expect(dtype).toBe('complex64');
        // three float32 transforms of length m ≤ 4n and the chirp products: a few roundings per log₂ m
        expect(relError(got, want), `n = ${n}`).toBeLessThan(4e-7 * (Math.log2(4 * n) + 2));
      }
      for (const norm of ['backward', 'ortho', 'forward'] as const) {
        const inv = await both([2, 45], (x) => la.ifft(x, { norm }));
        expect(relError(inv.got, inv.want), norm).toBeLessThan(1e-5);
      }
      const round = await both([3, 99], (x) => la.real(la.ifft(la.fft(x))));
      expect(relError(round.got, round.want)).toBeLessThan(1e-5);
      const axis0 = await both([21, 4], (x) => la.fft(x, { axis: 0 }));
      expect(relError(axis0.got, axis0.want)).toBeLessThan(1e-5);
      const r = await both([2, 30], (x) => la.irfft(la.rfft(x), { n: 30 }));
      expect(relError(r.got, r.want)).toBeLessThan(1e-5);
    });

    it('refuses a real-only kernel on complex64, naming viewAsReal', async () => {
      const g = la.fromTypedArray(Float32Array.from(input(rng, [12]).values), [12], {
        backend: gpu(),
      });
      const z = la.fft(g);
      expect(() => la.bind('exp', [z], {})).toThrow(la.DTypeError);
      expect(() => la.bind('exp', [z], {})).toThrow(/viewAsReal/);
      for (const a of [g, z]) a.dispose();
    });
  },
);
