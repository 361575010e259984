/**
 * WebGPU compute for @sciml (Dawn in Node through the `webgpu` package, or the browser): WGSL kernels and a backend for every @sciml package.
 *
 * @packageDocumentation
 */

export {};
