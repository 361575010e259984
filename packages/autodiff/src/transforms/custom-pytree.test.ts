import { type NDArray, ShapeError, add, array, mul, sin, sub, sum } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { customJvp, customVjp } from './custom.js';
import { jvp } from './forward.js';
import { grad } from './reverse.js';

type Params = { w: NDArray; b: NDArray };
/** An affine map of a parameter tree returning a tree: { y = w·x + b, s = Σx }. */
const affine = (p: Params, x: NDArray) => ({ y: add(mul(p.w, x), p.b), s: sum(x) });
/** A scalar loss of the output tree, so reverse mode has something to differentiate. */
const lossOf = (o: { y: NDArray; s: NDArray }) => add(sum(sin(o.y)), mul(o.s, o.s));

const p = { w: array([0.5, -1, 2]), b: array([0.1, 0.2, -0.3]) };
const x = array([1, 2, 3]);
const flat = (t: NDArray) => Array.from(t.dataSync());

describe('customVjp over pytrees', () => {
  it('receives the output-shaped cotangent and returns one cotangent tree per argument', () => {
    let calls = 0;
    const custom = customVjp(affine, (ct, _out, params, xs) => {
      calls++;
      // hand-written: ∂y/∂w = x, ∂y/∂b = 1, ∂y/∂x = w, ∂s/∂x = 1
      return [{ w: mul(ct.y, xs), b: ct.y }, add(mul(ct.y, params.w), ct.s)];
    });
    const viaCustom = grad((q: Params, z: NDArray) => lossOf(custom(q, z)), { argnums: [0, 1] })(
      p,
      x,
    ) as unknown as [Params, NDArray];
    const reference = grad((q: Params, z: NDArray) => lossOf(affine(q, z)), { argnums: [0, 1] })(
      p,
      x,
    ) as unknown as [Params, NDArray];
    expect(calls).toBe(1);
    expect(flat(viaCustom[0].w)).toEqual(flat(reference[0].w));
    expect(flat(viaCustom[0].b)).toEqual(flat(reference[0].b));
    expect(flat(viaCustom[1])).toEqual(flat(reference[1]));
  });

  it('null cotangents are zeros for a whole argument; unused outputs get zero cotangents', () => {
    const custom = customVjp(affine, (ct, _out, _params, xs) => {
      expect(flat(ct.s)).toEqual([0]); // s is not used by the loss below
      return [{ w: mul(ct.y, xs), b: ct.y }, null];
    });
    const g = grad((z: NDArray) => sum(custom(p, z).y))(x);
    expect(flat(g)).toEqual([0, 0, 0]);
  });

  it('a result of the wrong structure is a ShapeError naming the argument', () => {
    const bad = customVjp(affine, (ct) => [{ w: ct.y }, null]);
    expect(() => grad((q: Params) => sum(bad(q, x).y))(p)).toThrow(ShapeError);
    expect(() => grad((q: Params) => sum(bad(q, x).y))(p)).toThrow(/argument 0/);
  });
});

describe('customJvp over pytrees', () => {
  it('gets tangent trees shaped like the arguments and returns an output-shaped tangent', () => {
    let calls = 0;
    const custom = customJvp(affine, ([tp, tx], _out, params, xs) => {
      calls++;
      return {
        y: add(add(mul(tp.w, xs), tp.b), mul(params.w, tx)),
        s: sum(tx),
      };
    });
    const tangents: [Params, NDArray] = [
      { w: array([1, 0, -1]), b: array([0.5, 0.5, 0.5]) },
      array([0, 1, 0]),
    ];
    const [, viaCustom] = jvp(custom, [p, x], tangents);
    const [, reference] = jvp(affine, [p, x], tangents);
    expect(calls).toBe(1);
    expect(flat(viaCustom.y)).toEqual(flat(reference.y));
    expect(flat(viaCustom.s)).toEqual(flat(reference.s));
    // a constant argument's tangent arrives as zeros of its shape
    const onlyX = customJvp(affine, ([tp, tx], _out, params) => {
      expect(flat(tp.w)).toEqual([0, 0, 0]);
      return { y: mul(params.w, tx), s: sum(tx) };
    });
    const [, t] = jvp((z: NDArray) => onlyX(p, z).y, [x], [array([1, 1, 1])]);
    expect(flat(t)).toEqual(flat(sub(p.w, array([0, 0, 0]))));
  });
});
