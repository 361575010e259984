/**
 * Physics and machine learning: ODE integrators, dynamical systems, SINDy, PINNs, emulators, stability analysis and adjoints.
 *
 * @packageDocumentation
 */

export {};
