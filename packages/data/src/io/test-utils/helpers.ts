// Shared test helpers for the readers: hex fixtures, error assertions and fuzzing with fast-check.
import fc from 'fast-check';
import { expect } from 'vitest';
import { DataFormatError } from '../../errors.js';

/** Bytes of a hex string. */
export function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Values from `tolist()` JSON (NaN/±∞ spelled as strings) as numbers. */
export function numbersOf(json: string): unknown {
  return fix(JSON.parse(json));
}

function fix(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fix);
  if (v === 'nan') return Number.NaN;
  if (v === 'inf') return Number.POSITIVE_INFINITY;
  if (v === '-inf') return Number.NEGATIVE_INFINITY;
  return v;
}

/** Runs `fn`, expects a DataFormatError and returns it. */
export function expectFormatError(
  fn: () => unknown,
  problem?: RegExp,
  offset?: number,
): DataFormatError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DataFormatError);
    const err = e as DataFormatError;
    if (problem) expect(err.problem).toMatch(problem);
    if (offset !== undefined) expect(err.offset).toBe(offset);
    return err;
  }
  throw new Error('expected a DataFormatError, nothing was thrown');
}

/** Calls `read`, accepting a result or a DataFormatError; any other exception fails the property. */
function readOrFormatError(
  read: (b: Uint8Array) => unknown,
  bytes: Uint8Array,
  inner: boolean,
): boolean {
  try {
    read(bytes);
  } catch (e) {
    if (!(e instanceof DataFormatError)) throw e;
    expect(e.offset).toBeGreaterThanOrEqual(0);
    if (!inner) expect(e.offset).toBeLessThanOrEqual(bytes.length);
  }
  return true;
}

/** A mutation of valid bytes: flipped bytes, truncation, or an inserted/overwritten run. */
export function mutated(valid: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc
    .record({
      base: fc.constantFrom(...valid),
      flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
        minLength: 1,
        maxLength: 6,
      }),
      cut: fc.option(fc.nat(), { nil: undefined }),
    })
    .map(({ base, flips, cut }) => {
      const b = base.slice();
      for (const [i, v] of flips) b[i % b.length] = v;
      return cut === undefined ? b : b.subarray(0, cut % (b.length + 1));
    });
}

/**
 * Fuzzes a reader with random bytes and mutations of valid files: it must return or throw a
 * DataFormatError with an in-range offset, never anything else (a RangeError would mean an unchecked read).
 * `inner` allows offsets into a decompressed entry (npz), which may exceed the archive's length.
 */
export function fuzzReader(
  read: (b: Uint8Array) => unknown,
  valid: readonly Uint8Array[],
  { numRuns = 300, inner = false }: { numRuns?: number; inner?: boolean } = {},
): void {
  const check = (b: Uint8Array) => readOrFormatError(read, b, inner);
  fc.assert(fc.property(fc.uint8Array({ maxLength: 256 }), check), { numRuns, seed: 1 });
  fc.assert(fc.property(mutated(valid), check), { numRuns, seed: 2 });
}
