/**
 * Run-time checks of public arguments that TypeScript cannot enforce for plain-JS (or `tsx`) callers: an
 * NDArray where one is expected, named after the public op so the message says where the mistake is.
 */
import { ValueError } from './errors.js';
import { NDArray } from './ndarray.js';

/** A short description of a value that is not an NDArray, for error messages (`a JavaScript array [1, 2, 3]`). */
export function describeValue(v: unknown): string {
  if (Array.isArray(v)) {
    const text = JSON.stringify(v);
    return `a JavaScript array ${text && text.length > 40 ? `${text.slice(0, 37)}...` : text}`;
  }
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  if (v === null) return 'null';
  if (typeof v === 'object') return `an object of class ${v.constructor?.name ?? 'Object'}`;
  return `${typeof v} ${String(v)}`;
}

/**
 * Throws a `ValueError` naming `op` unless `x` is an NDArray; `what` says which argument (`'argument 0'`,
 * `'b'`). Plain arrays and typed arrays get the conversion in the message.
 */
export function assertNDArray(op: string, x: unknown, what = 'the input'): asserts x is NDArray {
  if (x instanceof NDArray) return;
  const fix =
    Array.isArray(x) || ArrayBuffer.isView(x)
      ? '; convert it with array(...) (or fromTypedArray) from @sciml/linalg'
      : '';
  throw new ValueError(op, `${what} must be an NDArray, got ${describeValue(x)}${fix}`);
}
