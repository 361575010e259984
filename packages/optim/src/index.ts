/**
 * Optimisers for scientific machine learning: SGD to Adam, line search, proximal methods, Newton, BFGS, L-BFGS and Levenberg–Marquardt.
 *
 * @packageDocumentation
 */

export {};
