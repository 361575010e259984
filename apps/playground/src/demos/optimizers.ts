/**
 * Optimiser race on 2-D test functions: first-order methods (GD with Armijo backtracking, heavy-ball
 * momentum, Nesterov, Adam) against quasi-Newton (BFGS, L-BFGS) and Newton, from the same start.
 */
import { grad } from '@sciml/autodiff';
import { type NDArray, array } from '@sciml/linalg';
import {
  type GradientOptimizer,
  type TestProblem,
  adam,
  beale,
  booth,
  minimize,
  momentum,
  nesterov,
  rosenbrock,
} from '@sciml/optim';
import { pathsOverContour } from '../plots.js';
import type { Demo, DemoResult } from './types.js';

/** The functions on offer, by slider index. */
export const PROBLEMS: { make: () => TestProblem; box: [number, number, number, number] }[] = [
  { make: () => rosenbrock(2), box: [-2, 2, -1, 3] },
  { make: beale, box: [-4.5, 4.5, -4.5, 4.5] },
  { make: booth, box: [-10, 10, -10, 10] },
];

/** One method's run: its path and f along it. */
export interface Race {
  method: string;
  path: [number, number][];
  f: number[];
}

function deterministic(
  p: TestProblem,
  method: 'gd' | 'bfgs' | 'lbfgs' | 'newton',
  maxIter: number,
): Race {
  const path: [number, number][] = [[p.x0[0]!, p.x0[1]!]];
  const f: number[] = [p.f(array(p.x0)).item()];
  minimize(p.f, array(p.x0), {
    method,
    maxIter,
    gtol: 1e-10,
    callback: (x, fx) => {
      path.push([x[0]!, x[1]!]);
      f.push(fx);
    },
  });
  return { method: method === 'gd' ? 'GD (Armijo)' : method.toUpperCase(), path, f };
}

function firstOrder(p: TestProblem, name: string, opt: GradientOptimizer, steps: number): Race {
  const g = grad(p.f);
  let x: NDArray = array(p.x0);
  let state = opt.init(x);
  const path: [number, number][] = [[p.x0[0]!, p.x0[1]!]];
  const f: number[] = [p.f(x).item()];
  for (let k = 0; k < steps; k++) {
    const next = opt.update(x, g(x), state);
    x = next.params;
    state = next.state;
    const v = x.dataSync();
    path.push([v[0]!, v[1]!]);
    f.push(p.f(x).item());
  }
  return { method: name, path, f };
}

/** Every method on problem `index` with `iterations` steps (first-order) or iteration cap (the others). */
export function race(index: number, iterations: number): Race[] {
  const p = PROBLEMS[index]!.make();
  return [
    deterministic(p, 'gd', iterations),
    firstOrder(p, 'momentum', momentum({ lr: 1e-3, momentum: 0.9 }), iterations),
    firstOrder(p, 'Nesterov', nesterov({ lr: 1e-3, momentum: 0.9 }), iterations),
    firstOrder(p, 'Adam', adam({ lr: 0.05 }), iterations),
    deterministic(p, 'bfgs', iterations),
    deterministic(p, 'lbfgs', iterations),
    deterministic(p, 'newton', iterations),
  ];
}

export const optimizersDemo: Demo = {
  id: 'optimizers',
  title: 'Optimiser race',
  about:
    'From the standard start of each test function (0: Rosenbrock, 1: Beale, 2: Booth), every method runs ' +
    'up to the chosen number of iterations. Gradient descent converges linearly at a rate set by the ' +
    'condition number, momentum methods improve that to √κ, BFGS is superlinear and Newton quadratic near ' +
    'the minimum: the table gives each method’s final f and the iterations it needed to reach f < 1e-8.',
  params: [
    {
      name: 'problem',
      label: 'function (0 Rosenbrock, 1 Beale, 2 Booth)',
      min: 0,
      max: 2,
      step: 1,
      value: 0,
    },
    { name: 'iterations', label: 'iterations', min: 50, max: 2000, step: 50, value: 500 },
  ],
  async run(params, ctx): Promise<DemoResult> {
    const index = params.problem!;
    ctx.progress({ fraction: 0.1, message: 'running seven optimisers' });
    const runs = race(index, params.iterations!);
    const { make, box } = PROBLEMS[index]!;
    const p = make();
    const grid: { x: number; y: number; logf: number }[] = [];
    const n = 60;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const x = box[0] + ((box[1] - box[0]) * (i + 0.5)) / n;
        const y = box[2] + ((box[3] - box[2]) * (j + 0.5)) / n;
        grid.push({ x, y, logf: Math.log10(p.f(array([x, y])).item() + 1e-12) });
      }
    }
    const inBox = ([x, y]: [number, number]) =>
      x >= box[0] && x <= box[1] && y >= box[2] && y <= box[3];
    const paths = runs.flatMap((r) =>
      r.path.filter(inBox).map(([x, y], k) => ({ method: r.method, x, y, k })),
    );
    const numbers: Record<string, number> = {};
    const lines: string[] = [];
    for (const r of runs) {
      const final = r.f.at(-1)!;
      const reached = r.f.findIndex((v) => v - p.fStar < 1e-8);
      numbers[`${r.method} f`] = final;
      numbers[`${r.method} iterations to 1e-8`] = reached < 0 ? Number.NaN : reached;
      lines.push(
        `${r.method}: f = ${final.toExponential(2)}, ${reached < 0 ? 'not below 1e-8' : `below 1e-8 after ${reached} iterations`}`,
      );
    }
    return { numbers, lines, plots: [pathsOverContour(`paths on ${p.name}`, grid, paths)] };
  },
};
