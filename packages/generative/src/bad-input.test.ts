// Misuses of @sciml/generative a newcomer meets first (issue 25): the typed error names the public function.
import { describeBadInput } from '@sciml/config/test-helpers';
import { Generator, ValueError, array, zeros } from '@sciml/linalg';
import {
  cosineSchedule,
  gaussianWaveFunction,
  harmonicTrap,
  initRbm,
  exactIsingObservables,
  independentChainsMean,
  isingSamples,
  langevinSample,
  mmd2,
  probabilityFlow,
  qSample,
  rbmLogZ,
  reverseSdeSample,
  ringMixture,
  vmcEnergy,
  vpSde,
} from './index.js';

const rng = new Generator(0);

describeBadInput('generative', [
  {
    call: 'cosineSchedule({ timesteps: 0 })',
    run: () => cosineSchedule({ timesteps: 0 }),
    error: ValueError,
    op: 'cosineSchedule',
  },
  {
    call: 'qSample(schedule, x0, t = 50) with T = 10',
    run: () => qSample(cosineSchedule({ timesteps: 10 }), zeros([2, 2]), 50, { rng }),
    error: ValueError,
    op: 'qSample',
    says: ['[1, 10]'],
  },
  {
    call: 'qSample(schedule, [[1]], 5) (a plain array)',
    run: () => qSample(cosineSchedule({ timesteps: 10 }), [[1]] as never, 5, { rng }),
    error: ValueError,
    op: 'qSample',
    says: ['NDArray'],
  },
  {
    call: 'langevinSample(score, x, { stepSize: -1 })',
    run: () => langevinSample((v) => v, zeros([3]), { stepSize: -1, steps: 10, rng }),
    error: ValueError,
    op: 'langevinSample',
  },
  {
    call: 'mmd2(x, y) with a 1-D x',
    run: () => mmd2(array([1, 2, 3]), zeros([3, 1])),
    error: ValueError,
    op: 'mmd2',
    says: ['[n, d]'],
  },
  {
    call: 'ringMixture(10, { rng, std: 0 })',
    run: () => ringMixture(10, { rng, std: 0 }),
    error: ValueError,
    op: 'ringMixture',
  },
  {
    call: 'vmcEnergy(wf, theta of the wrong length)',
    run: () => vmcEnergy(gaussianWaveFunction(), new Float64Array(3), harmonicTrap(), { rng }),
    error: ValueError,
    op: 'vmcEnergy',
    says: ['nParams'],
  },
  {
    call: 'rbmLogZ(params) of a 30 × 30 RBM',
    run: () => rbmLogZ(initRbm(30, 30, { rng })),
    error: ValueError,
    op: 'rbmLogZ',
    says: ['aisLogZ'],
  },
  {
    call: 'isingSamples({ L: 1 })',
    run: () => isingSamples({ rng, L: 1, temperature: 2, n: 1 }),
    error: ValueError,
    op: 'isingSamples',
  },
  {
    call: 'exactIsingObservables(12, 2) (too large to sum)',
    run: () => exactIsingObservables(12, 2),
    error: ValueError,
    op: 'exactIsingObservables',
    says: ['isingSamples'],
  },
  {
    call: 'independentChainsMean([[1, 2, 3]]) (one chain)',
    run: () => independentChainsMean([[1, 2, 3]]),
    error: ValueError,
    op: 'independentChainsMean',
    says: ['at least 2 chains'],
  },
  {
    call: 'vpSde({ betaMin: 5, betaMax: 1 })',
    run: () => vpSde({ betaMin: 5, betaMax: 1 }),
    error: ValueError,
    op: 'vpSde',
    says: ['betaMin ≤ betaMax'],
  },
  {
    call: 'reverseSdeSample(score, sde, { n: 4, dim: 2, xT: [3, 2] })',
    run: () => reverseSdeSample((x) => x, vpSde(), { rng, n: 4, dim: 2, xT: zeros([3, 2]) }),
    error: ValueError,
    op: 'reverseSdeSample',
    says: ['[4, 2]'],
  },
  {
    call: 'probabilityFlow(score, sde, x, 0, 1) (from t = 0, where the score is singular)',
    run: () => probabilityFlow((x) => x, vpSde(), zeros([3, 2]), 0, 1),
    error: ValueError,
    op: 'probabilityFlow',
    says: ['(0, 1]'],
  },
]);
