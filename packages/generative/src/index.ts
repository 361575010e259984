/**
 * `@sciml/generative`: generative modelling — DDPM/DDIM diffusion with an MLP denoiser, latent diffusion on a
 * VAE's latents, (annealed) Langevin sampling, VAEs, GANs and WGAN-GP, RBMs with CD/PCD, exact ln Z and AIS, variational Monte Carlo with
 * neural-network quantum states, the ring-of-Gaussians benchmark with MMD, and probabilistic forecasting
 * (a normal-output network of P(u_{t+1} | u_t) on stochastic Lorenz-63, judged by rank histograms).
 *
 * @packageDocumentation
 */

export { qPosterior, qSample } from './diffusion/forward.js';
export { cosineSchedule, linearSchedule } from './diffusion/schedules.js';
export type {
  CosineScheduleOptions,
  LinearScheduleOptions,
  NoiseSchedule,
} from './diffusion/schedules.js';
export { langevinSample } from './score/langevin.js';
export type { ScoreFn } from './score/langevin.js';
export { modeCoverage, ringMixture, ringMixtureCenters } from './data/gaussian-mixture.js';
export type { ModeCoverage, RingMixtureOptions } from './data/gaussian-mixture.js';
export { mmd2, mmdThreshold } from './metrics/mmd.js';
export { chi2Quantile99 } from './metrics/chi2.js';
export { rankHistogram } from './metrics/rank-histogram.js';
export type { RankHistogram } from './metrics/rank-histogram.js';
export { stochasticLorenz63 } from './data/lorenz.js';
export type { StochasticLorenz63Options } from './data/lorenz.js';
export { trainGaussianForecaster } from './forecast/gaussian-forecaster.js';
export type {
  GaussianForecaster,
  GaussianForecasterOptions,
} from './forecast/gaussian-forecaster.js';
export type { MmdOptions, MmdThresholdOptions } from './metrics/mmd.js';
export { blocking } from './vmc/blocking.js';
export type { BlockingResult } from './vmc/blocking.js';
export { independentChainsMean } from './vmc/independent-chains.js';
export type { IndependentChainsResult } from './vmc/independent-chains.js';
export { checkWaveFunction } from './vmc/check-wave-function.js';
export type { WaveFunctionCheck } from './vmc/check-wave-function.js';
export { harmonicTrap, localEnergy } from './vmc/hamiltonian.js';
export type { Hamiltonian, HarmonicTrapOptions } from './vmc/hamiltonian.js';
export { padeJastrow } from './vmc/jastrow.js';
export type { PadeJastrowOptions } from './vmc/jastrow.js';
export { rbmWaveFunction } from './vmc/rbm-wave-function.js';
export type { RbmWaveFunctionOptions } from './vmc/rbm-wave-function.js';
export { metropolisWalker } from './vmc/sampler.js';
export type { VmcMethod, Walker, WalkerOptions } from './vmc/sampler.js';
export { vmcEnergy, vmcOptimize } from './vmc/vmc.js';
export type { VmcOptimizeOptions, VmcOptimizeResult, VmcOptions, VmcResult } from './vmc/vmc.js';
export { gaussianWaveFunction, productWaveFunction } from './vmc/wave-function.js';
export type { SystemOptions, WaveFunction } from './vmc/wave-function.js';
export { cdGradient, trainRbm } from './rbm/cd.js';
export type { CdOptions, TrainRbmOptions } from './rbm/cd.js';
export {
  flipToPositiveMagnetization,
  isingObservables,
  isingSamples,
  isingSeries,
} from './rbm/ising.js';
export type { IsingObservables, IsingOptions, IsingSeries } from './rbm/ising.js';
export { wolffUpdate } from './rbm/wolff.js';
export { exactIsingObservables } from './rbm/ising-exact.js';
export { aisLogZ, rbmLogLikelihood, rbmLogZ } from './rbm/log-partition.js';
export type { AisOptions, AisResult } from './rbm/log-partition.js';
export {
  geometricBetas,
  scaleRbm,
  temperedChains,
  temperedGibbs,
  temperedSamples,
  temperedSwap,
} from './rbm/tempering.js';
export type {
  TemperedChains,
  TemperedChainsOptions,
  TemperedSamplesOptions,
} from './rbm/tempering.js';
export {
  bernoulli,
  freeEnergy,
  hiddenField,
  hiddenProbs,
  initRbm,
  sampleHidden,
  sampleVisible,
  visibleMean,
} from './rbm/rbm.js';
export type { RbmParams, RbmUnits } from './rbm/rbm.js';
export {
  batchSampler,
  ddimSample,
  ddimTimesteps,
  ddpmLoss,
  ddpmSample,
  trainDdpm,
} from './diffusion/ddpm.js';
export type { DdimSampleOptions, DdpmSampleOptions, TrainDdpmOptions } from './diffusion/ddpm.js';
export { mlpDenoiser } from './diffusion/denoiser.js';
export type { Denoiser, MlpDenoiserOptions } from './diffusion/denoiser.js';
export { timestepEmbedding } from './diffusion/time-embedding.js';
export { annealedLangevinSample } from './score/annealed-langevin.js';
export type { AnnealedLangevinOptions } from './score/annealed-langevin.js';
export {
  trainVae,
  vae,
  vaeElbo,
  vaeDecodeSample,
  vaeExPostPrior,
  vaeLogLikelihood,
  vaeSample,
} from './vae/vae.js';
export type {
  ElboTerms,
  TrainVaeOptions,
  Vae,
  VaeOptions,
  VaeParams,
  VaeSampleOptions,
} from './vae/vae.js';
export {
  gan,
  ganDiscriminatorLoss,
  ganGeneratorLoss,
  ganSample,
  gradientPenalty,
  trainGan,
} from './gan/gan.js';
export type { Gan, GanOptions, GanParams, TrainGanOptions } from './gan/gan.js';
export { scoreFromDenoiser, vpSde, vpSdeFromSchedule } from './score/vp-sde.js';
export type { TimeScoreFn, VpSde, VpSdeOptions } from './score/vp-sde.js';
export { reverseSdeSample } from './score/reverse-sde.js';
export type { ContinuousSampleOptions, ReverseSdeOptions } from './score/reverse-sde.js';
export { probabilityFlow, probabilityFlowSample } from './score/probability-flow.js';
export type {
  ProbabilityFlowOptions,
  ProbabilityFlowSampleOptions,
} from './score/probability-flow.js';
export {
  fitGaussianMixture,
  gaussianMixtureLogPdf,
  sampleGaussianMixture,
} from './density/gaussian-mixture-em.js';
export type {
  FitGaussianMixtureOptions,
  GaussianMixture,
} from './density/gaussian-mixture-em.js';
export {
  fitLatentScaling,
  latentDdpmLatents,
  latentDdpmSample,
  scaleLatents,
  trainLatentDdpm,
  unscaleLatents,
} from './diffusion/latent-diffusion.js';
export type {
  LatentDdpm,
  LatentDdpmSampleOptions,
  LatentScaling,
  LatentScalingMode,
  TrainLatentDdpmOptions,
} from './diffusion/latent-diffusion.js';
export { residualMlpDenoiser } from './diffusion/residual-denoiser.js';
export type {
  ResidualMlpDenoiserOptions,
  ResidualMlpDenoiserParams,
} from './diffusion/residual-denoiser.js';
