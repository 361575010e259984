import { ValueError } from '@sciml/linalg';

/** Merges user parameters over defaults, rejecting unknown names and non-finite values. */
export function resolveParams<P extends object>(
  op: string,
  defaults: Readonly<P>,
  given: Partial<P>,
): P {
  for (const k of Object.keys(given)) {
    if (!(k in defaults)) {
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
