/**
 * `@sciml/linalg/sparse`: sparse matrices (COO, CSR, CSC), matrix-free operators, Krylov solvers with
 * preconditioners, a Lanczos eigensolver and PageRank — SciPy's `scipy.sparse` + `scipy.sparse.linalg`.
 * @packageDocumentation
 */
export { CooMatrix } from './coo.js';
export type { SparseMatrix } from './coo.js';
export { CscMatrix } from './csc.js';
export { CsrMatrix } from './csr.js';
export { CompressedMatrix } from './compressed.js';
export type { CompressedArrays } from './compressed.js';
export { sparseDiags, sparseEye, sparseKron } from './construct.js';
export type { MatrixShape } from './format.js';
export { spmm, spmv } from './ndarray-interop.js';
export type { SparseProductOptions } from './ndarray-interop.js';
export { LinearOperator, aslinearoperator, isLinearMap } from './operator.js';
export type { LinearMap, LinearOperatorOptions } from './operator.js';
export { pagerank } from './pagerank.js';
export type { PageRankOptions } from './pagerank.js';
export { bicgstab } from './krylov/bicgstab.js';
export { cg } from './krylov/cg.js';
export type { KrylovOptions, KrylovResult } from './krylov/common.js';
export { eigsh } from './krylov/eigsh.js';
export type { EigshOptions, EigshResult } from './krylov/eigsh.js';
export { gmres } from './krylov/gmres.js';
export { lobpcg } from './krylov/lobpcg.js';
export type { LobpcgOptions, LobpcgResult } from './krylov/lobpcg.js';
export type { GmresOptions } from './krylov/gmres.js';
export { minres } from './krylov/minres.js';
export { ilu0, jacobi, ssor } from './krylov/preconditioners.js';
export type { Ilu0 } from './krylov/preconditioners.js';
