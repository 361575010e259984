import { Generator } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { checkWaveFunction } from './check-wave-function.js';
import { harmonicTrap, localEnergy } from './hamiltonian.js';
import { padeJastrow } from './jastrow.js';
import { rbmWaveFunction } from './rbm-wave-function.js';
import { metropolisWalker } from './sampler.js';
import { vmcEnergy, vmcOptimize } from './vmc.js';
import { gaussianWaveFunction, productWaveFunction } from './wave-function.js';

const rng = new Generator(2024);

describe('trial wave functions', () => {
  it('have derivatives that match finite differences (RBM, Padé–Jastrow, their product)', () => {
    const rbm = rbmWaveFunction({ nParticles: 2, dim: 2, nHidden: 3 });
    const prod = productWaveFunction(rbm, padeJastrow());
    const theta = Float64Array.from({ length: prod.nParams }, () => 0.3 * rng.nextNormal());
    theta[prod.nParams - 1] = 0.4;
    const r = Float64Array.of(0.3, -0.7, 1.1, 0.2);
    const wide = rbmWaveFunction({ nParticles: 2, dim: 2, nHidden: 3, sigma: 0.7 });
    for (const [wf, th] of [
      [rbm, theta.subarray(0, rbm.nParams)],
      [wide, theta.subarray(0, rbm.nParams)],
      [padeJastrow(), theta.subarray(rbm.nParams)],
      [prod, theta],
    ] as const) {
      const c = checkWaveFunction(wf, th, r);
      expect(c.grad).toBeLessThan(1e-7);
      expect(c.laplacian).toBeLessThan(1e-5);
      expect(c.params).toBeLessThan(1e-7);
    }
  });

  it('Taut’s exact ω = 1 state (1 + r₁₂) e^{−(r₁²+r₂²)/2} has the constant local energy 3', () => {
    // the Padé–Jastrow factor at β = 0 is e^{r₁₂}, not 1 + r₁₂; the exact state is built here by hand
    const taut = {
      nParticles: 2,
      dim: 2,
      nParams: 0,
      logPsi: (_t: Float64Array, r: Float64Array) =>
        Math.log(1 + Math.hypot(r[0]! - r[2]!, r[1]! - r[3]!)) -
        0.5 * (r[0]! ** 2 + r[1]! ** 2 + r[2]! ** 2 + r[3]! ** 2),
      gradLogPsi(_t: Float64Array, r: Float64Array, out: Float64Array) {
        const d = Math.hypot(r[0]! - r[2]!, r[1]! - r[3]!);
        for (let k = 0; k < 2; k++) {
          const c = (r[k]! - r[2 + k]!) / (d * (1 + d));
          out[k] = -r[k]! + c;
          out[2 + k] = -r[2 + k]! - c;
        }
      },
      // ∇² ln(1 + r) for both particles in 2-D: 2[(1/r)/(1+r) − 1/(1+r)²]; Gaussian part −4
      laplacianLogPsi: (_t: Float64Array, r: Float64Array) => {
        const d = Math.hypot(r[0]! - r[2]!, r[1]! - r[3]!);
        return -4 + 2 * (1 / (d * (1 + d)) - 1 / (1 + d) ** 2);
      },
      paramGradLogPsi: () => {},
    };
    const H = harmonicTrap({ coulomb: true });
    for (const r of [Float64Array.of(0.1, 0.2, -0.5, 0.3), Float64Array.of(1.3, -0.4, 0.2, 2.1)]) {
      expect(checkWaveFunction(taut, new Float64Array(0), r).laplacian).toBeLessThan(1e-5);
      expect(localEnergy(taut, new Float64Array(0), H, r)).toBeCloseTo(3, 12);
    }
  });
});

describe('metropolisWalker', () => {
  it('reuses ln Ψ between sweeps only while θ and R are unchanged (θ updated in place is noticed)', () => {
    const rbm = rbmWaveFunction({ nParticles: 2, dim: 2, nHidden: 2 });
    const calls: Float64Array[] = [];
    const counted = {
      ...rbm,
      logPsi: (t: Float64Array, r: Float64Array) => {
        calls.push(Float64Array.from(r));
        return rbm.logPsi(t, r);
      },
    };
    const theta = rbm.init(new Generator(1), { scale: 0.1 });
    const walker = metropolisWalker(counted, { rng: new Generator(2) });
    walker.sweep(theta);
    expect(calls.length).toBe(3); // the start, then one trial move per particle
    calls.length = 0;
    walker.sweep(theta);
    expect(calls.length).toBe(2); // the start carried over
    theta[0]! += 0.1;
    calls.length = 0;
    walker.sweep(theta);
    expect(calls.length).toBe(3);
    const rBefore = Float64Array.from(walker.r);
    walker.r[0]! += 0.5;
    calls.length = 0;
    walker.sweep(theta);
    expect(calls.length).toBe(3);
    expect(calls[0]![0]).toBe(rBefore[0]! + 0.5);
  });
});

describe('vmcEnergy', () => {
  it('1-D oscillator at α = 0.5: E = 0.5 with zero variance (both samplers)', () => {
    const wf = gaussianWaveFunction();
    for (const method of ['metropolis', 'importance'] as const) {
      const res = vmcEnergy(wf, Float64Array.of(0.5), harmonicTrap(), {
        rng,
        samples: 2000,
        method,
      });
      expect(res.energy).toBeCloseTo(0.5, 12);
      expect(res.variance).toBeLessThan(1e-20);
      expect(res.acceptance).toBeGreaterThan(0.3);
    }
  });

  it('1-D oscillator at α = 0.4 reproduces E(α) = α/2 + 1/(8α), its variance and dE/dα', () => {
    const alpha = 0.4;
    const wf = gaussianWaveFunction();
    const exactE = alpha / 2 + 1 / (8 * alpha);
    // E_L = α + c x², c = ½ − 2α², Var x² = 2⟨x²⟩² with ⟨x²⟩ = 1/(4α)
    const c = 0.5 - 2 * alpha * alpha;
    const exactVar = c * c * 2 * (1 / (4 * alpha)) ** 2;
    const exactGrad = 0.5 - 1 / (8 * alpha * alpha);
    for (const method of ['metropolis', 'importance'] as const) {
      const res = vmcEnergy(wf, Float64Array.of(alpha), harmonicTrap(), {
        rng,
        samples: 40_000,
        method,
        stepSize: method === 'importance' ? 0.5 : 2,
        gradient: 'gradient',
      });
      expect(Math.abs(res.energy - exactE)).toBeLessThan(4 * res.error);
      expect(res.error).toBeLessThan(4e-3);
      // the sample variance of c·x² has relative sd √(14/n_eff) ≈ 0.04 here (n_eff ≈ n/5): allow ≈ 3.5 sd
      expect(Math.abs(res.variance / exactVar - 1)).toBeLessThan(0.15);
      // 2·cov(E_L, −x²) = −2c·Var(x²): its sd is 2|c|·√(56 s⁸/n_eff) ≈ 0.012 with s² = 1/(4α): allow ≈ 4 sd
      expect(Math.abs(res.gradient![0]! - exactGrad)).toBeLessThan(0.05);
    }
  });
});

describe('vmcOptimize', () => {
  it('drives α to 0.5 for the 1-D oscillator', () => {
    const wf = gaussianWaveFunction();
    const out = vmcOptimize(wf, Float64Array.of(0.9), harmonicTrap(), {
      rng,
      iterations: 60,
      samples: 1000,
      lr: 0.3,
    });
    expect(out.theta[0]).toBeCloseTo(0.5, 2);
    expect(out.energies.at(-1)).toBeCloseTo(0.5, 3);
  });

  it('Gaussian–binary RBM, two non-interacting particles in 2-D: E = 2.0 within 1e-3 (with SR)', () => {
    const wf = rbmWaveFunction({ nParticles: 2, dim: 2, nHidden: 2 });
    const H = harmonicTrap();
    const opt = vmcOptimize(wf, wf.init(rng, { scale: 0.1 }), H, {
      rng,
      iterations: 40,
      samples: 1000,
      lr: 0.2,
      method: 'importance',
      stepSize: 0.5,
      sr: { shift: 1e-2 },
    });
    const res = vmcEnergy(wf, opt.theta, H, {
      rng,
      samples: 10_000,
      method: 'importance',
      stepSize: 0.5,
    });
    expect(Math.abs(res.energy - 2)).toBeLessThan(1e-3);
    expect(res.variance).toBeLessThan(1e-4);
  });

  it('names the problem in bad input', () => {
    const wf = gaussianWaveFunction();
    expect(() => vmcEnergy(wf, Float64Array.of(0.5, 1), harmonicTrap(), { rng })).toThrow(
      /vmcEnergy.*length 1/,
    );
    expect(() =>
      vmcEnergy(wf, Float64Array.of(0.5), harmonicTrap(), { rng, method: 'gibbs' as never }),
    ).toThrow(/metropolisWalker.*method/);
    expect(() => harmonicTrap({ omega: -1 })).toThrow(/harmonicTrap.*omega/);
  });
});
