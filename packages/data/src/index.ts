/**
 * Data for @sciml: npy/npz, safetensors, CSV and HDF5 readers and writers, datasets, splits, scaling, batching and time windows.
 *
 * @packageDocumentation
 */

export {};
