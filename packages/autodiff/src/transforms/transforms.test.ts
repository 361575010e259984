/**
 * The transforms against closed forms: gradients and Hessians of quadratics and Rosenbrock, the Kronecker
 * form of a one-hidden-layer network's Jacobian, forward/reverse agreement on non-square maps, composition
 * to third order, perturbation confusion, and the PINN case (∂/∂θ of a loss built from ∂²u/∂x²).
 */
import {
  type NDArray,
  add,
  array,
  concat,
  cos,
  exp,
  kron,
  matmul,
  mean,
  mul,
  ones,
  reshape,
  sin,
  slice,
  sub,
  sum,
  tanh,
  transpose,
} from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { checkGrads } from '../check-grads.js';
import { uniform } from '../test-utils/random.js';
import { jvp } from './forward.js';
import { hessian, jacobian } from './jacobian.js';
import { grad, valueAndGrad, vjp } from './reverse.js';

function expectClose(a: NDArray, b: NDArray | number[][] | number[], tol = 1e-10): void {
  const x = a.dataSync();
  const y = Array.isArray(b) ? (b.flat() as number[]) : Array.from(b.dataSync());
  expect(x.length).toBe(y.length);
  for (let i = 0; i < x.length; i++)
    expect(Math.abs(x[i]! - y[i]!)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(y[i]!)));
}

describe('closed forms', () => {
  it('½xᵀAx + bᵀx: gradient ½(A + Aᵀ)x + b, Hessian ½(A + Aᵀ) (= A for symmetric A)', () => {
    const A = array([
      [4, 1, -2],
      [1, 3, 0.5],
      [-2, 0.5, 5],
    ]);
    const b = array([1, -1, 2]);
    const f = (x: NDArray) => add(mul(matmul(x, matmul(A, x)), 0.5), matmul(b, x));
    const x = array([0.3, -0.7, 1.1]);
    expectClose(grad(f)(x), add(matmul(A, x), b));
    expectClose(hessian(f)(x), A);
    const N = array([
      [1, 2],
      [0, 1],
    ]);
    const g = (x: NDArray) => mul(matmul(x, matmul(N, x)), 0.5);
    expectClose(hessian(g)(array([1, 2])), [
      [1, 1],
      [1, 1],
    ]);
  });

  it('Rosenbrock: gradient and Hessian match the textbook formulas', () => {
    // f(x) = Σ 100 (x_{i+1} − x_i²)² + (1 − x_i)²
    const f = (x: NDArray) => {
      const head = slice(x, ':-1');
      const tail = slice(x, '1:');
      const a = sub(tail, mul(head, head));
      const c = sub(1, head);
      return sum(add(mul(mul(a, a), 100), mul(c, c)));
    };
    const xs = [-1.2, 1, 0.5, 2];
    const n = xs.length;
    const x = array(xs);
    const g = new Array<number>(n).fill(0);
    const H = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (let i = 0; i < n - 1; i++) {
      const [u, v] = [xs[i]!, xs[i + 1]!];
      g[i]! += -400 * u * (v - u * u) - 2 * (1 - u);
      g[i + 1]! += 200 * (v - u * u);
      H[i]![i]! += 1200 * u * u - 400 * v + 2;
      H[i]![i + 1]! += -400 * u;
      H[i + 1]![i]! += -400 * u;
      H[i + 1]![i + 1]! += 200;
    }
    expectClose(grad(f)(x), g);
    expectClose(hessian(f)(x), H);
    // reverse-over-reverse agrees with forward-over-reverse
    expectClose(jacobian(grad(f), { mode: 'reverse' })(x), H);
  });

  it('y = [1 f(X̄Wʰ)] wᵒ: D_vec(Wʰ) y = w₁ᵀ ⊗ X̄ for the identity, rows (diag(f′(zₙ)) w₁)ᵀ ⊗ x̄ₙᵀ for tanh', () => {
    const N = 4;
    const d = 2;
    const h = 3;
    const Xbar = concat([ones([N, 1]), uniform([N, d], -1, 1, 31)], { axis: 1 }); // inputs with a bias column
    const Wh = uniform([d + 1, h], -1, 1, 32);
    const wo = uniform([h + 1, 1], -1, 1, 33);
    const w1 = slice(wo, '1:'); // output weights without the bias
    const net = (act: (z: NDArray) => NDArray) => (W: NDArray) =>
      matmul(concat([ones([N, 1]), act(matmul(Xbar, W))], { axis: 1 }), wo);
    /** Jacobian (N, 1, d+1, h) in row-major W indices → (N, h·(d+1)) in column-major vec(W) order. */
    const asVec = (J: NDArray) =>
      reshape(transpose(reshape(J, [N, d + 1, h]), [0, 2, 1]), [N, h * (d + 1)]);

    const Jid = asVec(jacobian(net((z) => z))(Wh));
    expectClose(Jid, kron(transpose(w1), Xbar), 1e-12);

    const Jtanh = asVec(jacobian(net(tanh), { mode: 'reverse' })(Wh));
    const z = tanh(matmul(Xbar, Wh));
    const fPrime = sub(1, mul(z, z)); // (N, h)
    // row n: ((f′(zₙ) ∘ w₁)ᵀ ⊗ x̄ₙᵀ), entry (j, i) = f′(z_nj) w₁ⱼ x̄ₙᵢ
    const scaled = mul(fPrime, reshape(w1, [1, h]));
    const expected = reshape(mul(reshape(scaled, [N, h, 1]), reshape(Xbar, [N, 1, d + 1])), [
      N,
      h * (d + 1),
    ]);
    expectClose(Jtanh, expected, 1e-12);
  });
});

describe('forward and reverse agree', () => {
  const f = (x: NDArray) =>
    concat([sin(mul(x, 2)), reshape(sum(mul(x, x)), [1]), tanh(slice(x, '::-1'))]); // R³ → R⁷
  const M = uniform([2, 5], -1, 1, 41);
  const g = (x: NDArray) => matmul(M, exp(mul(x, 0.3))); // R⁵ → R²
  it.each([
    ['tall R³ → R⁷', f, uniform([3], -1, 1, 40)],
    ['wide R⁵ → R²', g, uniform([5], -1, 1, 42)],
  ] as const)('%s', (_name, fn, x) => {
    const fwd = jacobian(fn, { mode: 'forward' })(x);
    const rev = jacobian(fn, { mode: 'reverse' })(x);
    expectClose(fwd, rev, 1e-13);
    expect(jacobian(fn)(x).shape).toEqual(fwd.shape);
  });

  it('on pytree inputs: one Jacobian per leaf', () => {
    const p = { w: uniform([2, 3], -1, 1, 43), b: uniform([3], -1, 1, 44) };
    const model = (q: typeof p) => tanh(add(matmul(array([0.5, -1]), q.w), q.b));
    const fwd = jacobian(model, { mode: 'forward' })(p);
    const rev = jacobian(model, { mode: 'reverse' })(p);
    expect(fwd.w.shape).toEqual([3, 2, 3]);
    expect(fwd.b.shape).toEqual([3, 3]);
    expectClose(fwd.w, rev.w, 1e-13);
    expectClose(fwd.b, rev.b, 1e-13);
  });

  it('jvp · v equals the Jacobian times v, vjp · u equals uᵀ J', () => {
    const x = uniform([3], -1, 1, 45);
    const v = uniform([3], -1, 1, 46);
    const u = uniform([7], -1, 1, 47);
    const J = jacobian(f)(x);
    expectClose(jvp(f, [x], [v])[1], matmul(J, v), 1e-13);
    const [, pullback] = vjp(f, x);
    expectClose(pullback(u)[0], matmul(u, J), 1e-13);
  });
});

describe('composition', () => {
  it('grad(grad(grad(sin))) = −cos, and jacobian(grad) of a non-separable function', () => {
    const d3 = grad(grad(grad((x: NDArray) => sin(x))));
    expectClose(d3(array(0.7)), [-Math.cos(0.7)]);
    const f = (x: NDArray) => mul(sum(exp(x)), sum(x)); // ∂²/∂xᵢ∂xⱼ = eˣⁱ[i=j]Σx + eˣⁱ + eˣʲ
    const x = array([0.1, -0.2]);
    const e = [Math.exp(0.1), Math.exp(-0.2)];
    const s = -0.1;
    expectClose(jacobian(grad(f))(x), [
      [e[0]! * s + 2 * e[0]!, e[0]! + e[1]!],
      [e[0]! + e[1]!, e[1]! * s + 2 * e[1]!],
    ]);
  });

  it('avoids perturbation confusion: d/dx [x · d/dy (x + y)] = 1', () => {
    const f = (x: NDArray) => mul(x, grad((y: NDArray) => add(x, y))(array(1)));
    expectClose(grad(f)(array(3)), [1]);
    // the same array object watched by the outer and the inner transform: d/dy (y x)|_{y=x} = x, d/dx x = 1
    const g = (x: NDArray) => grad((y: NDArray) => mul(y, x))(x);
    expectClose(grad(g)(array(5)), [1]);
    // forward inside reverse and reverse inside forward give the same second derivative of x³
    const cube = (x: NDArray) => mul(x, mul(x, x));
    const x = array(2);
    expectClose(grad((z: NDArray) => jvp(cube, [z], [array(1)])[1])(x), [12]);
    expectClose(jvp(grad(cube), [x], [array(1)])[1], [12]);
    expectClose(jvp((z: NDArray) => jvp(cube, [z], [array(1)])[1], [x], [array(1)])[1], [12]);
  });

  it('PINN: ∂/∂θ of a loss built from ∂²u/∂x² matches finite differences', () => {
    const params = {
      w1: uniform([1, 6], -1, 1, 50),
      b1: uniform([6], -1, 1, 51),
      w2: uniform([6, 1], -1, 1, 52),
    };
    type P = typeof params;
    const xs = uniform([5], -1, 1, 53);
    /** u(x; θ) for a batch of points x (N,) → (N,). */
    const u = (p: P, x: NDArray) =>
      reshape(matmul(tanh(add(matmul(reshape(x, [-1, 1]), p.w1), p.b1)), p.w2), [-1]);
    // each u(xᵢ) depends on xᵢ only, so ∂/∂x Σu gives u′(xᵢ) pointwise
    const ux = (p: P, x: NDArray) => grad((z: NDArray) => sum(u(p, z)))(x);
    const uxx = (p: P, x: NDArray) => grad((z: NDArray) => sum(ux(p, z)))(x);
    // Poisson residual u″ = −π² sin(πx)
    const source = mul(sin(mul(xs, Math.PI)), Math.PI ** 2);
    const loss = (p: P) => {
      const r = add(uxx(p, xs), source);
      return mean(mul(r, r));
    };
    const report = checkGrads(loss, [params], { order: 1 });
    expect(report.maxRelError).toBeLessThan(1e-6);
    // u″ itself against a second central difference in x
    const h = 1e-4;
    const u0 = u(params, xs).dataSync();
    const up = u(params, add(xs, h)).dataSync();
    const um = u(params, sub(xs, h)).dataSync();
    const second = uxx(params, xs).dataSync();
    for (let i = 0; i < xs.size; i++)
      expect(Math.abs(second[i]! - (up[i]! - 2 * u0[i]! + um[i]!) / h ** 2)).toBeLessThan(1e-5);
  });
});

describe('grad options and pytrees', () => {
  const f = (p: { a: NDArray; b: NDArray[] }, x: NDArray) =>
    sum(mul(mul(p.a, x), add(p.b[0]!, p.b[1]!)));
  const p = { a: array([1, 2]), b: [array([3, 4]), array([0.5, 0.5])] };
  const x = array([2, -1]);

  it('differentiates pytrees and selects arguments with argnums', () => {
    const g = grad(f)(p, x);
    expectClose(g.a, [7, -4.5]);
    expectClose(g.b[0]!, [2, -2]);
    expectClose(g.b[1]!, [2, -2]);
    const [gp, gx] = grad(f, { argnums: [0, 1] })(p, x);
    expectClose(gp.a, g.a);
    expectClose(gx, [3.5, 9]);
    expectClose(grad(f, { argnums: 1 })(p, x), [3.5, 9]);
  });

  it('valueAndGrad returns the value, and aux untouched with hasAux', () => {
    const [v, g] = valueAndGrad(f, { argnums: 1 })(p, x);
    expect(v.item()).toBeCloseTo(7 - 9, 12);
    expectClose(g, [3.5, 9]);
    const [[v2, aux], g2] = valueAndGrad(
      (z: NDArray) => [sum(cos(z)), { label: 'aux', z }] as const,
      { hasAux: true },
    )(x);
    expect(aux.label).toBe('aux');
    expect(v2.item()).toBeCloseTo(Math.cos(2) + Math.cos(-1), 12);
    expectClose(g2, [-Math.sin(2), Math.sin(1)]);
    const [g3, aux3] = grad((z: NDArray) => [sum(z), 42] as const, { hasAux: true })(x);
    expectClose(g3, [1, 1]);
    expect(aux3).toBe(42);
  });

  it('returns zeros for arguments the output does not depend on, and for constant outputs', () => {
    expectClose(grad((_z: NDArray, w: NDArray) => sum(w))(x, x), [0, 0]);
    expectClose(grad((_z: NDArray) => sum(array([1, 2])))(x), [0, 0]);
  });

  it('rejects non-scalar outputs, integer arguments and bad argnums with typed errors', () => {
    expect(() => grad((z: NDArray) => z)(x)).toThrow(/must return a scalar/);
    expect(() => grad((z: NDArray) => sum(z))(array([1, 2], { dtype: 'int32' }))).toThrow(
      /only float arrays/,
    );
    expect(() => grad((z: NDArray) => sum(z), { argnums: 3 })(x)).toThrow(/out of range/);
    const [, pullback] = vjp((z: NDArray) => [z, z], x);
    expect(() => pullback([x] as unknown as [NDArray, NDArray])).toThrow(/structure/);
    expect(() => jvp((z: NDArray) => z, [x], [array([1, 2, 3])])).toThrow(/must match/);
  });
});
