// Type tests (checked by `tsc -p tsconfig.json`): what the transforms return for each argnums form.
import type { NDArray } from '@sciml/linalg';
import { expectTypeOf } from 'vitest';
import {
  checkpoint,
  cond,
  grad,
  hessian,
  jacobian,
  jit,
  scan,
  valueAndGrad,
  vjp,
  vmap,
} from './index.js';

type Params = { w: NDArray; layers: { b: NDArray }[] };
declare const params: Params;
declare const x: NDArray;
declare const loss: (p: Params, x: NDArray) => NDArray;

expectTypeOf(grad(loss)(params, x)).toEqualTypeOf<Params>();
expectTypeOf(grad(loss, { argnums: 1 })(params, x)).toEqualTypeOf<NDArray>();
expectTypeOf(grad(loss, { argnums: [0, 1] })(params, x)).toEqualTypeOf<[Params, NDArray]>();
expectTypeOf(valueAndGrad(loss)(params, x)).toEqualTypeOf<[NDArray, Params]>();
expectTypeOf(
  grad((p: Params) => [loss(p, x), 'aux'] as const, { hasAux: true })(params),
).toEqualTypeOf<[Params, 'aux']>();
expectTypeOf(grad(grad((z: NDArray) => z))(x)).toEqualTypeOf<NDArray>();
expectTypeOf(jacobian((p: Params) => loss(p, x))(params)).toEqualTypeOf<Params>();
expectTypeOf(hessian((z: NDArray) => z)(x)).toEqualTypeOf<NDArray>();
const [out, pullback] = vjp(
  (p: Params, z: NDArray) => [loss(p, z), z] as [NDArray, NDArray],
  params,
  x,
);
expectTypeOf(out).toEqualTypeOf<[NDArray, NDArray]>();
expectTypeOf(pullback(out)).toEqualTypeOf<[Params, NDArray]>();

// staged transforms keep the signature of the function they wrap
expectTypeOf(jit(loss)(params, x)).toEqualTypeOf<NDArray>();
expectTypeOf(jit(valueAndGrad(loss))(params, x)).toEqualTypeOf<[NDArray, Params]>();
expectTypeOf(jit(loss).stats.traces).toEqualTypeOf<number>();
expectTypeOf(vmap(grad(loss), { inAxes: [null, 0] })(params, x)).toEqualTypeOf<Params>();
expectTypeOf(checkpoint(loss)(params, x)).toEqualTypeOf<NDArray>();
expectTypeOf(
  cond(
    true,
    (z: NDArray) => z,
    (z: NDArray) => z,
    x,
  ),
).toEqualTypeOf<NDArray>();
expectTypeOf(scan((c: NDArray, z: NDArray) => [c, { y: z }] as const, x, x)).toEqualTypeOf<
  [NDArray, { readonly y: NDArray } | null]
>();
