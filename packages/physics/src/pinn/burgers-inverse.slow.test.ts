// Inverse Burgers (Raissi, Perdikaris & Karniadakis, J. Comput. Phys. 378 (2019) 686–707, §4.1.2): identify
// λ₁ and λ₂ in u_t + λ₁ u u_x − λ₂ u_xx = 0 from 2 000 scattered samples of the Cole–Hopf solution, clean and
// with Gaussian noise of 1 % of the samples' standard deviation (their noise model), λ₁ and λ₂ eliminated
// by variable projection (`solve: 'leastSquares'`, Golub & Pereyra 1973), the network polished by the dense
// self-scaled Broyden quasi-Newton method (trainPinn's `bfgs`; Urbán, Stefanou & Pons, J. Comput. Phys. 2025).
import { describe, expect, it } from 'vitest';
import { LAMBDA2, identifyBurgers } from './test-utils/burgers-inverse.js';

const BUDGET = {
  adam: 1000,
  lr: 5e-3,
  lbfgs: 1000,
  memory: 50,
  dense: 'self-scaled-broyden',
} as const;
/** Half the budget for the noisy case, whose target (1 %) leaves room; the clean one's (0.1 %) does not. */
const NOISY_BUDGET = { ...BUDGET, adam: 500, lbfgs: 500 } as const;
/**
 * Development runs of this budget (CPU seconds per run, measured at load 11–30, so indicative; this file
 * runs seed 0, both cases):
 *
 * | seed | data      | λ₁ error | λ₂ error | CPU  |
 * |------|-----------|----------|----------|------|
 * | 0    | clean     | 0.0001 % | 0.048 %  | 92 s |
 * | 0    | 1 % noise | 0.065 %  | 0.144 %  | 88 s |
 * | 1    | clean     | 0.004 %  | 0.090 %  | 96 s |
 * | 1    | 1 % noise | 0.007 %  | 0.485 %  | 97 s |
 *
 * Since `trainPinn` differentiates the `simplify`d loss (same maths, another order of floating-point work), seed
 * 0 gives λ₁ 0.0010 % / λ₂ 0.019 % clean and 0.064 % / 0.158 % with 1 % noise.
 * Half the budget (Adam 500 + 500 iterations, CPU at load ~2): clean λ₂ misses 0.1 % (seed 0: 0.187 %, seed 1:
 * 0.145 %); with 1 % noise λ₁ 0.044 % / 0.010 %, λ₂ 0.066 % / 0.340 % (seeds 0 / 1, 63–67 s), within 1 % — so the
 * noisy case runs that half budget.
 * The targets (λ₁, λ₂ within 0.1 % clean and 1 % with 1 % noise; Raissi et al. report 0.085 % /
 * 0.12 % clean and 0.042 % / 0.84 % noisy after L-BFGS to convergence with 9 × 20 networks) are asserted.
 * The same budget with L-BFGS (memory 50) in place of the dense self-scaled Broyden method gave λ₂ errors of
 * 2.7–4.3 % (seed 0: λ₁ 0.247 % / 0.146 %, λ₂ 3.82 % / 4.29 %; seed 1: 0.116 % / 0.013 %, 2.82 % / 2.67 %), the
 * loss stalling around 1e-3 where the dense method reaches 1.2e-8 (clean). What the recipe owes to each part
 * (seed 0 clean, Adam 1000 at lr 5e-3 + L-BFGS 1000, memory 20): input scale 1 → λ₂ 37.9 %, 4 → 12.6 %,
 * 12 → 5.2 %, 25 → 20.2 %.
 */
describe('inverse Burgers PINN (Raissi et al. 2019 §4.1.2)', () => {
  it.each([
    { label: 'clean', noise: 0, bound: 1e-3, budget: BUDGET },
    { label: '1 % noise', noise: 0.01, bound: 1e-2, budget: NOISY_BUDGET },
  ])(
    'identifies λ₁ = 1 and λ₂ = 0.01/π from 2 000 samples within $bound, $label',
    ({ label, noise, bound, budget }) => {
      const t0 = process.cpuUsage();
      const res = identifyBurgers(noise, 0, budget);
      const cpu = process.cpuUsage(t0);
      const [e1, e2] = res.errors;
      console.log(
        `inverse Burgers, ${label}: λ₁ = ${res.variables.lambda1!.toFixed(6)} (error ${(100 * e1).toFixed(4)} %), λ₂ = ${res.variables.lambda2!.toExponential(4)} vs ${LAMBDA2.toExponential(4)} (error ${(100 * e2).toFixed(3)} %) after Adam ${budget.adam} + self-scaled Broyden ${res.quasiNewtonIterations}, loss ${res.loss.toExponential(2)}, ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s CPU (targets 0.1 % clean, 1 % noisy)`,
      );
      expect(res.quasiNewtonIterations).toBe(budget.lbfgs);
      expect(e1).toBeLessThan(bound);
      expect(e2).toBeLessThan(bound);
    },
  );
});
