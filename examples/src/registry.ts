/** Every example, in the order of the gallery (examples/README.md). */
import { example as deblurring } from './deblurring.js';
import { example as doubleDescent } from './double-descent.js';
import { example as eckartYoung } from './eckart-young.js';
import { example as edgeOfStability } from './edge-of-stability.js';
import { example as heatSnapshots } from './heat-snapshots.js';
import type { Example } from './lib/example.js';
import { example as optimiserRace } from './optimiser-race.js';
import { example as pagerank } from './pagerank.js';

export const EXAMPLES: readonly Example[] = [
  doubleDescent,
  edgeOfStability,
  optimiserRace,
  eckartYoung,
  heatSnapshots,
  pagerank,
  deblurring,
];
