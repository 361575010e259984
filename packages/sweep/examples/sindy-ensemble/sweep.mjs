// SINDy ensemble: 5 noise levels × 5 thresholds × 4 seeds = 100 jobs.
//   npx sciml-sweep run examples/sindy-ensemble/sweep.mjs --report --x noise --y threshold --metric coefError
import { geomspaceValues, grid, product, seeds } from '@sciml/sweep';

export const sweep = {
  task: new URL('./task.mjs', import.meta.url),
  design: product(
    grid({ noise: [0, 0.002, 0.005, 0.01, 0.02], threshold: geomspaceValues(0.02, 0.5, 5) }),
    seeds(4),
  ),
  out: 'runs/sindy-ensemble',
};
