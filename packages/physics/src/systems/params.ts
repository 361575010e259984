import { ValueError } from '@sciml/linalg';

/** Merges user parameters over defaults, rejecting unknown names and non-finite values. */
export function resolveParams<P extends object>(
  op: string,
  defaults: Readonly<P>,
  given: Partial<P>,
): P {
  for (const k of Object.keys(given)) {
    // own keys only: `constructor` or `toString` must not pass as a parameter through Object.prototype
    if (!Object.hasOwn(defaults, k)) {
      throw new ValueError(
        op,
        `unknown parameter '${k}'; expected one of ${Object.keys(defaults).join(', ')}`,
      );
    }
  }
  const p = { ...defaults, ...given } as P;
  for (const [k, v] of Object.entries(p)) {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new ValueError(op, `parameter ${k} must be a finite number, got ${String(v)}`);
    }
  }
  return p;
}
