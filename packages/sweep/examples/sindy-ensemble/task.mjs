// One job of the SINDy ensemble: Lorenz-63 samples with Gaussian noise of `noise` × the data's RMS, a SINDy fit
// with sequentially thresholded least squares at `threshold` (Brunton, Proctor & Kutz 2016), and the
// coefficient error ‖Ξ − Ξ_true‖_F / ‖Ξ_true‖_F against the true Lorenz coefficients.
import { fromTypedArray } from '@sciml/linalg';
import {
  Lorenz63,
  SINDy,
  polynomialLibrary,
  sampleTrajectory,
  savitzkyGolay,
  stlsq,
} from '@sciml/physics';

const DT = 0.002;
// Lorenz-63 (σ = 10, ρ = 28, β = 8/3) in the degree-2 library 1, x, y, z, x², xy, xz, y², yz, z²
const TRUE_XI = [
  [0, -10, 10, 0, 0, 0, 0, 0, 0, 0],
  [0, 28, -1, 0, 0, 0, -1, 0, 0, 0],
  [0, 0, 0, -8 / 3, 0, 1, 0, 0, 0, 0],
].flat();

// The clean trajectory is the same for every job: computed once per worker
let clean;
function trajectory() {
  clean ??= sampleTrajectory(new Lorenz63(), {
    dt: DT,
    samples: 2000,
    transient: 1,
    y0: [-8, 8, 27],
  });
  return clean;
}

export default function sindyJob({ noise, threshold }, { rng }) {
  const { x } = trajectory();
  const values = x.dataSync();
  const rms = Math.sqrt(values.reduce((s, v) => s + v * v, 0) / values.length);
  const noisy = fromTypedArray(
    Float64Array.from(values, (v) => v + noise * rms * rng.nextNormal()),
    x.shape,
  );
  const model = new SINDy({
    library: polynomialLibrary({ degree: 2 }),
    optimizer: stlsq({ threshold }),
    differentiation: savitzkyGolay({ windowLength: 21 }),
  }).fit(noisy, { t: DT, featureNames: ['x', 'y', 'z'] });
  const xi = model.coefficients.dataSync();
  let diff = 0;
  let norm = 0;
  TRUE_XI.forEach((truth, k) => {
    diff += (xi[k] - truth) ** 2;
    norm += truth ** 2;
  });
  // support recovered: the same non-zero pattern as the true model
  const support = TRUE_XI.every((truth, k) => (truth === 0) === (xi[k] === 0));
  return {
    coefficients: model.coefficients,
    coefError: Math.sqrt(diff / norm),
    terms: model.complexity,
    support,
  };
}
