// One job of the hyper-parameter sweep: a one-hidden-layer tanh network u(x) = W₂ tanh(W₁ x + b₁) + b₂ fitted to
// sin(πx) on [−1, 1] by full-batch gradient descent (gradients from @sciml/autodiff), for a given learning rate
// and width. Returns the trained parameters (a pytree) and the final training and validation errors.
import { valueAndGrad } from '@sciml/autodiff';
import {
  add,
  linspace,
  matmul,
  mean,
  mul,
  reshape,
  sin,
  square,
  sub,
  tanh,
  zeros,
} from '@sciml/linalg';

const X = reshape(linspace(-1, 1, 64), [64, 1]);
const Y = sin(mul(X, Math.PI));
const X_VAL = reshape(linspace(-0.99, 0.99, 50), [50, 1]);
const Y_VAL = sin(mul(X_VAL, Math.PI));

const predict = (p, x) => add(matmul(tanh(add(matmul(x, p.w1), p.b1)), p.w2), p.b2);
const loss = (p, x, y) => mean(square(sub(predict(p, x), y)));

export default function train({ lr, width, steps = 300 }, { rng, progress }) {
  // Glorot-style initialisation from the job's generator
  let params = {
    w1: mul(rng.normal([1, width]), Math.sqrt(2 / (1 + width))),
    b1: zeros([width]),
    w2: mul(rng.normal([width, 1]), Math.sqrt(2 / (1 + width))),
    b2: zeros([1]),
  };
  const step = valueAndGrad((p) => loss(p, X, Y));
  let trainLoss = Number.NaN;
  for (let k = 0; k < steps; k++) {
    const [value, g] = step(params);
    trainLoss = value.item();
    params = Object.fromEntries(
      Object.entries(params).map(([name, w]) => [name, sub(w, mul(g[name], lr))]),
    );
    if (k % 50 === 0) progress(k / steps);
  }
  return { params, trainLoss, valLoss: loss(params, X_VAL, Y_VAL).item() };
}
