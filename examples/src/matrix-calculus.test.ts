import { kron, reshape, slice, sub } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import {
  IDENTITY,
  TANH,
  autodiffJacobians,
  kroneckerJacobians,
  maxAbs,
  problem,
  trainByMatrixCalculus,
} from './matrix-calculus.js';

describe('matrix calculus of a one-hidden-layer network', () => {
  const { Xbar, Wh, wo } = problem(7, 3, 4, 2);

  it('the Kronecker-product Jacobians equal autodiff jacobian to 1e-12', () => {
    for (const [f, g] of [
      [TANH, IDENTITY],
      [TANH, TANH],
      [IDENTITY, TANH],
    ] as const) {
      const k = kroneckerJacobians(Xbar, Wh, wo, f, g);
      const a = autodiffJacobians(Xbar, Wh, wo, f, g);
      expect(k.dOut.shape).toEqual([7, 5]); // m × p̄
      expect(k.dHidden.shape).toEqual([7, 16]); // m × n̄p
      expect(maxAbs(sub(k.dOut, a.dOut))).toBeLessThan(1e-12);
      expect(maxAbs(sub(k.dHidden, a.dHidden))).toBeLessThan(1e-12);
    }
  });

  it('reduces to (wᵒ)ᵀ ⊗ X̄ for identity activations', () => {
    const { dHidden } = kroneckerJacobians(Xbar, Wh, wo, IDENTITY, IDENTITY);
    expect(maxAbs(sub(dHidden, kron(reshape(slice(wo, '1:'), [1, 4]), Xbar)))).toBeLessThan(1e-14);
  });

  it('GD on the hand-derived gradient follows autodiff and lowers the loss', () => {
    const r = trainByMatrixCalculus(60, 0.01);
    expect(r.worstGap).toBeLessThan(1e-11);
    expect(r.losses.at(-1)!).toBeLessThan(0.5 * r.losses[0]!);
  });
});
