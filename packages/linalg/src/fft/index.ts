// The discrete Fourier transform (numpy.fft); re-exported by src/index.ts.
export {
  fft,
  fft2,
  fftn,
  ifft,
  ifft2,
  ifftn,
  irfft,
  irfft2,
  irfftn,
  rfft,
  rfft2,
  rfftn,
} from './fft.js';
export type { FftNOptions, FftNorm, FftOptions } from './fft.js';
export type { FftOut } from './out.js';
export { fftfreq, fftshift, ifftshift, rfftfreq } from './freq.js';
export type { FftFreqOptions } from './freq.js';
