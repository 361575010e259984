import { type PyTree, grad, valueAndGrad } from '@sciml/autodiff';
import {
  type Generator,
  type NDArray,
  ValueError,
  add,
  mean,
  mul,
  neg,
  sqrt,
  square,
  sub,
  sum,
} from '@sciml/linalg';
import { type Layer, type LayerLike, leakyRelu, linear, sequential, softplus } from '@sciml/nn';
import { type GradientOptimizer, adam } from '@sciml/optim';
import { batchSampler } from '../diffusion/ddpm.js';

/** Parameters of a {@link gan}: generator G and discriminator (critic) D. */
export type GanParams = {
  /** Generator network z → x. */
  generator: PyTree;
  /** Discriminator network x → logit (or critic value for WGAN). */
  discriminator: PyTree;
};

/** Options of {@link gan}. */
export interface GanOptions {
  /** Data dimension d. */
  dataDim: number;
  /** Noise dimension (default 2). */
  noiseDim?: number;
  /** Hidden widths of both MLPs (default [128, 128]). */
  hidden?: readonly number[];
  /** Hidden activation of both MLPs (default leaky ReLU). */
  activation?: LayerLike;
}

/** A generative adversarial network: MLP generator and discriminator (leaky-ReLU hidden layers). */
export interface Gan {
  /** Data dimension. */
  readonly dataDim: number;
  /** Noise dimension. */
  readonly noiseDim: number;
  /** Draws parameters. */
  init(rng: Generator): GanParams;
  /** G(z) for noise `[n, noiseDim]`. */
  generate(params: PyTree, z: NDArray): NDArray;
  /** D(x) `[n]` for data `[n, d]`. */
  discriminate(params: PyTree, x: NDArray): NDArray;
}

/** Builds a GAN of two MLPs. */
export function gan(options: GanOptions): Gan {
  const { dataDim } = options;
  const noiseDim = options.noiseDim ?? 2;
  const hidden = options.hidden ?? [128, 128];
  if (!Number.isInteger(dataDim) || dataDim < 1)
    throw new ValueError('gan', `dataDim must be a positive integer, got ${dataDim}`);
  const mlp = (out: number): Layer => {
    const items: LayerLike[] = [];
    for (const h of hidden) items.push(linear(h), options.activation ?? leakyRelu);
    items.push(linear(out));
    return sequential(...items);
  };
  const G = mlp(dataDim);
  const D = mlp(1);
  return {
    dataDim,
    noiseDim,
    init: (rng) => ({ generator: G.init(rng, [noiseDim]), discriminator: D.init(rng, [dataDim]) }),
    generate: (params, z) => G.apply(params as never, z).y,
    discriminate: (params, x) => sum(D.apply(params as never, x).y, { axis: 1 }),
  };
}

/** Draws n samples G(z), z ~ N(0, I). */
export function ganSample(
  model: Gan,
  params: GanParams,
  options: { rng: Generator; n: number },
): NDArray {
  return model.generate(params.generator, options.rng.normal([options.n, model.noiseDim]));
}

/**
 * The discriminator loss of the original GAN (Goodfellow et al. 2014): −E ln D(x) − E ln(1 − D(G(z))) with
 * D = σ(logit), i.e. E softplus(−logit(x)) + E softplus(logit(G(z))).
 */
export function ganDiscriminatorLoss(
  model: Gan,
  dParams: PyTree,
  real: NDArray,
  fake: NDArray,
): NDArray {
  return add(
    mean(softplus(neg(model.discriminate(dParams, real)))),
    mean(softplus(model.discriminate(dParams, fake))),
  );
}

/** The non-saturating generator loss −E ln D(G(z)) = E softplus(−logit(G(z))) (Goodfellow et al. 2014, §3). */
export function ganGeneratorLoss(model: Gan, params: GanParams, z: NDArray): NDArray {
  return mean(
    softplus(neg(model.discriminate(params.discriminator, model.generate(params.generator, z)))),
  );
}

/**
 * The WGAN-GP gradient penalty E_x̂ (‖∇_x̂ D(x̂)‖₂ − 1)² at x̂ = εx + (1 − ε)x̃, ε ~ U(0, 1) per example
 * (Gulrajani et al. 2017, eq. 3). Differentiating it in the critic's parameters differentiates a gradient:
 * a second-order use of autodiff. `epsilon` `[n, 1]` may be passed to make it deterministic.
 */
export function gradientPenalty(
  model: Gan,
  dParams: PyTree,
  real: NDArray,
  fake: NDArray,
  options: { rng?: Generator; epsilon?: NDArray },
): NDArray {
  const n = real.shape[0]!;
  let eps = options.epsilon;
  if (eps === undefined) {
    if (!options.rng)
      throw new ValueError('gradientPenalty', 'pass options.rng (or a fixed options.epsilon)');
    eps = options.rng.uniform([n, 1]);
  }
  const xhat = add(mul(real, eps), mul(fake, sub(1, eps)));
  // rows are independent, so ∇ of Σₙ D(x̂ₙ) holds each row's own gradient
  const g = grad((x: NDArray) => sum(model.discriminate(dParams, x)))(xhat);
  // ‖g‖ with a tiny floor keeps the derivative of the norm finite at g = 0
  const norm = sqrt(add(sum(square(g), { axis: 1 }), 1e-12));
  return mean(square(sub(norm, 1)));
}

/** Options of {@link trainGan}. */
export interface TrainGanOptions {
  /** Random generator. */
  rng: Generator;
  /** `'nonsaturating'` (default) or `'wgan-gp'`. */
  loss?: 'nonsaturating' | 'wgan-gp';
  /** Generator updates (default 2000). */
  steps?: number;
  /** Discriminator updates per generator update (default 1; WGAN-GP: 5). */
  criticSteps?: number;
  /** Gradient-penalty weight λ (default 10). */
  lambda?: number;
  /** Mini-batch size (default 256). */
  batchSize?: number;
  /** Generator optimiser (default `adam({ lr: 1e-3, beta1: 0.5 })`; WGAN-GP: `adam({ lr: 1e-4, beta1: 0.5, beta2: 0.9 })`). */
  generatorOptimizer?: GradientOptimizer;
  /** Discriminator optimiser (same defaults as the generator's). */
  discriminatorOptimizer?: GradientOptimizer;
  /** Starting parameters. */
  init?: GanParams;
  /** Called after each generator update with both losses; return `false` to stop. */
  onStep?: (
    step: number,
    losses: { generator: number; discriminator: number },
  ) => boolean | undefined;
}

/** Alternating stochastic-gradient training of a GAN on data `[n, d]`; returns the parameters. */
export function trainGan(model: Gan, data: NDArray, options: TrainGanOptions): GanParams {
  const { rng } = options;
  const wgan = options.loss === 'wgan-gp';
  if (options.loss !== undefined && options.loss !== 'nonsaturating' && !wgan)
    throw new ValueError(
      'trainGan',
      `loss must be 'nonsaturating' or 'wgan-gp', got ${String(options.loss)}`,
    );
  const steps = options.steps ?? 2000;
  const criticSteps = options.criticSteps ?? (wgan ? 5 : 1);
  const lambda = options.lambda ?? 10;
  const batch = options.batchSize ?? 256;
  const defaultOpt = () =>
    wgan ? adam({ lr: 1e-4, beta1: 0.5, beta2: 0.9 }) : adam({ lr: 1e-3, beta1: 0.5 });
  const gOpt = options.generatorOptimizer ?? defaultOpt();
  const dOpt = options.discriminatorOptimizer ?? defaultOpt();
  let params = options.init ?? model.init(rng);
  let gState = gOpt.init(params.generator);
  let dState = dOpt.init(params.discriminator);
  const next = batchSampler('trainGan', data, batch, rng);
  const noise = () => rng.normal([batch, model.noiseDim]);
  const dLoss = valueAndGrad((d: PyTree, real: NDArray, fake: NDArray) => {
    if (!wgan) return ganDiscriminatorLoss(model, d, real, fake);
    const w = sub(mean(model.discriminate(d, fake)), mean(model.discriminate(d, real)));
    return add(w, mul(gradientPenalty(model, d, real, fake, { rng }), lambda));
  });
  const gLoss = valueAndGrad((g: PyTree, d: PyTree, z: NDArray) => {
    const p = { generator: g, discriminator: d };
    return wgan
      ? neg(mean(model.discriminate(d, model.generate(g, z))))
      : ganGeneratorLoss(model, p, z);
  });
  for (let s = 0; s < steps; s++) {
    let dValue = 0;
    for (let c = 0; c < criticSteps; c++) {
      const fake = model.generate(params.generator, noise());
      const [v, gd] = dLoss(params.discriminator, next(), fake);
      const upd = dOpt.update(params.discriminator, gd, dState);
      params = { ...params, discriminator: upd.params };
      dState = upd.state;
      dValue = v.item();
    }
    const [gv, gg] = gLoss(params.generator, params.discriminator, noise());
    const upd = gOpt.update(params.generator, gg, gState);
    params = { ...params, generator: upd.params };
    gState = upd.state;
    if (options.onStep?.(s, { generator: gv.item(), discriminator: dValue }) === false) break;
  }
  return params;
}
