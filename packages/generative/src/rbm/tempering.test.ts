import { Generator, type NDArray, ValueError, fromTypedArray, zeros } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { allBinary } from '../test-utils/all-binary.js';
import { rbmLogZ } from './log-partition.js';
import { type RbmParams, freeEnergy, sampleHidden, sampleVisible } from './rbm.js';
import {
  geometricBetas,
  scaleRbm,
  temperedChains,
  temperedGibbs,
  temperedSamples,
  temperedSwap,
} from './tempering.js';

const nv = 6;

/** Exact p(v) of a 6-visible RBM by enumeration, indexed by the bit pattern of v. */
function exactMarginal(params: RbmParams): Float64Array {
  const logZ = rbmLogZ(params);
  const f = freeEnergy(params, allBinary(nv)).dataSync();
  return Float64Array.from(f, (x) => Math.exp(-Number(x) - logZ));
}

/**
 * Two modes, all-off and all-on, separated by a barrier: one hidden unit switches every visible unit on
 * (W = 8, b = −24, a = −4 give p(all on)/p(all off) = e^{−24}(1 + e^{24})/(1 + e^{−24}) ≈ 1 while any
 * half-on state is ~e^{−12} less likely); a second hidden unit with weight −1 on the first three visible units
 * makes the two modes' weights unequal.
 */
function bimodal(): RbmParams {
  const W = new Float64Array(nv * 4);
  for (let i = 0; i < nv; i++) W[i * 4] = 8;
  for (let i = 0; i < 3; i++) W[i * 4 + 1] = -1;
  return {
    W: fromTypedArray(W, [nv, 4]),
    a: fromTypedArray(new Float64Array(nv).fill(-4), [nv]),
    b: fromTypedArray(Float64Array.from([-24, 0.5, 0, 0]), [4]),
  };
}

const allOn = 2 ** nv - 1;

function fractionAllOn(v: NDArray): number {
  const d = v.dataSync();
  const rows = v.shape[0]!;
  let on = 0;
  for (let c = 0; c < rows; c++) {
    let all = true;
    for (let i = 0; i < nv && all; i++) all = Number(d[c * nv + i]) === 1;
    if (all) on++;
  }
  return on / rows;
}

describe('parallel tempering for binary RBMs', () => {
  const params = bimodal();
  const exact = exactMarginal(params);

  it('the tempered samples have the exact marginal p(v) of a bimodal RBM; plain Gibbs stays in its start mode', () => {
    const pOn = exact[allOn]!;
    const pOff = exact[0]!;
    // the modes hold most of the mass, in unequal shares, and the states between them almost none
    expect(pOn + pOff).toBeGreaterThan(0.8);
    for (let c = 0; c < 2 ** nv; c++) {
      let on = 0;
      for (let i = 0; i < nv; i++) on += (c >> i) & 1;
      if (on === 3) expect(exact[c]).toBeLessThan(1e-4);
    }
    expect(Math.abs(pOn - pOff)).toBeGreaterThan(0.1);
    const rng = new Generator(3);
    const init = zeros([200, nv]);
    const x = temperedSamples(params, {
      rng,
      init,
      betas: geometricBetas(8, 0.05),
      burnIn: 200,
      n: 40,
      thin: 5,
    });
    expect(x.shape).toEqual([8000, nv]);
    // 8000 draws from 200 chains: binomial standard error ≈ 0.006 even with some correlation
    expect(fractionAllOn(x)).toBeCloseTo(pOn, 1);
    expect(Math.abs(fractionAllOn(x) - pOn)).toBeLessThan(0.03);
    // the probability of each single visible unit being on, against enumeration
    const d = x.dataSync();
    for (let i = 0; i < nv; i++) {
      let exactOn = 0;
      for (let c = 0; c < 2 ** nv; c++) if ((c >> i) & 1) exactOn += exact[c]!;
      let on = 0;
      for (let r = 0; r < 8000; r++) on += Number(d[r * nv + i]);
      expect(Math.abs(on / 8000 - exactOn)).toBeLessThan(0.03);
    }
    // single block-Gibbs chains from the all-off state, given the same number of steps, hardly reach the other mode
    let v: NDArray = init;
    for (let t = 0; t < 400; t++) v = sampleVisible(params, sampleHidden(params, v, rng), rng);
    expect(fractionAllOn(v)).toBeLessThan(0.05);
  });

  it('a replica exchange keeps the product of the tempered distributions invariant (detailed balance)', () => {
    // two replicas at β = 1 and 0.5, one chain each: the exact product distribution p₁(x)p_½(y) over all 64²
    // pairs, pushed through the swap kernel, comes back unchanged
    const betas = [1, 0.5];
    const logZ1 = rbmLogZ(params);
    const p2params = scaleRbm(params, 0.5);
    const logZ2 = rbmLogZ(p2params);
    const f1 = freeEnergy(params, allBinary(nv)).dataSync();
    const f2 = freeEnergy(p2params, allBinary(nv)).dataSync();
    const p1 = (c: number) => Math.exp(-Number(f1[c]) - logZ1);
    const p2 = (c: number) => Math.exp(-Number(f2[c]) - logZ2);
    // swap probability between states x (at β = 1) and y (at β = ½), from temperedSwap's rule
    const acceptance = (x: number, y: number) =>
      Math.min(1, Math.exp(Number(f1[x]) + Number(f2[y]) - Number(f1[y]) - Number(f2[x])));
    // detailed balance: p₁(x)p₂(y)·A(x, y) = p₁(y)p₂(x)·A(y, x) for every pair
    let worst = 0;
    for (let x = 0; x < 64; x++)
      for (let y = 0; y < 64; y++) {
        const lhs = p1(x) * p2(y) * acceptance(x, y);
        const rhs = p1(y) * p2(x) * acceptance(y, x);
        worst = Math.max(worst, Math.abs(lhs - rhs));
      }
    expect(worst).toBeLessThan(1e-15);
    // and temperedSwap applies exactly that rule: with x = all-off at β = 1 and y = all-on at β = ½, the swap is
    // accepted with probability A, estimated over 4000 parallel chains
    const m = 4000;
    const rng = new Generator(5);
    const state = temperedChains(params, { rng, betas, init: zeros([m, nv]) });
    const on = fromTypedArray(new Float64Array(m * nv).fill(1), [m, nv]);
    const swapped = temperedSwap(params, { ...state, chains: [state.chains[0]!, on] }, rng);
    const rate = swapped.swaps.accepted[0]! / swapped.swaps.attempted[0]!;
    const A = acceptance(0, allOn);
    expect(A).toBeGreaterThan(0.05);
    expect(A).toBeLessThan(0.95);
    expect(Math.abs(rate - A)).toBeLessThan(4 * Math.sqrt((A * (1 - A)) / m));
    // accepted chains carry the all-on state into replica 0
    expect(fractionAllOn(swapped.chains[0]!)).toBeCloseTo(rate, 12);
    // the next sweep tries the odd pairs (none with two replicas) and changes nothing
    const next = temperedSwap(params, swapped, rng);
    expect(next.swaps.attempted[0]).toBe(m);
    expect(temperedGibbs(params, next, rng, true).chains[0]).toBe(next.chains[0]);
  });

  it('rejects bad ladders and units', () => {
    const rng = new Generator(1);
    expect(() => geometricBetas(1, 0.5)).toThrow(ValueError);
    expect(() => geometricBetas(4, 1.5)).toThrow(/betaMin/);
    expect(() => temperedChains(params, { rng, betas: [0.9, 0.5] })).toThrow(/starting at 1/);
    expect(() => temperedChains(params, { rng, betas: [1, 0.5, 0.7] })).toThrow(/decreasing/);
    expect(() => temperedChains(params, { rng, init: zeros([3, 5]) })).toThrow(/\[batch, 6\]/);
    expect(() => temperedSamples(params, { rng, n: 0 })).toThrow(/n must be/);
  });
});
