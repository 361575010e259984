/**
 * Rules of the complex primitives, in JAX's convention for complex cotangents: the cotangent of a complex
 * value z = x + iy under a real loss L is ∂L/∂x − i ∂L/∂y, and a VJP is the transpose of the linear map (not
 * its adjoint). So holomorphic rules keep their real form, and only the two views conjugate: the transpose of
 * (x, y) ↦ x + iy sends z̄ to (Re z̄, −Im z̄) (JAX's `complex_p` transpose), and that of z ↦ (x, y) sends
 * (x̄, ȳ) to x̄ − iȳ (JAX's `real_p`/`imag_p` transposes combined).
 */
import { type ComplexPrimitive, bind, conj, viewAsComplex, viewAsReal } from '@sciml/linalg';
import type { BatchRule } from './batch.js';
import type { JvpRule, VjpRule } from './types.js';

/** JVP rules: all three primitives are (real-)linear, so each maps the tangent by itself. */
export const complexJvpRules: { [P in ComplexPrimitive]: JvpRule<P> } = {
  viewAsReal: ([t]) => [bind('viewAsReal', [t!], {})[0]!],
  viewAsComplex: ([t]) => [bind('viewAsComplex', [t!], {})[0]!],
  // d(s·F x) = s·F dx
  fft: ([t], { params }) => [bind('fft', [t!], params)[0]!],
};

/** VJP rules (transposes). */
export const complexVjpRules: { [P in ComplexPrimitive]: VjpRule<P> } = {
  // (x̄, ȳ) ↦ x̄ − iȳ
  viewAsReal: ([ct]) => [conj(viewAsComplex(ct!))],
  // z̄ ↦ (Re z̄, −Im z̄)
  viewAsComplex: ([ct]) => [viewAsReal(conj(ct!))],
  // the DFT matrix F_jk = e^{∓2πi jk/n} is symmetric, so (s·F)ᵀ = s·F: the transpose is the same transform
  fft: ([ct], { params }) => [bind('fft', [ct!], params)[0]!],
};

/** Batching rules: every one acts on trailing axes, so a leading batch axis passes through. */
const leading =
  <P extends ComplexPrimitive>(p: P): BatchRule<P> =>
  ([x], _dims, params) => ({ outs: [bind(p, [x!], params)[0]!], dims: [0] });

export const complexBatchRules: { [P in ComplexPrimitive]: BatchRule<P> } = {
  viewAsReal: leading('viewAsReal'),
  viewAsComplex: leading('viewAsComplex'),
  fft: leading('fft'),
};
