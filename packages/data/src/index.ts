/**
 * `@sciml/data`: getting data in and out of @sciml — NumPy `.npy`/`.npz`, safetensors, CSV/TSV, JSON and
 * HDF5 readers and writers; seeded synthetic datasets and a small real one; scalers, splits, batching and
 * time-series windows.
 *
 * @packageDocumentation
 */

export { DataFormatError } from './errors.js';
export type { DataFormatProblem } from './errors.js';
export type { DecodeOptions, FileDType } from './io/dtypes.js';
export { loadNpy, readNpy, writeNpy } from './io/npy.js';
export type { NpyData, ReadNpyOptions, WriteNpyOptions } from './io/npy.js';
export { loadNpz, readNpz, writeNpz } from './io/npz.js';
export type { ReadNpzOptions, WriteNpzOptions } from './io/npz.js';
export { DEFAULT_MAX_BYTES } from './io/bounds.js';
export type { SizeLimitOptions } from './io/bounds.js';
export { flattenTree, unflattenTree } from './io/pytree.js';
export type { ArrayTree } from './io/pytree.js';
export { loadSafetensors, readSafetensors, writeSafetensors } from './io/safetensors.js';
export type {
  ReadSafetensorsOptions,
  SafetensorsData,
  WriteSafetensorsOptions,
} from './io/safetensors.js';
export { readCsv, readTsv, tableToArray, writeCsv } from './io/csv.js';
export type { ColumnType, CsvTable, ReadCsvOptions, WriteCsvOptions } from './io/csv.js';
export { readJsonArray, writeJsonArray } from './io/json.js';
export type { ReadJsonArrayOptions } from './io/json.js';
export type { RandomOptions } from './random.js';
export {
  concentricCircles,
  gaussianBlobs,
  swissRoll,
  twoMoons,
} from './datasets/classification.js';
export type { BlobOptions, LabelledPoints, ToyOptions } from './datasets/classification.js';
export {
  fourierFeatureMap,
  fourierFeatureRegression,
  noisySinusoid,
  polynomialRegression,
} from './datasets/regression.js';
export type {
  FourierFeatureMap,
  Regression1DOptions,
  RegressionData,
} from './datasets/regression.js';
export { lowRankPlusNoise } from './datasets/lowrank.js';
export type { LowRankData } from './datasets/lowrank.js';
export { fieldFromSnapshots, snapshotMatrix } from './datasets/snapshots.js';
export { AffineScaler, MinMaxScaler, RobustScaler, StandardScaler } from './prep/scalers.js';
export { kFold, temporalSplit, timeSeriesFolds, trainTestSplit } from './prep/splits.js';
export type { Fold, Split } from './prep/splits.js';
export { batches } from './prep/batches.js';
export type { BatchOptions, BatchSource, Batches } from './prep/batches.js';
export { stepPairs, timeWindows } from './prep/windows.js';
export type { WindowOptions, Windows } from './prep/windows.js';
export {
  readCsvFile,
  readNpyFile,
  readNpzFile,
  readSafetensorsFile,
  writeNpyFile,
  writeNpzFile,
  writeSafetensorsFile,
} from './node/files.js';
export { readHdf5 } from './node/hdf5.js';
export type { Hdf5Attribute, Hdf5Data, ReadHdf5Options } from './node/hdf5.js';
export { digitsFromPixels, loadDigits } from './node/digits.js';
export type { DigitsData } from './node/digits.js';
