/**
 * Bad-input tables: one row per way a user can misuse a public function (wrong shapes, NaN/Inf, empty,
 * singular, wrong dtype, a plain JS array where an NDArray is expected), each asserting the typed error and
 * that its message names the public function the user called — not an op it is built from.
 */
import { describe, expect, it } from 'vitest';

/** One misuse of a public function and the error it must raise. */
export interface BadInputCase {
  /** The call as a user would write it, e.g. `'solve(singular 2×2, b)'` (the test's name). */
  readonly call: string;
  /** Makes the call (sync or async). */
  readonly run: () => unknown;
  /** The error class it must throw (one of the package's typed errors). */
  readonly error: abstract new (
    ...args: never[]
  ) => Error;
  /**
   * The public function the message must name: the error's `op`, and the message's `op: ` prefix (left out
   * only by the tuple rows of `describeBadInputs`, whose message pattern names it).
   */
  readonly op?: string;
  /** Text the message must contain (the shapes, the fix). */
  readonly says?: readonly (string | RegExp)[];
  /** Text it must not contain (names of internals the user never called). */
  readonly neverSays?: readonly (string | RegExp)[];
}

/** Runs `row.run` and returns what it threw (or rejected with); fails the test when nothing was thrown. */
async function thrownBy(row: BadInputCase): Promise<unknown> {
  try {
    await row.run();
  } catch (e) {
    return e;
  }
  throw new Error(
    `${row.call} returned normally; expected a ${row.error.name}${row.op ? ` naming ${row.op}` : ''}`,
  );
}

/** A `describe` block with one test per case (see `BadInputCase`). */
export function describeBadInput(name: string, cases: readonly BadInputCase[]): void {
  describe(`bad input: ${name}`, () => {
    for (const row of cases) {
      const naming = row.op ? ` naming ${row.op}` : '';
      it(`${row.call} → ${row.error.name}${naming}`, async () => {
        const e = await thrownBy(row);
        expect(e, String(e)).toBeInstanceOf(row.error);
        const err = e as Error & { op?: unknown };
        if (row.op) {
          expect(err.op).toBe(row.op);
          expect(err.message.startsWith(`${row.op}: `), err.message).toBe(true);
        }
        for (const s of row.says ?? []) expect(err.message).toMatch(s);
        for (const s of row.neverSays ?? []) expect(err.message).not.toMatch(s);
      });
    }
  });
}

/** A bad input as a tuple: what it is, the call, the error class, and a pattern its message must match. */
export type BadInputRow = readonly [
  what: string,
  call: () => unknown,
  error: abstract new (...args: never[]) => Error,
  message: RegExp,
];

/** `describeBadInput` for tuple rows (the non-finite-policy tables of issue 26 are written this way). */
export function describeBadInputs(title: string, rows: readonly BadInputRow[]): void {
  describeBadInput(
    title,
    rows.map(([what, call, error, message]) => ({ call: what, run: call, error, says: [message] })),
  );
}
