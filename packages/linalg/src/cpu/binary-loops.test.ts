// The specialised binary loops (cpu/elementwise.ts binaryRow) must equal the scalar definitions
// (binaryFns / compareFns) exactly, NaN, ±0 and ±Infinity included, on every broadcasting path.
import { describe, expect, it } from 'vitest';
import { array } from '../ops/creation.js';
import {
  add,
  div,
  equal,
  greater,
  greaterEqual,
  less,
  lessEqual,
  maximum,
  minimum,
  mul,
  notEqual,
  sub,
} from '../ops/elementwise.js';
import { binaryFns, compareFns } from './elementwise.js';

const SPECIAL = [Number.NaN, 0, -0, 1, -1, 2.5, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
const a = SPECIAL.flatMap((x) => SPECIAL.map(() => x)); // 64 pairs: every special value against every other
const b = SPECIAL.flatMap(() => SPECIAL);

const OPS = {
  add: [add, binaryFns.add],
  sub: [sub, binaryFns.sub],
  mul: [mul, binaryFns.mul],
  div: [div, binaryFns.div],
  maximum: [maximum, binaryFns.maximum],
  minimum: [minimum, binaryFns.minimum],
  less: [less, compareFns.less],
  lessEqual: [lessEqual, compareFns.lessEqual],
  greater: [greater, compareFns.greater],
  greaterEqual: [greaterEqual, compareFns.greaterEqual],
  equal: [equal, compareFns.equal],
  notEqual: [notEqual, compareFns.notEqual],
} as const;

describe.each(['float64', 'float32'] as const)('specialised binary loops (%s)', (dtype) => {
  it.each(Object.keys(OPS))(
    '%s equals its scalar definition on same-shape, scalar and broadcast operands',
    (name) => {
      const [op, fn] = OPS[name as keyof typeof OPS];
      const round = dtype === 'float32' ? Math.fround : (x: number) => x;
      const same = Array.from(op(array(a, { dtype }), array(b, { dtype })).dataSync(), Number);
      for (let i = 0; i < a.length; i++)
        expect(Object.is(same[i], round(fn(a[i]!, b[i]!)))).toBe(true);
      for (const s of SPECIAL) {
        const withScalar = Array.from(op(array(a, { dtype }), s).dataSync(), Number);
        for (let i = 0; i < a.length; i++)
          expect(Object.is(withScalar[i], round(fn(a[i]!, s)))).toBe(true);
      }
      // (8, 8) ∘ (1, 8): the broadcast row path
      const rows = op(array(a, { shape: [8, 8], dtype }), array(SPECIAL, { shape: [1, 8], dtype }));
      const got = Array.from(rows.dataSync(), Number);
      for (let i = 0; i < a.length; i++)
        expect(Object.is(got[i], round(fn(a[i]!, SPECIAL[i % 8]!)))).toBe(true);
    },
  );
});
