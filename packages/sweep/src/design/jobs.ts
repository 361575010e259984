// A design becomes jobs: each parameter set gets an id derived from its values alone (so a re-run of the same
// sweep, in any order and on any runner, finds the same files) and a seed for its task's generator.
import { createHash } from 'node:crypto';
import { ValueError } from '@sciml/linalg';
import type { Design, Params } from './params.js';

/**
 * One job of a sweep.
 * @public
 */
export interface SweepJob {
  /** Stable id: a hash of the parameters (16 hex digits); names the job's result file. */
  readonly id: string;
  /** Position in the design. */
  readonly index: number;
  /** The job's parameters. */
  readonly params: Params;
  /** Seed of the job's `rng`: its `seed` parameter when it has one, else derived from `id`. */
  readonly seed: number;
}

/** JSON with object keys sorted, so equal parameter sets give equal text whatever their key order. */
export function canonicalJson(params: Params): string {
  const keys = Object.keys(params).sort();
  return JSON.stringify(Object.fromEntries(keys.map((k) => [k, params[k]])));
}

function checkValue(index: number, name: string, value: unknown): void {
  const ok =
    (typeof value === 'number' && Number.isFinite(value)) ||
    typeof value === 'string' ||
    typeof value === 'boolean';
  if (!ok) {
    throw new ValueError(
      'jobsOf',
      `parameter '${name}' of design entry ${index} is ${String(value)}; use finite numbers, strings or booleans`,
    );
  }
}

/**
 * The jobs of a design, in design order. Duplicate parameter sets are an error (they would share one
 * result file); so is an empty design.
 * @public
 */
export function jobsOf(design: Design): SweepJob[] {
  if (!Array.isArray(design) || design.length === 0) {
    throw new ValueError('jobsOf', 'the design is empty; build one with grid, sobol, seeds, ...');
  }
  const seen = new Map<string, number>();
  return design.map((params, index) => {
    for (const [name, value] of Object.entries(params)) checkValue(index, name, value);
    const id = createHash('sha256').update(canonicalJson(params)).digest('hex').slice(0, 16);
    const first = seen.get(id);
    if (first !== undefined) {
      throw new ValueError(
        'jobsOf',
        `design entries ${first} and ${index} have the same parameters ${canonicalJson(params)}; remove the duplicate or add a seed`,
      );
    }
    seen.set(id, index);
    const s = params.seed;
    // 12 hex digits = 48 bits: a safe integer the Generator accepts
    const seed =
      typeof s === 'number' && Number.isSafeInteger(s) && s >= 0
        ? s
        : Number.parseInt(id.slice(0, 12), 16);
    return { id, index, params, seed };
  });
}
