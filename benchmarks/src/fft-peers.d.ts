// Minimal typings of the FFT peers (they ship none): only what fft.bench.ts calls.
declare module 'fft.js' {
  /** fft.js radix-4 FFT of a power-of-two size (interleaved re, im arrays). */
  export default class FFT {
    constructor(size: number);
    createComplexArray(): number[];
    transform(out: number[], data: ArrayLike<number>): void;
    realTransform(out: number[], data: ArrayLike<number>): void;
    completeSpectrum(spectrum: number[]): void;
  }
}

declare module 'ndarray' {
  /** A strided view of a typed array (scijs ndarray). */
  export interface NdArray {
    readonly data: Float64Array;
    readonly shape: number[];
  }
  export default function ndarray(data: Float64Array, shape?: number[]): NdArray;
}

declare module 'ndarray-fft' {
  import type { NdArray } from 'ndarray';
  /** In-place FFT of split real/imaginary ndarrays along every axis (dir 1 forward, −1 inverse). */
  export default function fft(dir: 1 | -1, re: NdArray, im: NdArray): void;
}
