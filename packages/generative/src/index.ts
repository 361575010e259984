/**
 * `@sciml/generative`: generative modelling on @sciml. This first release has the diffusion-model noise
 * schedules and forward process (DDPM) and Langevin sampling from a score; models (VAE, GAN, DDPM networks,
 * RBMs) follow.
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
