// One step of the recurrent cells in PyTorch's formulation and layout (`nn.RNNCell`, `nn.GRUCell`,
// `nn.LSTMCell`): weights `weight_ih [G·H, in]`, `weight_hh [G·H, H]`, biases `bias_ih`, `bias_hh [G·H]`,
// gates stacked in PyTorch's order (GRU: r, z, n; LSTM: i, f, g, o).
import type { FloatDType, Generator, NDArray } from '@sciml/linalg';
import { add, matmul, mul, sigmoid, slice, sub, tanh } from '@sciml/linalg';

/** Parameters of a recurrent cell (PyTorch names and layout). @public */
export type RecurrentCellParams = {
  /** Input weights `[G·H, in]` (G = 1 RNN, 3 GRU, 4 LSTM). */
  weight_ih: NDArray;
  /** Recurrent weights `[G·H, H]`. */
  weight_hh: NDArray;
  /** Input bias `[G·H]`. */
  bias_ih: NDArray;
  /** Recurrent bias `[G·H]`. */
  bias_hh: NDArray;
};

/** The three cell kinds and their gate counts. @public */
export type CellKind = 'rnn' | 'gru' | 'lstm';

/** Number of stacked gates G of each cell. @public */
export const GATES: Readonly<Record<CellKind, number>> = { rnn: 1, gru: 3, lstm: 4 };

/**
 * Draws cell parameters as PyTorch does: every entry U(−1/√H, 1/√H).
 * @public
 */
export function initRecurrentCell(
  kind: CellKind,
  rng: Generator,
  inputSize: number,
  hiddenSize: number,
  options: { dtype?: FloatDType } = {},
): RecurrentCellParams {
  const G = GATES[kind];
  const a = 1 / Math.sqrt(hiddenSize);
  const u = (shape: number[]) => rng.uniform(shape, { low: -a, high: a, dtype: options.dtype });
  return {
    weight_ih: u([G * hiddenSize, inputSize]),
    weight_hh: u([G * hiddenSize, hiddenSize]),
    bias_ih: u([G * hiddenSize]),
    bias_hh: u([G * hiddenSize]),
  };
}

const affine = (x: NDArray, w: NDArray, b: NDArray): NDArray =>
  add(matmul(x, w, { transB: true }), b);
const gate = (z: NDArray, k: number, H: number): NDArray =>
  slice(z, null, `${k * H}:${(k + 1) * H}`);

/** Elman RNN step h' = tanh(W_ih x + b_ih + W_hh h + b_hh) for x `[N, in]`, h `[N, H]`. @public */
export function rnnCell(p: RecurrentCellParams, x: NDArray, h: NDArray): NDArray {
  return tanh(add(affine(x, p.weight_ih, p.bias_ih), affine(h, p.weight_hh, p.bias_hh)));
}

/**
 * GRU step (Cho et al. 2014, PyTorch's variant): r = σ(W_ir x + b_ir + W_hr h + b_hr),
 * z = σ(W_iz x + b_iz + W_hz h + b_hz), n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h' = (1 − z) ⊙ n + z ⊙ h.
 * @public
 */
export function gruCell(p: RecurrentCellParams, x: NDArray, h: NDArray): NDArray {
  const H = h.shape[h.ndim - 1]!;
  const gi = affine(x, p.weight_ih, p.bias_ih);
  const gh = affine(h, p.weight_hh, p.bias_hh);
  const r = sigmoid(add(gate(gi, 0, H), gate(gh, 0, H)));
  const z = sigmoid(add(gate(gi, 1, H), gate(gh, 1, H)));
  const n = tanh(add(gate(gi, 2, H), mul(r, gate(gh, 2, H))));
  return add(mul(sub(1, z), n), mul(z, h));
}

/**
 * LSTM step (Hochreiter & Schmidhuber 1997 with forget gate, Gers et al. 2000): [i, f, g, o] =
 * W_ih x + b_ih + W_hh h + b_hh; c' = σ(f) ⊙ c + σ(i) ⊙ tanh(g), h' = σ(o) ⊙ tanh(c').
 * @public
 */
export function lstmCell(
  p: RecurrentCellParams,
  x: NDArray,
  carry: { h: NDArray; c: NDArray },
): { h: NDArray; c: NDArray } {
  const H = carry.h.shape[carry.h.ndim - 1]!;
  const z = add(affine(x, p.weight_ih, p.bias_ih), affine(carry.h, p.weight_hh, p.bias_hh));
  const c = add(
    mul(sigmoid(gate(z, 1, H)), carry.c),
    mul(sigmoid(gate(z, 0, H)), tanh(gate(z, 2, H))),
  );
  return { h: mul(sigmoid(gate(z, 3, H)), tanh(c)), c };
}
