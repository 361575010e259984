/** Every page of the playground, in menu order. */
import { gpuDemo } from './gpu.js';
import { langevinDemo } from './langevin.js';
import { optimizersDemo } from './optimizers.js';
import { pinnDemo } from './pinn.js';
import { sindyDemo } from './sindy.js';
import { solversDemo } from './solvers.js';
import { svdDemo } from './svd.js';
import type { Demo } from './types.js';

export const DEMOS: readonly Demo[] = [
  sindyDemo,
  optimizersDemo,
  svdDemo,
  pinnDemo,
  langevinDemo,
  solversDemo,
  gpuDemo,
];

/** The demo with this id (a TypeError names the ids that exist otherwise). */
export function demoById(id: string): Demo {
  const demo = DEMOS.find((d) => d.id === id);
  if (!demo) throw new TypeError(`no demo '${id}'; pages: ${DEMOS.map((d) => d.id).join(', ')}`);
  return demo;
}

export type { BackendChoice, Demo, DemoResult, ParamSpec, Progress } from './types.js';
export { defaults } from './types.js';
