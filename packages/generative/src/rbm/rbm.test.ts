import { grad } from '@sciml/autodiff';
import {
  Generator,
  add,
  array,
  exp,
  fromTypedArray,
  logsumexp,
  matmul,
  mean,
  neg,
  stack,
  sub,
  sum,
  transpose,
} from '@sciml/linalg';
import { sgd } from '@sciml/optim';
import { describe, expect, it } from 'vitest';
import { allBinary } from '../test-utils/all-binary.js';
import { cdGradient, trainRbm } from './cd.js';
import { aisLogZ, rbmLogLikelihood, rbmLogZ } from './log-partition.js';
import { freeEnergy, initRbm } from './rbm.js';

describe('binary–binary RBM, 6 visible × 4 hidden', () => {
  const rng = new Generator(1);
  const params = initRbm(6, 4, { rng, scale: 1 });
  params.a = rng.normal([6], { std: 0.5 });
  params.b = rng.normal([4], { std: 0.5 });

  it('ln Z by enumeration agrees with the brute-force sum over all 2^10 joint states', () => {
    const W = params.W.dataSync();
    const a = params.a.dataSync();
    const b = params.b.dataSync();
    let z = 0;
    for (let v = 0; v < 64; v++) {
      for (let h = 0; h < 16; h++) {
        let e = 0;
        for (let i = 0; i < 6; i++) if ((v >> i) & 1) e += Number(a[i]);
        for (let j = 0; j < 4; j++) if ((h >> j) & 1) e += Number(b[j]);
        for (let i = 0; i < 6; i++)
          for (let j = 0; j < 4; j++) if ((v >> i) & 1 && (h >> j) & 1) e += Number(W[i * 4 + j]);
        z += Math.exp(e);
      }
    }
    expect(rbmLogZ(params)).toBeCloseTo(Math.log(z), 12);
    // enumerating the other layer gives the same number: swap the roles of the layers
    const swapped = { W: transpose(params.W), a: params.b, b: params.a };
    expect(rbmLogZ(swapped)).toBeCloseTo(rbmLogZ(params), 12);
    // the marginal p(v) = e^{−F(v)}/Z sums to one
    const pv = exp(neg(freeEnergy(params, allBinary(6))));
    expect(Math.log(sum(pv).item())).toBeCloseTo(rbmLogZ(params), 12);
  });

  it('AIS estimates ln Z within 0.1 nats', () => {
    const exact = rbmLogZ(params);
    const ais = aisLogZ(params, { rng, runs: 100, betas: 1000 });
    expect(Math.abs(ais.logZ - exact)).toBeLessThan(0.1);
    expect(ais.bounds[0]).toBeLessThanOrEqual(ais.logZ);
    expect(ais.ess).toBeGreaterThan(10);
  });

  // −(1/n) Σ ln p(vₙ) = mean F(data) + ln Z; ln Z = logsumexp(−F) over all 64 visible states, differentiated by autodiff
  const all = allBinary(6);
  const data = array([
    [1, 0, 1, 0, 1, 0],
    [1, 1, 0, 0, 1, 1],
    [0, 0, 0, 1, 1, 1],
  ]);
  const nll = (p: typeof params) =>
    add(mean(freeEnergy(p, data)), logsumexp(neg(freeEnergy(p, all))));
  /** 20 000 exact samples of p(v), by inverting its CDF over the enumerated states. */
  const exactChains = () => {
    const pv = exp(sub(neg(freeEnergy(params, all)), rbmLogZ(params))).dataSync();
    const chains = 20_000;
    const rowsOut = new Float64Array(chains * 6);
    for (let c = 0; c < chains; c++) {
      let u = rng.nextFloat();
      let v = 0;
      while (v < 63 && u >= Number(pv[v])) u -= Number(pv[v++]);
      for (let i = 0; i < 6; i++) rowsOut[c * 6 + i] = (v >> i) & 1;
    }
    return fromTypedArray(rowsOut, [chains, 6]);
  };
  const expectClose = (got: typeof params, want: typeof params) => {
    for (const key of ['W', 'a', 'b'] as const) {
      const d = sub(got[key], want[key]).dataSync();
      // Monte Carlo error of a mean of 20 000 bounded terms: ≲ 0.5/√20000 ≈ 0.0035 per entry
      for (const x of d) expect(Math.abs(Number(x))).toBeLessThan(0.02);
    }
  };

  it('with chains drawn exactly from the model, the CD gradient is the exact likelihood gradient', () => {
    // one Gibbs step leaves the exact samples exact
    const { grads } = cdGradient(params, data, { rng, chains: exactChains() });
    expectClose(grads, grad(nll)(params));
  });

  it('the centred gradient is the exact gradient in the centred parameters, mapped back', () => {
    // E = −(v − μ)ᵀW(h − λ) − cᵀ(v − μ) − dᵀ(h − λ) is the ordinary RBM with a = c − Wλ, b = d − Wᵀμ
    const mu = array([0.2, 0.5, 0.7, 0.4, 0.9, 0.1]);
    const lambda = array([0.3, 0.6, 0.5, 0.8]);
    const plain = (q: typeof params) => ({
      W: q.W,
      a: sub(q.a, matmul(q.W, lambda)),
      b: sub(q.b, matmul(mu, q.W)),
    });
    const centred = {
      W: params.W,
      a: add(params.a, matmul(params.W, lambda)),
      b: add(params.b, matmul(mu, params.W)),
    };
    const g = grad((q: typeof params) => nll(plain(q)))(centred);
    // a step −η g in the centred parameters is this step in the ordinary ones
    const want = {
      W: g.W,
      a: sub(g.a, matmul(g.W, lambda)),
      b: sub(g.b, matmul(mu, g.W)),
    };
    const { grads } = cdGradient(params, data, {
      rng,
      chains: exactChains(),
      offsets: { visible: mu, hidden: lambda },
    });
    expectClose(grads, want);
    expect(() => cdGradient(params, data, { rng, offsets: { visible: mu, hidden: mu } })).toThrow(
      /cdGradient.*offsets/,
    );
  });

  it('CD-k, PCD and centred PCD training raise the exact log-likelihood of a two-pattern data set', () => {
    const pattern = [
      [1, 1, 1, 0, 0, 0],
      [0, 0, 0, 1, 1, 1],
    ];
    const rows = Array.from({ length: 200 }, (_, i) => pattern[i % 2]!);
    const data = array(rows);
    const start = initRbm(6, 4, { rng });
    const before = rbmLogLikelihood(start, data);
    // the best possible: ln ½ per row
    for (const [persistentChains, centring] of [
      [undefined, false],
      [50, false],
      [50, true],
    ] as const) {
      const trained = trainRbm(data, {
        rng,
        init: start,
        epochs: 30,
        batchSize: 20,
        k: 1,
        optimizer: sgd({ lr: 0.1 }),
        centring,
        ...(persistentChains ? { persistentChains } : {}),
      });
      const after = rbmLogLikelihood(trained, data);
      expect(before).toBeLessThan(-4);
      expect(after).toBeGreaterThan(-1.5);
      expect(after).toBeLessThanOrEqual(Math.log(0.5) + 1e-9);
    }
  });
});

describe('trainRbm parameter averaging', () => {
  it('averageLast returns the mean of the iterates of the last fraction of updates', () => {
    const data = array([
      [1, 0, 1, 0],
      [0, 1, 0, 1],
      [1, 1, 0, 0],
    ]);
    // one full-batch update per epoch: onEpoch sees every iterate
    const run = (averageLast?: number) => {
      const rng = new Generator(9);
      const seen: ReturnType<typeof initRbm>[] = [];
      const out = trainRbm(data, {
        rng,
        nHidden: 3,
        epochs: 4,
        batchSize: 3,
        optimizer: sgd({ lr: 0.5 }),
        onEpoch: (_, p) => {
          seen.push(p);
          return undefined;
        },
        ...(averageLast !== undefined ? { averageLast } : {}),
      });
      return { out, seen };
    };
    const { out, seen } = run(0.5);
    for (const key of ['W', 'a', 'b'] as const) {
      const want = mean(stack([seen[2]![key], seen[3]![key]]), { axis: 0 }).dataSync();
      const got = out[key].dataSync();
      for (let i = 0; i < want.length; i++) expect(Number(got[i])).toBeCloseTo(Number(want[i]), 12);
      // the iterates differ, so the check has teeth; without averaging the last iterate comes back
      expect(
        sub(seen[2]![key], seen[3]![key])
          .dataSync()
          .some((d) => Math.abs(Number(d)) > 1e-6),
      ).toBe(true);
      expect(Array.from(run().out[key].dataSync())).toEqual(Array.from(seen[3]![key].dataSync()));
    }
    expect(() => run(0)).toThrow(/trainRbm.*averageLast/);
  });
});

describe('Gaussian–binary RBM', () => {
  it('ln Z closed form matches numerical integration of e^{−F(v)} over a 1-D visible unit', () => {
    const rng = new Generator(2);
    const params = initRbm(1, 3, { rng, scale: 1 });
    params.a = array([0.3]);
    params.b = array([0.2, -0.4, 0.1]);
    const units = { visible: 'gaussian', sigma: 0.8 } as const;
    const grid = Float64Array.from({ length: 4001 }, (_, i) => -10 + i * 0.005);
    const f = exp(neg(freeEnergy(params, fromTypedArray(grid, [grid.length, 1]), units)));
    const z = sum(f).item() * 0.005; // the integrand is negligible at ±10: rectangle rule is spectrally accurate
    expect(rbmLogZ(params, units)).toBeCloseTo(Math.log(z), 9);
    const ais = aisLogZ(params, { rng, runs: 100, betas: 500, ...units });
    expect(Math.abs(ais.logZ - Math.log(z))).toBeLessThan(0.05);
  });

  it('CD learns the mean and spread of 2-D Gaussian data', () => {
    const rng = new Generator(3);
    const data = rng.normal([1000, 2], { mean: 1.5, std: 1 });
    const trained = trainRbm(data, {
      rng,
      nHidden: 4,
      visible: 'gaussian',
      epochs: 20,
      batchSize: 50,
      optimizer: sgd({ lr: 0.05 }),
    });
    const ll = rbmLogLikelihood(trained, data, { visible: 'gaussian' });
    // the best Gaussian with σ = 1 has mean log-likelihood −ln 2π − 1 ≈ −2.838
    expect(ll).toBeGreaterThan(-2.9);
  });
});
