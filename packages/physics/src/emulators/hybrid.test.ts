import { Generator, fromTypedArray, zeros } from '@sciml/linalg';
import { linear } from '@sciml/nn';
import { describe, expect, it } from 'vitest';
import { rk4Step } from '../integrate/index.js';
import { Lorenz96, lorenz96Tendency } from '../systems/index.js';
import { hybridEmulator } from './hybrid.js';

describe('hybrid emulator', () => {
  it('with a zero correction, one step is an RK4 step of the physical model', () => {
    const rng = new Generator(9);
    const s = Float64Array.from({ length: 8 }, () => 5 * rng.nextNormal());
    const hybrid = hybridEmulator(lorenz96Tendency(20), linear(1), {
      dim: 8,
      dt: 0.005,
      local: true,
    });
    const params = { weight: zeros([1, 1]), bias: zeros([1]) };
    const step = hybrid.step(params, fromTypedArray(s.slice(), [1, 8])).dataSync();
    const refStep = rk4Step(new Lorenz96({ n: 8, forcing: 20 }).rhs)(s, 0, 0.005);
    for (let k = 0; k < 8; k++) expect(step[k]).toBeCloseTo(refStep[k]!, 12);
  });
});
