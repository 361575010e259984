// A small hyper-parameter sweep: 16 Sobol' points over learning rate (log scale) × hidden width.
//   npx sciml-sweep run examples/hyperparameters/sweep.mjs --report --x lr --y width --metric valLoss
import { sobol } from '@sciml/sweep';

export const sweep = {
  task: new URL('./task.mjs', import.meta.url),
  design: sobol(
    { lr: { low: 0.01, high: 1, scale: 'log' }, width: { low: 4, high: 33, integer: true } },
    { n: 16 },
  ),
  out: 'runs/hyperparameters',
};
