/**
 * VJP and JVP rules of the linear-algebra primitives, from the matrix-calculus identities (Giles 2008,
 * "An extended collection of matrix derivative results for forward and reverse mode AD"). Batched over
 * leading axes; cotangents of broadcast batch axes are summed back.
 *
 * Factorisations of symmetric matrices (cholesky, eigh) read one triangle; their rules treat the input as
 * symmetric, so tangents are symmetrised and cotangents come back symmetric (JAX's convention). Rules for
 * eigh and svd need distinct eigen/singular values (the derivative does not exist otherwise).
 */
import {
  type LinalgPrimitive,
  type NDArray,
  ShapeError,
  add,
  div,
  formatShape,
  mul,
  neg,
  reshape,
  sub,
} from '@sciml/linalg';
import {
  diagMatrix,
  diagOf,
  eyeLike,
  inverseGaps,
  mm,
  permutationMatrix,
  phi,
  sym,
  T,
  triSolve,
  tril,
  triu,
} from './matrix.js';
import type { JvpRule, VjpRule } from './types.js';
import { addOpt, unbroadcast, zerosLike } from './util.js';

/** Keeps the triangle of A that `triangularSolve` reads (without the diagonal for unit-diagonal solves). */
function readTriangle(x: NDArray, lower: boolean, unit: boolean): NDArray {
  return lower ? tril(x, unit ? -1 : 0) : triu(x, unit ? 1 : 0);
}

function requireSquare(op: string, x: NDArray): void {
  if (x.shape[x.ndim - 1] !== x.shape[x.ndim - 2]) {
    throw new ShapeError(
      op,
      `the derivative is implemented for square matrices, got ${formatShape(x.shape)}`,
    );
  }
}

/** L (unit lower) and U from packed LU factors. */
function unpackLU(packed: NDArray): [NDArray, NDArray] {
  const n = packed.shape[packed.ndim - 1]!;
  return [add(tril(packed, -1), eyeLike(n, packed)), triu(packed)];
}

/** Row-scales a batch of matrices by a batch of vectors: diag(s) X. */
const scaleRows = (s: NDArray, x: NDArray): NDArray => mul(reshape(s, [...s.shape, 1]), x);
/** Column-scales: X diag(s). */
const scaleCols = (x: NDArray, s: NDArray): NDArray =>
  mul(x, reshape(s, [...s.shape.slice(0, -1), 1, s.shape[s.ndim - 1]!]));

export const linalgVjpRules: { [P in LinalgPrimitive]: VjpRule<P> } = {
  // C = op(A) op(B): d op(A) = C̄ op(B)ᵀ, d op(B) = op(A)ᵀ C̄ (transposed back where op is ᵀ)
  matmul: ([ct], { inputs: [a, b], params: { transA, transB } }, wanted) => [
    wanted[0]
      ? unbroadcast(transA ? mm(b!, ct!, transB, true) : mm(ct!, b!, false, !transB), a!.shape)
      : null,
    wanted[1]
      ? unbroadcast(transB ? mm(ct!, a!, true, transA) : mm(a!, ct!, !transA, false), b!.shape)
      : null,
  ],
  // X = op(A)⁻¹B: B̄ = op(A)⁻ᵀX̄, d op(A) = −B̄Xᵀ, restricted to the triangle A is read from
  triangularSolve: (
    [ct],
    { inputs: [a, b], outputs: [x], params: { lower, transA, unitDiagonal } },
    wanted,
  ) => {
    const bBar = triSolve(a!, ct!, lower, !transA, unitDiagonal);
    const aBar = wanted[0]
      ? neg(transA ? mm(x!, bBar, false, true) : mm(bBar, x!, false, true))
      : null;
    return [
      aBar ? unbroadcast(readTriangle(aBar, lower, unitDiagonal), a!.shape) : null,
      wanted[1] ? unbroadcast(bBar, b!.shape) : null,
    ];
  },
  // A = LLᵀ: Ā = sym(L⁻ᵀ Φ(LᵀL̄) L⁻¹) (Murray 2016, "Differentiation of the Cholesky decomposition", arXiv:1602.07527)
  cholesky: ([ct], { outputs: [l] }) => {
    const p = phi(mm(l!, ct!, true, false));
    const y = triSolve(l!, p, true, true); // L⁻ᵀP
    const z = triSolve(l!, T(y), true, true); // L⁻ᵀ(L⁻ᵀP)ᵀ = (L⁻ᵀPL⁻¹)ᵀ
    return [sym(z)];
  },
  // Pₘ A = LU, X = L⁻¹PₘdA U⁻¹, dLU = L tril(X, −1) + triu(X) U, so Ā = Pₘᵀ L⁻ᵀ (tril(LᵀḠ, −1) + triu(ḠUᵀ)) U⁻ᵀ
  lu: ([ct], { inputs: [a], outputs: [packed, perm] }) => {
    requireSquare('lu (vjp)', a!);
    const [l, u] = unpackLU(packed!);
    const g = ct!;
    const xBar = add(tril(mm(l, g, true, false), -1), triu(mm(g, u, false, true)));
    const left = triSolve(packed!, xBar, true, true, true); // L⁻ᵀX̄
    const right = T(triSolve(packed!, T(left), false, false)); // (U⁻¹(L⁻ᵀX̄)ᵀ)ᵀ = L⁻ᵀX̄U⁻ᵀ
    return [mm(permutationMatrix(perm!, a!), right, true, false)];
  },
  // A = QR (reduced, m ≥ n): with N = QᵀdAR⁻¹ and Ω = tril(N,−1) − tril(N,−1)ᵀ, dQ = Q(Ω − N) + dAR⁻¹, dR = (N − Ω)R;
  // transposed: N̄ = E' + tril(E − Eᵀ, −1) (E = QᵀQ̄ − R̄Rᵀ, E' = −E), Ā = (Q̄ + QN̄)R⁻ᵀ
  qr: ([qBar, rBar], { inputs: [a], outputs: [q, r], params }) => {
    requireReducedTall('qr (vjp)', a!, params.mode);
    const e = sub(
      qBar ? mm(q!, qBar, true, false) : zerosLike(r!),
      rBar ? mm(rBar, r!, false, true) : zerosLike(r!),
    );
    const nBar = add(neg(e), tril(sub(e, T(e)), -1));
    const cBar = addOpt(qBar, mm(q!, nBar), add)!;
    return [T(triSolve(r!, T(cBar), false, false))];
  },
  // A = V diag(w) Vᵀ: Ā = sym(V (diag(w̄) + F ∘ VᵀV̄) Vᵀ), Fᵢⱼ = 1/(wⱼ − wᵢ) (distinct eigenvalues; Giles 2008 §3.1)
  eigh: ([wBar, vBar], { outputs: [w, v] }) => {
    let inner = wBar ? diagMatrix(wBar) : null;
    if (vBar) inner = addOpt(inner, mul(inverseGaps(w!), mm(v!, vBar, true, false)), add);
    return [sym(mm(mm(v!, inner!), v!, false, true))];
  },
  // A = U diag(s) Vᵀ (reduced): M̄ = diag(s̄) + (G + Gᵀ)S + S(H + Hᵀ), G = F ∘ UᵀŪ, H = F ∘ VᵀV̄,
  // Fᵢⱼ = 1/(sⱼ² − sᵢ²); Ā = U M̄ Vᵀ plus the projections off span(U) (m > n) or span(V) (n > m)
  // (Townsend 2016, "Differentiating the singular value decomposition"; Ionescu et al. 2015)
  svd: ([uBar, sBar, vtBar], { inputs: [a], outputs: [u, s, vt], params }) => {
    requireReduced('svd (vjp)', a!, params.fullMatrices);
    const [m, n] = [a!.shape[a!.ndim - 2]!, a!.shape[a!.ndim - 1]!];
    const f = inverseGaps(mul(s!, s!));
    let mBar: NDArray | null = sBar ? diagMatrix(sBar) : null;
    if (uBar) {
      const g = mul(f, mm(u!, uBar, true, false));
      mBar = addOpt(mBar, scaleCols(add(g, T(g)), s!), add);
    }
    if (vtBar) {
      const h = mul(f, mm(vt!, vtBar, false, true)); // VᵀV̄ = Vt (V̄t)ᵀ
      mBar = addOpt(mBar, scaleRows(s!, add(h, T(h))), add);
    }
    let aBar = mBar ? mm(mm(u!, mBar), vt!) : zerosLike(a!);
    if (uBar && m > n) {
      // (I − UUᵀ) Ū S⁻¹ Vᵀ
      const proj = sub(uBar, mm(u!, mm(u!, uBar, true, false)));
      aBar = add(aBar, mm(scaleCols(proj, div(1, s!)), vt!));
    }
    if (vtBar && n > m) {
      // U S⁻¹ V̄ᵀ (I − VVᵀ) with V̄ᵀ = V̄t
      const proj = sub(vtBar, mm(mm(vtBar, vt!, false, true), vt!));
      aBar = add(aBar, mm(u!, scaleRows(div(1, s!), proj)));
    }
    return [aBar];
  },
};

function requireReducedTall(op: string, a: NDArray, mode: 'reduced' | 'complete'): void {
  const [m, n] = [a.shape[a.ndim - 2]!, a.shape[a.ndim - 1]!];
  if (m < n || (mode === 'complete' && m !== n)) {
    throw new ShapeError(
      op,
      `the QR derivative is implemented for reduced QR of tall or square matrices (m ≥ n), got ${formatShape(a.shape)} in '${mode}' mode`,
    );
  }
}

function requireReduced(op: string, a: NDArray, fullMatrices: boolean): void {
  const [m, n] = [a.shape[a.ndim - 2]!, a.shape[a.ndim - 1]!];
  if (fullMatrices && m !== n) {
    throw new ShapeError(
      op,
      `the SVD derivative needs fullMatrices: false for non-square matrices, got ${formatShape(a.shape)}`,
    );
  }
}

export const linalgJvpRules: { [P in LinalgPrimitive]: JvpRule<P> } = {
  // d(op(A) op(B)) = op(dA) op(B) + op(A) op(dB)
  matmul: ([ta, tb], { inputs: [a, b], outputs: [c], params: { transA, transB } }) => {
    const t = addOpt(
      ta ? mm(ta, b!, transA, transB) : null,
      tb ? mm(a!, tb, transA, transB) : null,
      add,
    )!;
    return [unbroadcast(t, c!.shape)];
  },
  // dX = op(A)⁻¹ (dB − op(dA) X), dA restricted to the triangle that is read
  triangularSolve: (
    [ta, tb],
    { inputs: [a], outputs: [x], params: { lower, transA, unitDiagonal } },
  ) => {
    const rhs = addOpt(
      tb,
      ta ? neg(mm(readTriangle(ta, lower, unitDiagonal), x!, transA, false)) : null,
      add,
    )!;
    return [triSolve(a!, rhs, lower, transA, unitDiagonal)];
  },
  // dL = L Φ(L⁻¹ sym(dA) L⁻ᵀ) (Murray 2016, arXiv:1602.07527)
  cholesky: ([ta], { outputs: [l] }) => {
    const x = triSolve(l!, sym(ta!), true); // L⁻¹dA
    const w = triSolve(l!, T(x), true); // L⁻¹(L⁻¹dA)ᵀ = L⁻¹dAL⁻ᵀ
    return [mm(l!, phi(w))];
  },
  // X = L⁻¹ Pₘ dA U⁻¹, dLU = L tril(X, −1) + triu(X) U; the permutation has no tangent
  lu: ([ta], { inputs: [a], outputs: [packed, perm] }) => {
    requireSquare('lu (jvp)', a!);
    const [l, u] = unpackLU(packed!);
    const pda = mm(permutationMatrix(perm!, a!), ta!);
    const y = triSolve(packed!, pda, true, false, true); // L⁻¹PₘdA
    const x = T(triSolve(packed!, T(y), false, true)); // (U⁻ᵀ yᵀ)ᵀ = y U⁻¹
    return [add(mm(l, tril(x, -1)), mm(triu(x), u)), null];
  },
  // C = dA R⁻¹, N = QᵀC, Ω = tril(N,−1) − tril(N,−1)ᵀ: dQ = Q(Ω − N) + C, dR = (N − Ω) R (JAX's qr_jvp_rule)
  qr: ([ta], { inputs: [a], outputs: [q, r], params }) => {
    requireReducedTall('qr (jvp)', a!, params.mode);
    const c = T(triSolve(r!, T(ta!), false, true)); // (R⁻ᵀdAᵀ)ᵀ = dA R⁻¹
    const nMat = mm(q!, c, true, false);
    const low = tril(nMat, -1);
    const omega = sub(low, T(low));
    return [add(mm(q!, sub(omega, nMat)), c), mm(sub(nMat, omega), r!)];
  },
  // M = Vᵀ sym(dA) V: dw = diag(M), dV = V (F ∘ M), Fᵢⱼ = 1/(wⱼ − wᵢ)
  eigh: ([ta], { outputs: [w, v] }) => {
    const mMat = mm(mm(v!, sym(ta!), true, false), v!);
    return [diagOf(mMat), mm(v!, mul(inverseGaps(w!), mMat))];
  },
  // M = UᵀdAV: ds = diag(M), dU = U(F∘(MS + SMᵀ)) [+ (I−UUᵀ)dAVS⁻¹], dV = V(F∘(SM + MᵀS)) [+ (I−VVᵀ)dAᵀUS⁻¹]
  svd: ([ta], { inputs: [a], outputs: [u, s, vt], params }) => {
    requireReduced('svd (jvp)', a!, params.fullMatrices);
    const [m, n] = [a!.shape[a!.ndim - 2]!, a!.shape[a!.ndim - 1]!];
    const da = ta!;
    const mMat = mm(mm(u!, da, true, false), vt!, false, true);
    const f = inverseGaps(mul(s!, s!));
    const ms = scaleCols(mMat, s!);
    const sm = scaleRows(s!, mMat);
    let du = mm(u!, mul(f, add(ms, T(ms))));
    let dv = mm(vt!, mul(f, add(sm, T(sm))), true, false);
    const sInv = div(1, s!);
    if (m > n) {
      const dav = mm(da, vt!, false, true);
      du = add(du, scaleCols(sub(dav, mm(u!, mm(u!, dav, true, false))), sInv));
    }
    if (n > m) {
      const dau = mm(da, u!, true, false);
      dv = add(dv, scaleCols(sub(dau, mm(vt!, mm(vt!, dau), true, false)), sInv));
    }
    return [du, diagOf(mMat), T(dv)];
  },
};
