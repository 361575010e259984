/**
 * Physics and machine learning: ODE integrators, dynamical systems, SINDy, PINNs, emulators, stability
 * analysis and adjoints.
 *
 * @packageDocumentation
 */

export * from './integrate/index.js';
export * from './systems/index.js';
export * from './stability/index.js';
export * from './pde/index.js';
export * from './sindy/index.js';
export * from './pinn/index.js';
export * from './emulators/index.js';
