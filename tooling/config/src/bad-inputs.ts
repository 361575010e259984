/**
 * Table-driven bad-input suites: one row per bad input, each expecting a typed error whose message names
 * the public function (issue 25/26's bad-input tables in linalg, optim and physics share this runner).
 */
import { describe, expect, it } from 'vitest';

/** One bad input: what it is, the call, the error class it must throw and the message it must match. */
export type BadInputRow = readonly [
  what: string,
  call: () => unknown,
  error: abstract new (...args: never[]) => Error,
  message: RegExp,
];

/** A `describe` block with one test per row: the call must throw an instance of the class, with the message. */
export function describeBadInputs(title: string, rows: readonly BadInputRow[]): void {
  describe(title, () => {
    for (const [what, call, error, message] of rows) {
      it(what, () => {
        let thrown: unknown;
        try {
          call();
        } catch (e) {
          thrown = e;
        }
        expect(thrown).toBeInstanceOf(error);
        expect((thrown as Error).message).toMatch(message);
      });
    }
  });
}
