import { type NDArray, ShapeError, formatShape, slice, stack, zeros } from '@sciml/linalg';
import type { Layer } from './layer.js';
import {
  type CellKind,
  type RecurrentCellParams,
  gruCell,
  initRecurrentCell,
  lstmCell,
  rnnCell,
} from './recurrent-cells.js';
import { positiveInt } from './shapes.js';

/** Parameters of a one-layer sequence RNN/GRU/LSTM with PyTorch's `nn.LSTM` names (`weight_ih_l0`, ...). @public */
export type RecurrentParams = {
  /** Input weights `[G·H, in]`. */
  weight_ih_l0: NDArray;
  /** Recurrent weights `[G·H, H]`. */
  weight_hh_l0: NDArray;
  /** Input bias `[G·H]`. */
  bias_ih_l0: NDArray;
  /** Recurrent bias `[G·H]`. */
  bias_hh_l0: NDArray;
};

/** Options of the sequence layers. @public */
export interface RecurrentOptions {
  /** Return every step's hidden state `[N, T, H]` (default true, as PyTorch) or only the last `[N, H]`. */
  returnSequences?: boolean;
}

const toCell = (p: RecurrentParams): RecurrentCellParams => ({
  weight_ih: p.weight_ih_l0,
  weight_hh: p.weight_hh_l0,
  bias_ih: p.bias_ih_l0,
  bias_hh: p.bias_hh_l0,
});

function sequenceLayer(
  kind: CellKind,
  hiddenSize: number,
  options: RecurrentOptions,
): Layer<RecurrentParams> {
  const op = kind;
  positiveInt(op, 'hiddenSize', hiddenSize);
  const returnSequences = options.returnSequences ?? true;
  const check = (s: readonly number[]): void => {
    if (s.length !== 2)
      throw new ShapeError(
        op,
        `expects examples [T, features] (batch first), got ${formatShape(s)}`,
      );
  };
  return {
    kind: op,
    init(rng, s, o = {}) {
      check(s);
      const c = initRecurrentCell(kind, rng, s[1]!, hiddenSize, o);
      return {
        weight_ih_l0: c.weight_ih,
        weight_hh_l0: c.weight_hh,
        bias_ih_l0: c.bias_ih,
        bias_hh_l0: c.bias_hh,
      };
    },
    initState: () => ({}),
    outputShape(s) {
      check(s);
      return returnSequences ? [s[0]!, hiddenSize] : [hiddenSize];
    },
    apply(params, x, { state } = {}) {
      if (x.ndim !== 3)
        throw new ShapeError(op, `expects [N, T, features], got ${formatShape(x.shape)}`);
      const cell = toCell(params);
      const [N, T] = x.shape as [number, number, number];
      let h: NDArray = zeros([N, hiddenSize], { dtype: x.dtype as 'float64' });
      let c = h;
      const hs: NDArray[] = [];
      for (let t = 0; t < T; t++) {
        const xt = slice(x, null, t);
        if (kind === 'lstm') ({ h, c } = lstmCell(cell, xt, { h, c }));
        else h = kind === 'gru' ? gruCell(cell, xt, h) : rnnCell(cell, xt, h);
        hs.push(h);
      }
      return { y: returnSequences ? stack(hs, { axis: 1 }) : h, state: state ?? {} };
    },
  };
}

/** Elman RNN over `[N, T, in]` (PyTorch's `nn.RNN(batch_first=True)`, tanh, one layer, zero initial state). @public */
export function rnn(hiddenSize: number, options: RecurrentOptions = {}): Layer<RecurrentParams> {
  return sequenceLayer('rnn', hiddenSize, options);
}

/** GRU over `[N, T, in]` (PyTorch's `nn.GRU(batch_first=True)`, one layer, zero initial state). @public */
export function gru(hiddenSize: number, options: RecurrentOptions = {}): Layer<RecurrentParams> {
  return sequenceLayer('gru', hiddenSize, options);
}

/** LSTM over `[N, T, in]` (PyTorch's `nn.LSTM(batch_first=True)`, one layer, zero initial state). @public */
export function lstm(hiddenSize: number, options: RecurrentOptions = {}): Layer<RecurrentParams> {
  return sequenceLayer('lstm', hiddenSize, options);
}
