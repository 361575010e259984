/**
 * Bad-input tables: one row per way a user can misuse a public function (wrong shapes, NaN/Inf, empty,
 * singular, wrong dtype, a plain JS array where an NDArray is expected), each asserting the typed error and
 * that its message names the public function the user called — not an op it is built from.
 */
import { describe, expect, it } from 'vitest';

/** One misuse of a public function and the error it must raise. */
export interface BadInputRow {
  /** The call as a user would write it, e.g. `'solve(singular 2×2, b)'` (the test's name). */
  readonly call: string;
  /** Makes the call (sync or async). */
  readonly run: () => unknown;
  /** The error class it must throw (one of the package's typed errors). */
  readonly error: abstract new (
    ...args: never[]
  ) => Error;
  /** The public function the message must name: the error's `op`, and the message's `op: ` prefix. */
  readonly op: string;
  /** Text the message must contain (the shapes, the fix). */
  readonly says?: readonly (string | RegExp)[];
  /** Text it must not contain (names of internals the user never called). */
  readonly neverSays?: readonly (string | RegExp)[];
}

/** Runs `row.run` and returns what it threw (or rejected with); fails the test when nothing was thrown. */
async function thrownBy(row: BadInputRow): Promise<unknown> {
  try {
    await row.run();
  } catch (e) {
    return e;
  }
  throw new Error(`${row.call} returned normally; expected a ${row.error.name} naming ${row.op}`);
}

/** A `describe` block with one test per row (see `BadInputRow`). */
export function describeBadInput(name: string, rows: readonly BadInputRow[]): void {
  describe(`bad input: ${name}`, () => {
    for (const row of rows) {
      it(`${row.call} → ${row.error.name} naming ${row.op}`, async () => {
        const e = await thrownBy(row);
        expect(e, String(e)).toBeInstanceOf(row.error);
        const err = e as Error & { op?: unknown };
        expect(err.op).toBe(row.op);
        expect(err.message.startsWith(`${row.op}: `), err.message).toBe(true);
        for (const s of row.says ?? []) expect(err.message).toMatch(s);
        for (const s of row.neverSays ?? []) expect(err.message).not.toMatch(s);
      });
    }
  });
}
