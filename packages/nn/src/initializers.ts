// Weight initialisers. Each keeps the variance of activations (forward) or gradients (backward) constant
// from layer to layer for the non-linearity it is meant for; the argument is stated on each.
import {
  type FloatDType,
  type Generator,
  type NDArray,
  type RandomArrayOptions,
  ValueError,
  defaultFloatDType,
  diagonal,
  getBackend,
  mul,
  ones,
  qr,
  reshape,
  sign,
  toBackend,
  transpose,
  zeros,
} from '@sciml/linalg';

/**
 * Options shared by the initialisers: the generator (required: initialisation is random), the dtype and the
 * backend; the default dtype follows the backend (float64 on the CPU, float32 on a GPU). @public
 */
export interface InitOptions<D extends FloatDType = FloatDType> extends RandomArrayOptions<D> {
  /** Seeded generator the weights are drawn from. */
  rng: Generator;
}

/** An initialiser: draws an array of `shape`. @public */
export type Initializer = (shape: readonly number[], options: InitOptions) => NDArray;

/**
 * fan-in and fan-out of a weight in PyTorch's layout: `[out, in]` for a linear layer, `[out, in, ...kernel]`
 * for a convolution (fan = channels × receptive-field size).
 * @public
 */
export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length < 2)
    throw new ValueError(
      'fans',
      `weights need at least 2 dimensions ([out, in, ...kernel]), got shape [${shape.join(', ')}]`,
    );
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[1]! * receptive, fanOut: shape[0]! * receptive };
}

function uniformWithVariance(shape: readonly number[], variance: number, o: InitOptions): NDArray {
  // U(−a, a) has variance a²/3
  const a = Math.sqrt(3 * variance);
  return o.rng.uniform(shape, { low: -a, high: a, dtype: o.dtype, backend: o.backend });
}

/**
 * Glorot/Xavier uniform, Var = 2/(fan_in + fan_out) (Glorot & Bengio 2010): the compromise between keeping
 * the forward variance (n_in·Var = 1) and the backward variance (n_out·Var = 1) for tanh-like units.
 * @public
 */
export function glorotUniform(shape: readonly number[], options: InitOptions): NDArray {
  const { fanIn, fanOut } = fans(shape);
  return uniformWithVariance(shape, 2 / (fanIn + fanOut), options);
}

/** Glorot/Xavier normal N(0, 2/(fan_in + fan_out)); variance argument as {@link glorotUniform}. @public */
export function glorotNormal(shape: readonly number[], options: InitOptions): NDArray {
  const { fanIn, fanOut } = fans(shape);
  return options.rng.normal(shape, {
    std: Math.sqrt(2 / (fanIn + fanOut)),
    dtype: options.dtype,
    backend: options.backend,
  });
}

/**
 * He/Kaiming normal N(0, 2/fan_in) (He et al. 2015): ReLU zeroes half its inputs, halving E[a²], so doubling
 * LeCun's 1/fan_in keeps the variance of pre-activations constant through depth.
 * @public
 */
export function heNormal(shape: readonly number[], options: InitOptions): NDArray {
  const { fanIn } = fans(shape);
  return options.rng.normal(shape, {
    std: Math.sqrt(2 / fanIn),
    dtype: options.dtype,
    backend: options.backend,
  });
}

/** He/Kaiming uniform with Var = 2/fan_in (variance argument as {@link heNormal}). @public */
export function heUniform(shape: readonly number[], options: InitOptions): NDArray {
  return uniformWithVariance(shape, 2 / fans(shape).fanIn, options);
}

/**
 * LeCun normal N(0, 1/fan_in) (LeCun et al. 1998, "Efficient BackProp"): a sum of fan_in unit-variance
 * inputs times weights of variance 1/fan_in has unit variance, the fixed point tanh/SELU units want.
 * @public
 */
export function lecunNormal(shape: readonly number[], options: InitOptions): NDArray {
  return options.rng.normal(shape, {
    std: Math.sqrt(1 / fans(shape).fanIn),
    dtype: options.dtype,
    backend: options.backend,
  });
}

/**
 * LeCun uniform with Var = 1/fan_in (variance argument as {@link lecunNormal}); this is PyTorch's default
 * for `nn.Linear` weights up to a factor (PyTorch draws U(±1/√fan_in), Var = 1/(3 fan_in)).
 * @public
 */
export function lecunUniform(shape: readonly number[], options: InitOptions): NDArray {
  return uniformWithVariance(shape, 1 / fans(shape).fanIn, options);
}

/**
 * Orthogonal initialisation (Saxe, McClelland & Ganguli 2014): the Q factor of a Gaussian matrix, with the
 * signs of R's diagonal folded in so Q is Haar-distributed; all singular values are `gain`, so a deep
 * linear network neither explodes nor vanishes. A weight `[out, ...rest]` is treated as out × Π(rest).
 * @public
 */
export function orthogonal(
  shape: readonly number[],
  options: InitOptions & { gain?: number },
): NDArray {
  if (shape.length < 2)
    throw new ValueError(
      'orthogonal',
      `needs at least 2 dimensions, got shape [${shape.join(', ')}]`,
    );
  const rows = shape[0]!;
  const cols = shape.slice(1).reduce((a, b) => a * b, 1);
  const tall = rows >= cols;
  // QR of a tall Gaussian matrix (float64 on the CPU), transposed back when the weight is wide
  const g = options.rng.normal(tall ? [rows, cols] : [cols, rows], {
    dtype: 'float64',
    backend: 'cpu',
  });
  const { Q, R } = qr(g);
  let q = mul(Q, sign(diagonal(R)));
  if (!tall) q = transpose(q);
  q = mul(q, options.gain ?? 1);
  return toBackend(reshape(q, shape), options.backend ?? getBackend(), {
    dtype: options.dtype ?? defaultFloatDType(options.backend),
  });
}

/**
 * SIREN initialisation (Sitzmann et al. 2020, §3.2): U(±1/fan_in) for the first layer, U(±√(6/fan_in)/ω₀)
 * after, so pre-activations of sin(ω₀·) stay arcsine-distributed with unit variance through depth.
 * @public
 */
export function sirenUniform(
  shape: readonly number[],
  options: InitOptions & { firstLayer?: boolean; omega0?: number },
): NDArray {
  const { fanIn } = fans(shape);
  const a = options.firstLayer ? 1 / fanIn : Math.sqrt(6 / fanIn) / (options.omega0 ?? 30);
  return options.rng.uniform(shape, {
    low: -a,
    high: a,
    dtype: options.dtype,
    backend: options.backend,
  });
}

/** Zeros (biases, and the residual branch's last layer when it should start as the identity). @public */
export function zerosInit(shape: readonly number[], options: RandomArrayOptions = {}): NDArray {
  return zeros(shape, { dtype: options.dtype, backend: options.backend });
}

/** Ones (normalisation scales). @public */
export function onesInit(shape: readonly number[], options: RandomArrayOptions = {}): NDArray {
  return ones(shape, { dtype: options.dtype, backend: options.backend });
}
