/** Every example, in the order of the gallery (examples/README.md). */
import { example as biasVariance } from './bias-variance.js';
import { example as confidenceSets } from './confidence-sets.js';
import { example as convolutionTheorem } from './convolution-theorem.js';
import { example as deblurring } from './deblurring.js';
import { example as deeponetAntiderivative } from './deeponet-antiderivative.js';
import { example as doubleDescent } from './double-descent.js';
import { example as eckartYoung } from './eckart-young.js';
import { example as edgeOfStability } from './edge-of-stability.js';
import { example as heatSnapshots } from './heat-snapshots.js';
import type { Example } from './lib/example.js';
import { example as lorenzSindy } from './lorenz-sindy.js';
import { example as matrixCalculus } from './matrix-calculus.js';
import { example as optimiserRace } from './optimiser-race.js';
import { example as pagerank } from './pagerank.js';
import { example as pinnBoundaryConditions } from './pinn-boundary-conditions.js';
import { example as pullbacks } from './pullbacks.js';
import { example as rbmQuantumState } from './rbm-quantum-state.js';
import { example as universalApproximation } from './universal-approximation.js';
import { example as vmcHarmonicOscillator } from './vmc-harmonic-oscillator.js';

export const EXAMPLES: readonly Example[] = [
  doubleDescent,
  edgeOfStability,
  optimiserRace,
  eckartYoung,
  heatSnapshots,
  pagerank,
  deblurring,
  confidenceSets,
  matrixCalculus,
  pullbacks,
  universalApproximation,
  biasVariance,
  vmcHarmonicOscillator,
  convolutionTheorem,
  pinnBoundaryConditions,
  deeponetAntiderivative,
  rbmQuantumState,
  lorenzSindy,
];
