/**
 * Generative models on @sciml: VAE, GAN, diffusion (DDPM), score-based Langevin sampling and RBMs.
 *
 * @packageDocumentation
 */

export {};
