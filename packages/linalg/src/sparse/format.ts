import { ShapeError, ValueError } from '../core/errors.js';

/** A matrix shape [rows, columns]. @public */
export type MatrixShape = readonly [number, number];

/** Checks a matrix shape and returns a frozen copy. */
export function checkMatrixShape(op: string, shape: readonly number[]): MatrixShape {
  if (
    shape.length !== 2 ||
    !Number.isInteger(shape[0]) ||
    !Number.isInteger(shape[1]) ||
    shape[0]! < 0 ||
    shape[1]! < 0
  ) {
    throw new ShapeError(
      op,
      `a sparse matrix shape is [rows, columns] of non-negative integers, got [${shape.join(', ')}]`,
    );
  }
  return Object.freeze([shape[0]!, shape[1]!] as const);
}

/**
 * Validates compressed storage (CSR rows or CSC columns): `indptr` has `outer + 1` non-decreasing entries from 0
 * to nnz, and each `indices` entry lies in [0, inner).
 */
export function checkCompressed(
  op: string,
  outer: number,
  inner: number,
  indptr: Int32Array,
  indices: Int32Array,
  data: Float64Array,
): void {
  if (indptr.length !== outer + 1) {
    throw new ShapeError(
      op,
      `indptr needs ${outer + 1} entries (one per row/column + 1), got ${indptr.length}`,
    );
  }
  if (indices.length !== data.length) {
    throw new ShapeError(
      op,
      `indices (${indices.length}) and data (${data.length}) differ in length`,
    );
  }
  if (indptr[0] !== 0 || indptr[outer] !== indices.length) {
    throw new ValueError(op, `indptr must run from 0 to nnz = ${indices.length}`);
  }
  for (let i = 0; i < outer; i++) {
    if (indptr[i + 1]! < indptr[i]!) throw new ValueError(op, `indptr decreases at ${i}`);
  }
  for (let k = 0; k < indices.length; k++) {
    const j = indices[k]!;
    if (j < 0 || j >= inner)
      throw new ValueError(op, `index ${j} at position ${k} lies outside 0…${inner - 1}`);
  }
}

/**
 * Compresses triplets (outer[k], inner[k], value[k]) into sorted, duplicate-free compressed storage by a
 * counting sort on the outer index, a counting sort on the inner index within each slot and a merge of
 * repeated pairs (their values are summed, as SciPy's `sum_duplicates`). O(nnz + outer + inner).
 */
export function compressTriplets(
  nOuter: number,
  nInner: number,
  outer: ArrayLike<number>,
  inner: ArrayLike<number>,
  values: ArrayLike<number>,
): { indptr: Int32Array; indices: Int32Array; data: Float64Array } {
  const nnz = outer.length;
  // pass 1: sort by inner index (stable counting sort), pass 2: stable sort by outer index
  const byInner = countingOrder(
    inner,
    nInner,
    new Int32Array(nnz).map((_, k) => k),
  );
  const order = countingOrder(outer, nOuter, byInner);
  const indptr = new Int32Array(nOuter + 1);
  const indices = new Int32Array(nnz);
  const data = new Float64Array(nnz);
  let w = 0;
  let prevOuter = -1;
  let prevInner = -1;
  for (let t = 0; t < nnz; t++) {
    const k = order[t]!;
    const o = outer[k]!;
    const i = inner[k]!;
    if (o === prevOuter && i === prevInner) {
      data[w - 1]! += values[k]!;
      continue;
    }
    indices[w] = i;
    data[w] = values[k]!;
    indptr[o + 1]!++;
    w++;
    prevOuter = o;
    prevInner = i;
  }
  for (let o = 0; o < nOuter; o++) indptr[o + 1]! += indptr[o]!;
  return { indptr, indices: indices.slice(0, w), data: data.slice(0, w) };
}

/** Stable counting sort of the positions `perm` by `keys[perm[t]]` ∈ [0, range). */
function countingOrder(keys: ArrayLike<number>, range: number, perm: Int32Array): Int32Array {
  const start = new Int32Array(range + 1);
  for (let t = 0; t < perm.length; t++) start[keys[perm[t]!]! + 1]!++;
  for (let r = 0; r < range; r++) start[r + 1]! += start[r]!;
  const out = new Int32Array(perm.length);
  for (let t = 0; t < perm.length; t++) out[start[keys[perm[t]!]!]!++] = perm[t]!;
  return out;
}

/** Checks triplet arrays: equal lengths, integer indices in range, finite values. */
export function checkTriplets(
  op: string,
  shape: MatrixShape,
  rows: ArrayLike<number>,
  cols: ArrayLike<number>,
  values: ArrayLike<number>,
): void {
  if (rows.length !== cols.length || rows.length !== values.length) {
    throw new ShapeError(
      op,
      `rows (${rows.length}), cols (${cols.length}) and values (${values.length}) must have one entry per triplet`,
    );
  }
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k]!;
    const j = cols[k]!;
    if (
      !Number.isInteger(i) ||
      i < 0 ||
      i >= shape[0] ||
      !Number.isInteger(j) ||
      j < 0 ||
      j >= shape[1]
    ) {
      throw new ValueError(
        op,
        `triplet ${k} has index (${i}, ${j}) outside a ${shape[0]}×${shape[1]} matrix`,
      );
    }
  }
}

/** Transposes compressed storage: CSR of A (outer = rows) becomes CSR of Aᵀ (equivalently CSC of A). */
export function transposeCompressed(
  nOuter: number,
  nInner: number,
  indptr: Int32Array,
  indices: Int32Array,
  data: Float64Array,
): { indptr: Int32Array; indices: Int32Array; data: Float64Array } {
  const nnz = indices.length;
  const tptr = new Int32Array(nInner + 1);
  for (let k = 0; k < nnz; k++) tptr[indices[k]! + 1]!++;
  for (let j = 0; j < nInner; j++) tptr[j + 1]! += tptr[j]!;
  const fill = tptr.slice(0, nInner);
  const tind = new Int32Array(nnz);
  const tdata = new Float64Array(nnz);
  for (let i = 0; i < nOuter; i++) {
    for (let k = indptr[i]!; k < indptr[i + 1]!; k++) {
      const at = fill[indices[k]!]!++;
      tind[at] = i;
      tdata[at] = data[k]!;
    }
  }
  return { indptr: tptr, indices: tind, data: tdata };
}
