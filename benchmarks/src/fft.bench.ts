/**
 * FFT throughput, side by side with fft.js (radix-4, the most used JS FFT) and ndarray-fft (mixed radix +
 * Bluestein, the scijs FFT): complex and real transforms of 2¹⁰ … 2²⁰ points (float64; ours also in complex64)
 * and a 512×512 fft2. Run with `pnpm bench fft` (`SCIML_FFT_MAX_LOG2=16` for a quick look).
 *
 * Each peer runs its own idiom on the same data: fft.js `transform`/`realTransform` (+ `completeSpectrum`)
 * into a preallocated output, ndarray-fft in place on split re/im arrays (copied from the input each call,
 * since it overwrites them; its direction −1 has NumPy's forward sign and a 1/n scaling pass, its +1 the
 * opposite sign). Ours runs twice: `out=` rows write into a preallocated typed array (`fft(z, { out })`, the
 * like-for-like comparison with fft.js's `transform(out, data)`), `allocating` rows return a fresh array per
 * call (the plain NDArray API, which also pays for the allocation and its garbage collection). fft.js has no
 * 2-D transform: its fft2 row is its 1-D `transform` on the 512 rows, then on each column gathered into a
 * contiguous array and scattered back (what a user of it writes). Every case first checks that the
 * contenders' spectra agree (max error relative to max |X| below 1e-9 in float64).
 *
 * Timed in process CPU time (user + system of every thread, so each contender pays for its own garbage
 * collection), not wall time: on a shared, loaded machine wall time mostly measures the other processes.
 */

import { complex, fft, fft2, fromTypedArray, type NDArray, rfft } from '@sciml/linalg';
import FFT from 'fft.js';
import ndarray from 'ndarray';
import ndFft from 'ndarray-fft';
import { type BenchCase, type Peer, runBenchmark } from './harness/index.js';

const MAX_LOG2 = Number(process.env.SCIML_FFT_MAX_LOG2 ?? 20);

/** Deterministic test signal. */
function signal(n: number, phase: number): Float64Array {
  return Float64Array.from(
    { length: n },
    (_, i) => Math.sin(0.37 * i + phase) + 0.25 * Math.cos(1.3 * i * i),
  );
}

/** Interleaved spectrum of whatever a contender returned. */
function interleaved(x: unknown): Float64Array {
  if (x instanceof Float64Array) return x;
  if (x instanceof Float32Array) return Float64Array.from(x);
  if (Array.isArray(x)) return Float64Array.from(x as number[]);
  const { re, im, scale } = x as { re: Float64Array; im: Float64Array; scale: number };
  const out = new Float64Array(2 * re.length);
  for (let i = 0; i < re.length; i++) {
    out[2 * i] = re[i]! * scale;
    out[2 * i + 1] = im[i]! * scale;
  }
  return out;
}

/** Throws unless the peer's spectrum (first `count` bins) matches ours to `tol` relative to max |X|. */
function agree(count: number, tol: number) {
  return (ours: unknown, peer: unknown, peerName: string): void => {
    const a = interleaved((ours as NDArray).dataSync());
    const b = interleaved(peer);
    let err = 0;
    let scale = 0;
    for (let i = 0; i < 2 * count; i++) {
      err = Math.max(err, Math.abs(a[i]! - b[i]!));
      scale = Math.max(scale, Math.abs(a[i]!));
    }
    if (!(err <= tol * scale))
      throw new Error(`${peerName}: spectrum differs by ${err / scale} relative`);
  };
}

function ndarrayFftPeer(re: Float64Array, im: Float64Array, shape: number[]): Peer {
  const xr = new Float64Array(re.length);
  const xi = new Float64Array(im.length);
  return {
    name: 'ndarray-fft (in place)',
    run: () => {
      xr.set(re);
      xi.set(im);
      // ndarray-fft's dir 1 is e^{+2πi jk/n}; dir −1 is numpy's forward sign, scaled by 1/n (undone in verify)
      ndFft(-1, ndarray(xr, shape), ndarray(xi, shape));
      return { re: xr, im: xi, scale: re.length };
    },
  };
}

const cases: BenchCase[] = [];
for (let log2 = 10; log2 <= MAX_LOG2; log2 += 2) {
  const n = 2 ** log2;
  const re = signal(n, 0.1);
  const im = signal(n, 0.7);
  const z = complex(fromTypedArray(re), fromTypedArray(im));
  const z32 = complex(fromTypedArray(Float32Array.from(re)), fromTypedArray(Float32Array.from(im)));
  const plan = new FFT(n);
  const input = plan.createComplexArray() as number[];
  for (let i = 0; i < n; i++) {
    input[2 * i] = re[i]!;
    input[2 * i + 1] = im[i]!;
  }
  const out = plan.createComplexArray() as number[];
  const work = 5 * n * log2; // the conventional FFT flop count 5 n log₂ n
  // ndarray-fft's error grows faster than n (2.7e-9 of max |X| at 2^16, 7.4e-7 at 2^20, where ours and
  // fft.js agree to 1e-15), so the sanity check's tolerance grows with it
  const peerTol = 1e-9 * Math.max(1, (n / 4096) ** 1.5);
  const fftJs: Peer = {
    name: 'fft.js transform',
    run: () => {
      plan.transform(out, input);
      return out;
    },
  };
  const fftJs64: Peer = { ...fftJs, name: 'fft.js transform (float64)' };
  const zOut = new Float64Array(2 * n);
  const z32Out = new Float32Array(2 * n);
  cases.push({
    case: `complex fft n=2^${log2} float64, out=`,
    ours: () => fft(z, { out: zOut }),
    peers: [fftJs, ndarrayFftPeer(re, im, [n])],
    work,
    unit: 'GFLOP/s',
    verify: agree(n, peerTol),
  });
  cases.push({
    case: `complex fft n=2^${log2} float64, allocating`,
    ours: () => fft(z),
    peers: [fftJs],
    work,
    unit: 'GFLOP/s',
    verify: agree(n, peerTol),
  });
  cases.push({
    case: `complex fft n=2^${log2} complex64, out=`,
    ours: () => fft(z32, { out: z32Out }),
    peers: [fftJs64],
    work,
    unit: 'GFLOP/s',
    verify: agree(n, 1e-5),
  });
  cases.push({
    case: `complex fft n=2^${log2} complex64, allocating`,
    ours: () => fft(z32),
    peers: [fftJs64],
    work,
    unit: 'GFLOP/s',
    verify: agree(n, 1e-5),
  });
  const x = fromTypedArray(re);
  const realOut = plan.createComplexArray() as number[];
  const fftJsReal: Peer = {
    name: 'fft.js realTransform + completeSpectrum',
    run: () => {
      plan.realTransform(realOut, re);
      plan.completeSpectrum(realOut);
      return realOut;
    },
  };
  const fftJsReal64: Peer = { ...fftJsReal, name: `${fftJsReal.name} (float64)` };
  const xOut = new Float64Array(n + 2);
  const x32 = fromTypedArray(Float32Array.from(re));
  const x32Out = new Float32Array(n + 2);
  const realWork = 2.5 * n * log2;
  cases.push({
    case: `real fft n=2^${log2} float64, out=`,
    ours: () => rfft(x, { out: xOut }),
    peers: [fftJsReal, ndarrayFftPeer(re, new Float64Array(n), [n])],
    work: realWork,
    unit: 'GFLOP/s',
    verify: agree(n / 2 + 1, peerTol),
  });
  cases.push({
    case: `real fft n=2^${log2} float64, allocating`,
    ours: () => rfft(x),
    peers: [fftJsReal],
    work: realWork,
    unit: 'GFLOP/s',
    verify: agree(n / 2 + 1, peerTol),
  });
  cases.push({
    case: `real fft n=2^${log2} float32, out=`,
    ours: () => rfft(x32, { out: x32Out }),
    peers: [fftJsReal64],
    work: realWork,
    unit: 'GFLOP/s',
    verify: agree(n / 2 + 1, 1e-5),
  });
  cases.push({
    case: `real fft n=2^${log2} float32, allocating`,
    ours: () => rfft(x32),
    peers: [fftJsReal64],
    work: realWork,
    unit: 'GFLOP/s',
    verify: agree(n / 2 + 1, 1e-5),
  });
}

/**
 * fft.js's 2-D transform of a side × side grid (interleaved input): `transform` on each row, then on each
 * column, gathered into a contiguous array and scattered back.
 */
function fftJs2d(input: Float64Array, side: number): Peer {
  const plan = new FFT(side);
  const grid = new Float64Array(2 * side * side);
  const col = new Float64Array(2 * side);
  const colOut = new Float64Array(2 * side);
  return {
    name: 'fft.js transform, rows then columns',
    run: () => {
      for (let r = 0; r < side; r++) {
        const at = 2 * r * side;
        plan.transform(
          grid.subarray(at, at + 2 * side) as unknown as number[],
          input.subarray(at, at + 2 * side) as unknown as number[],
        );
      }
      for (let c = 0; c < side; c++) {
        for (let r = 0; r < side; r++) {
          col[2 * r] = grid[2 * (r * side + c)]!;
          col[2 * r + 1] = grid[2 * (r * side + c) + 1]!;
        }
        plan.transform(colOut as unknown as number[], col as unknown as number[]);
        for (let r = 0; r < side; r++) {
          grid[2 * (r * side + c)] = colOut[2 * r]!;
          grid[2 * (r * side + c) + 1] = colOut[2 * r + 1]!;
        }
      }
      return grid;
    },
  };
}

{
  const side = 512;
  const re = signal(side * side, 0.3);
  const im = signal(side * side, 0.9);
  const z = complex(fromTypedArray(re, [side, side]), fromTypedArray(im, [side, side]));
  const interleavedInput = new Float64Array(2 * side * side);
  for (let i = 0; i < side * side; i++) {
    interleavedInput[2 * i] = re[i]!;
    interleavedInput[2 * i + 1] = im[i]!;
  }
  const work2 = 5 * side * side * Math.log2(side * side);
  const fft2Out = new Float64Array(2 * side * side);
  cases.push({
    case: 'fft2 512x512 float64, out=',
    ours: () => fft2(z, { out: fft2Out }),
    peers: [fftJs2d(interleavedInput, side), ndarrayFftPeer(re, im, [side, side])],
    work: work2,
    unit: 'GFLOP/s',
    // ndarray-fft's 2-D spectrum differs from ours by 2.7e-9 of max |X| here (ours agrees with the direct DFT
    // to 1e-13 in the tests), so this sanity check takes 1e-8 — 1e-9 made the whole run throw at this case
    verify: agree(side * side, 1e-8),
  });
  cases.push({
    case: 'fft2 512x512 float64, allocating',
    ours: () => fft2(z),
    peers: [fftJs2d(interleavedInput, side)],
    work: work2,
    unit: 'GFLOP/s',
    verify: agree(side * side, 1e-8),
  });
  const z32 = complex(
    fromTypedArray(Float32Array.from(re), [side, side]),
    fromTypedArray(Float32Array.from(im), [side, side]),
  );
  const fft2Out32 = new Float32Array(2 * side * side);
  cases.push({
    case: 'fft2 512x512 complex64, out=',
    ours: () => fft2(z32, { out: fft2Out32 }),
    peers: [fftJs2d(interleavedInput, side)],
    work: work2,
    unit: 'GFLOP/s',
    verify: agree(side * side, 1e-5),
  });
}

/** Process CPU time in milliseconds. */
function cpuClock(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

// 11 timed rounds (not 15) keep the run near a minute on a quiet machine: ndarray-fft takes ~0.1 s at 2^20
await runBenchmark({ name: 'fft', cases, clock: cpuClock, reps: 11 });
