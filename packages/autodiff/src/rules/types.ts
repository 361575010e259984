import type { NDArray, OpRecord, Primitive } from '@sciml/linalg';

/**
 * Reverse-mode rule of primitive `P`: from the cotangents of its outputs (`null` = zero; at least one is
 * non-null) to the cotangents of its inputs (`null` = zero, or not wanted). `wanted[i]` says whether input i
 * needs a cotangent at all (it is connected to what is being differentiated), so rules skip work for
 * constants. Rules are written with the public ops of @sciml/linalg, so they are differentiable themselves.
 */
export type VjpRule<P extends Primitive> = (
  cts: readonly (NDArray | null)[],
  rec: OpRecord<P>,
  wanted: readonly boolean[],
) => readonly (NDArray | null)[];

/**
 * Forward-mode rule of primitive `P`: from the tangents of its inputs (`null` = zero; at least one is
 * non-null) to the tangents of its outputs (`null` = zero). Written with public ops, like the VJP rules.
 */
export type JvpRule<P extends Primitive> = (
  tangents: readonly (NDArray | null)[],
  rec: OpRecord<P>,
) => readonly (NDArray | null)[];
