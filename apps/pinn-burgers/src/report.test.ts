import { describe, expect, it } from 'vitest';
import { burgersReference } from '@sciml/physics';
import { heatmapSpec, lossSpec, pointsSpec, slicesSpec } from './charts.js';
import {
  DEFAULT_CONFIG,
  errors,
  gridPoints,
  hardConstraint,
  network,
  runBurgers,
} from './pipeline.js';
import { svgOf } from './render.js';
import { renderReport } from './report.js';
import { Generator, fromTypedArray } from '@sciml/linalg';

describe('pinn-burgers', () => {
  it('the hard constraint holds the initial data whatever the network says; the network is 2-periodic in x', () => {
    const x = fromTypedArray(Float64Array.of(-1, 0.4, 1, 0.4, 0.3, 0), [3, 2]);
    const u = hardConstraint(x, fromTypedArray(Float64Array.of(5, -3, 7), [3, 1])).dataSync();
    expect(u[2]).toBeCloseTo(-Math.sin(0.3 * Math.PI), 14); // t = 0
    const net = network({ layers: 2, width: 8 });
    const y = net.apply(net.init(new Generator(3), [3]), x).y.dataSync();
    // (x, t) = (−1, 0.4) and (1, 0.4) see the same features (cos πx, sin πx, t), up to sin(±π) ≈ ±1.2e-16
    expect(y[0]).toBeCloseTo(y[1]!, 12);
    expect(y[0]).not.toBeCloseTo(y[2]!, 3);
  });

  it('trains a small PINN whose error and report agree with the reference', async () => {
    const config = {
      ...DEFAULT_CONFIG,
      layers: 2,
      width: 8,
      points: 64,
      adamSteps: 20,
      resampleEvery: 10,
      quasiNewtonIterations: 5,
      nx: 21,
      nt: 11,
    };
    const r = runBurgers(config);
    // the reported error is the error against an independent evaluation of the reference
    const ref = burgersReference(r.x, r.t).dataSync();
    expect(errors(r.u, ref).relL2).toBeCloseTo(r.relL2, 12);
    expect(r.u.length).toBe(21 * 11);
    expect(gridPoints(r.x, r.t).shape).toEqual([231, 2]);
    // training lowers the loss, and resampling replaced the collocation points
    expect(r.history.at(-1)!.loss).toBeLessThan(r.history[0]!.loss);
    expect(r.pointsAfter).not.toEqual(r.pointsBefore);
    const figures = {
      solution: await svgOf(heatmapSpec(r, r.u, 'u', 'redblue')),
      error: await svgOf(heatmapSpec(r, r.u, 'e', 'viridis')),
      slices: await svgOf(slicesSpec(r, [0.5])),
      loss: await svgOf(lossSpec(r)),
      points: await svgOf(pointsSpec(r)),
    };
    const html = renderReport(r, figures, { generated: 'test' });
    expect(html.match(/<svg/g)?.length).toBe(5);
    expect(html).toContain(r.relL2.toExponential(2));
    expect(html).not.toContain('<script');
  }, 120_000);
});
