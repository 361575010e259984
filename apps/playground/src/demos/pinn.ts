/**
 * A physics-informed network for −u″ = π² sin(πx) on [0, 1] with u(0) = u(1) = 0 (exact u = sin πx):
 * the boundary values hold exactly through û = x(1 − x)·N(x) (Lagaris et al. 1998); Adam, then L-BFGS.
 */
import { Generator, add, linspace, mul, reshape, sin } from '@sciml/linalg';
import { linear, sequential, tanh } from '@sciml/nn';
import { type PinnLogRecord, hardDirichlet, interval, trainPinn } from '@sciml/physics';
import { lineChart } from '../plots.js';
import type { Demo, DemoResult } from './types.js';

/** Trains the PINN with `width` hidden units and returns the solution's relative L2 error on 101 points. */
export function trainPoissonPinn(
  opts: { width: number; adamSteps: number; lbfgsIter: number; seed: number },
  onLog?: (r: PinnLogRecord) => void,
) {
  const domain = interval(0, 1);
  const net = sequential(linear(opts.width), tanh, linear(opts.width), tanh, linear(1));
  const result = trainPinn({
    net,
    params: net.init(new Generator(opts.seed), [1]),
    pde: {
      residual: (D) => add(D.d(0, 0), mul(Math.PI ** 2, sin(mul(Math.PI, D.x)))),
      points: domain.sampleInterior(32, { sampler: 'uniform' }),
    },
    transform: hardDirichlet(domain.boundaryDistance),
    adam: { steps: opts.adamSteps, lr: 1e-2 },
    lbfgs: { maxIter: opts.lbfgsIter },
    logEvery: 10,
    ...(onLog ? { onLog } : {}),
  });
  const xs = reshape(linspace(0, 1, 101), [101, 1]);
  const u = result.predict(xs).dataSync();
  const x = xs.dataSync();
  let num = 0;
  let den = 0;
  for (let i = 0; i < 101; i++) {
    const exact = Math.sin(Math.PI * x[i]!);
    num += (u[i]! - exact) ** 2;
    den += exact ** 2;
  }
  return { result, x: Array.from(x), u: Array.from(u), l2: Math.sqrt(num / den) };
}

export const pinnDemo: Demo = {
  id: 'pinn',
  title: 'PINN for a 1-D Poisson problem',
  about:
    'A tanh network N(x) with two hidden layers, output û = x(1 − x)·N(x), is trained so that û″ + π² sin πx ' +
    'vanishes at 32 collocation points: Adam (lr 0.01), then L-BFGS. The loss curve updates live; the ' +
    'relative L2 error against the exact solution sin πx is measured on 101 points.',
  params: [
    { name: 'width', label: 'hidden units per layer', min: 4, max: 32, step: 4, value: 16 },
    { name: 'adamSteps', label: 'Adam steps', min: 0, max: 1000, step: 50, value: 200 },
    { name: 'lbfgsIter', label: 'L-BFGS iterations', min: 0, max: 300, step: 25, value: 100 },
  ],
  async run(p, ctx): Promise<DemoResult> {
    const total = p.adamSteps! + p.lbfgsIter! || 1;
    const curve: { step: number; loss: number; phase: string }[] = [];
    const out = trainPoissonPinn(
      { width: p.width!, adamSteps: p.adamSteps!, lbfgsIter: p.lbfgsIter!, seed: 0 },
      (r) => {
        const step = r.phase === 'adam' ? r.step : p.adamSteps! + r.step;
        curve.push({ step, loss: r.loss, phase: r.phase });
        ctx.progress({
          fraction: Math.min(1, step / total),
          message: `${r.phase} step ${r.step}: loss ${r.loss.toExponential(3)}`,
          plots: [lossPlot(curve)],
        });
      },
    );
    const rows = out.x.flatMap((x, i) => [
      { x, u: out.u[i]!, which: 'PINN' },
      { x, u: Math.sin(Math.PI * x), which: 'exact sin πx' },
    ]);
    return {
      numbers: { l2: out.l2, loss: out.result.loss, lbfgsIterations: out.result.lbfgsIterations },
      lines: [
        `relative L2 error ${out.l2.toExponential(3)}`,
        `final loss ${out.result.loss.toExponential(3)} after ${out.result.lbfgsIterations} L-BFGS iterations`,
      ],
      plots: [lossPlot(curve), lineChart('solution', rows, { x: 'x', y: 'u', series: 'which' })],
    };
  },
};

function lossPlot(curve: { step: number; loss: number; phase: string }[]) {
  return lineChart('training loss', curve, { x: 'step', y: 'loss', logY: true, series: 'phase' });
}
