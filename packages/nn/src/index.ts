/**
 * Neural-network layers, losses, initialisers, training loops and checkpoints on @sciml NDArrays.
 *
 * @packageDocumentation
 */

export {};
