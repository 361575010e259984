/**
 * Forward- and reverse-mode automatic differentiation over NDArray pytrees: grad, vjp, jvp, jacobian, hessian, composable to any order.
 *
 * @packageDocumentation
 */

export {};
