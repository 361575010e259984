import {
  type FloatDType,
  type Generator,
  type NDArray,
  type RandomArrayOptions,
  ValueError,
  zeros,
} from '@sciml/linalg';

/**
 * Options shared by the initialisers: the generator (required: initialisation is random), the dtype and the
 * backend (the default dtype follows the backend: float64 on the CPU, float32 on a GPU).
 */
export interface InitOptions<D extends FloatDType = FloatDType> extends RandomArrayOptions<D> {
  /** Seeded generator the weights are drawn from. */
  rng: Generator;
}

/** fan-in and fan-out of a weight of shape (in, out) or a conv kernel (out, in, kh, kw). */
export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length < 2)
    throw new ValueError('fans', `weights need at least 2 dimensions, got ${shape.length}`);
  if (shape.length === 2) return { fanIn: shape[0]!, fanOut: shape[1]! };
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[1]! * receptive, fanOut: shape[0]! * receptive };
}

/** Glorot/Xavier uniform: U(−a, a) with a = √(6/(fan_in + fan_out)), variance 2/(fan_in + fan_out) (Glorot & Bengio 2010). */
export function glorotUniform<D extends FloatDType = FloatDType>(
  shape: readonly number[],
  options: InitOptions<D>,
): NDArray<D> {
  const { fanIn, fanOut } = fans(shape);
  const a = Math.sqrt(6 / (fanIn + fanOut));
  return options.rng.uniform(shape, {
    low: -a,
    high: a,
    dtype: options.dtype,
    backend: options.backend,
  });
}

/** Glorot/Xavier normal: N(0, 2/(fan_in + fan_out)) (Glorot & Bengio 2010). */
export function glorotNormal<D extends FloatDType = FloatDType>(
  shape: readonly number[],
  options: InitOptions<D>,
): NDArray<D> {
  const { fanIn, fanOut } = fans(shape);
  return options.rng.normal(shape, {
    std: Math.sqrt(2 / (fanIn + fanOut)),
    dtype: options.dtype,
    backend: options.backend,
  });
}

/** He/Kaiming normal for ReLU networks: N(0, 2/fan_in) (He et al. 2015). */
export function heNormal<D extends FloatDType = FloatDType>(
  shape: readonly number[],
  options: InitOptions<D>,
): NDArray<D> {
  const { fanIn } = fans(shape);
  return options.rng.normal(shape, {
    std: Math.sqrt(2 / fanIn),
    dtype: options.dtype,
    backend: options.backend,
  });
}

/** LeCun normal for tanh/SELU networks: N(0, 1/fan_in) (LeCun et al. 1998). */
export function lecunNormal<D extends FloatDType = FloatDType>(
  shape: readonly number[],
  options: InitOptions<D>,
): NDArray<D> {
  const { fanIn } = fans(shape);
  return options.rng.normal(shape, {
    std: Math.sqrt(1 / fanIn),
    dtype: options.dtype,
    backend: options.backend,
  });
}

/** Zeros (for biases). */
export function zerosInit<D extends FloatDType = FloatDType>(
  shape: readonly number[],
  options: RandomArrayOptions<D> = {},
): NDArray<D> {
  return zeros(shape, { dtype: options.dtype, backend: options.backend });
}
