import { SciMLError } from '@sciml/linalg';

/** Where a {@link DataFormatError} happened and what was wrong. */
export interface DataFormatProblem {
  /** The file name, URL or label of the input (`'<bytes>'` when the caller gave none). */
  source: string;
  /** Byte offset in the input where the problem was found. */
  offset: number;
  /** What is wrong, in words, with the fix when there is one. */
  problem: string;
}

/**
 * Malformed, truncated or unsupported input to a reader (npy, npz, safetensors, CSV, JSON, HDF5). Names the
 * source, the byte offset and the problem, so a corrupt file is located without a hex editor.
 * @public
 */
export class DataFormatError extends SciMLError {
  /** The file name, URL or label of the input. */
  readonly source: string;
  /** Byte offset in the input where the problem was found. */
  readonly offset: number;
  /** What is wrong. */
  readonly problem: string;

  constructor(op: string, { source, offset, problem }: DataFormatProblem) {
    super(op, `${source} at byte ${offset}: ${problem}`);
    this.source = source;
    this.offset = offset;
    this.problem = problem;
  }
}

/** Label used in errors when the caller names no source. */
export const UNNAMED_SOURCE = '<bytes>';
