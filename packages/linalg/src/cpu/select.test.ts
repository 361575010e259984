// where(cond, a, b) on the CPU: the flat fast path (operands of the output's shape or single values, selecting
// on the elements' bits for 4- and 8-byte types) must pick exactly what the definition picks — NaN, ±0 and ±Infinity
// included — and the broadcast path must still serve every other shape.
import { describe, expect, it } from 'vitest';
import { array, zeros } from '../ops/creation.js';
import { greater, where } from '../ops/elementwise.js';
import { transpose } from '../ops/shape.js';

const SPECIAL = [Number.NaN, 0, -0, 1, -1, 2.5, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
// 64 elements: every special value in a against every one in b, and a mask that is neither all true nor periodic
const A = SPECIAL.flatMap((x) => SPECIAL.map(() => x));
const B = SPECIAL.flatMap(() => SPECIAL);
const MASK = A.map((_, i) => (i * 7) % 5 < 2);

/** Element i of a flat operand, or its one value. */
const at = (v: number[], i: number) => (v.length === 1 ? v[0]! : v[i]!);

/** The definition, element by element: cond ? a : b (float32 operands hold rounded values). */
function reference(
  mask: boolean[],
  a: number[],
  b: number[],
  n: number,
  round: (x: number) => number,
) {
  return Array.from({ length: n }, (_, i) =>
    round((mask.length === 1 ? mask[0] : mask[i]) ? at(a, i) : at(b, i)),
  );
}

/** True when every element is the same number, NaN and the sign of zero included. */
const same = (got: ArrayLike<number | bigint>, want: number[]) =>
  got.length === want.length && want.every((w, i) => Object.is(Number(got[i]), w));

describe.each(['float64', 'float32', 'int32'] as const)('where on the CPU (%s)', (dtype) => {
  const round =
    dtype === 'float32' ? Math.fround : dtype === 'int32' ? (x: number) => x | 0 : (x: number) => x;
  // int32 holds no NaN, ±Infinity or −0: the values it can hold
  const a = dtype === 'int32' ? A.map((x, i) => (Number.isFinite(x) ? round(x) + i : i)) : A;
  const b = dtype === 'int32' ? B.map((x, i) => (Number.isFinite(x) ? round(x) - i : -i)) : B;
  const cond = array(MASK.map(Number), { shape: [8, 8], dtype: 'bool' });
  const arr = (v: number[], shape: number[]) => array(v, { shape, dtype });

  it('same shapes: picks a where the mask is true and b elsewhere, bit for bit', () => {
    const got = where(cond, arr(a, [8, 8]), arr(b, [8, 8]));
    expect(got.dtype).toBe(dtype);
    expect(same(got.dataSync(), reference(MASK, a, b, 64, round))).toBe(true);
  });

  it('single-value operands (shape [] and [1, 1]) on either side, as relu and its gradient use them', () => {
    for (const s of dtype === 'int32' ? [0, 3, -7] : SPECIAL) {
      const left = where(cond, arr([s], []), arr(b, [8, 8]));
      expect(same(left.dataSync(), reference(MASK, [s], b, 64, round))).toBe(true);
      const right = where(cond, arr(a, [8, 8]), arr([s], [1, 1]));
      expect(same(right.dataSync(), reference(MASK, a, [s], 64, round))).toBe(true);
    }
    // both single values, the mask alone full-sized
    const both = where(cond, arr([2], [1]), arr([-3], []));
    expect(same(both.dataSync(), reference(MASK, [2], [-3], 64, round))).toBe(true);
  });

  it('a single-value mask selects a whole operand', () => {
    for (const m of [true, false]) {
      const got = where(
        array([Number(m)], { shape: [], dtype: 'bool' }),
        arr(a, [8, 8]),
        arr(b, [8, 8]),
      );
      expect(same(got.dataSync(), (m ? a : b).map(round))).toBe(true);
    }
  });

  it('broadcast rows take the strided path, a transposed (materialised) operand the flat one: same definition', () => {
    // (8, 8) ? (1, 8) : (8, 1)
    const row = SPECIAL.map((x, i) => (dtype === 'int32' ? i : x));
    const col = SPECIAL.map((x, i) => (dtype === 'int32' ? -i : -x));
    const got = where(cond, arr(row, [1, 8]), arr(col, [8, 1]));
    const want = MASK.map((m, i) => round(m ? row[i % 8]! : col[Math.floor(i / 8)]!));
    expect(same(got.dataSync(), want)).toBe(true);
    // a transposed b: b̃[i][j] = b[j][i]
    const bt = transpose(arr(b, [8, 8]));
    const gotT = where(cond, arr(a, [8, 8]), bt);
    const bT = b.map((_, k) => b[(k % 8) * 8 + Math.floor(k / 8)]!);
    expect(same(gotT.dataSync(), reference(MASK, a, bT, 64, round))).toBe(true);
  });

  it('empty operands give an empty result of the broadcast shape', () => {
    const e = zeros([0, 3], { dtype });
    const got = where(greater(e, 0), e, arr([1], []));
    expect(got.shape).toEqual([0, 3]);
    expect(got.size).toBe(0);
  });
});

it('where with a mask from a comparison chooses relu exactly, −0 and NaN included', () => {
  const x = array([-0, 0, -1, 2, Number.NaN, Number.NEGATIVE_INFINITY, 1e-300], {
    dtype: 'float64',
  });
  const y = where(greater(x, 0), x, 0);
  expect(same(y.dataSync(), [0, 0, 0, 2, 0, 0, 1e-300])).toBe(true);
});
