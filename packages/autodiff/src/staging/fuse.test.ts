/**
 * CPU fusion: chains of elementwise ops become one generated loop that returns the eager numbers exactly
 * (float64 and float32, broadcasting of every kind, tanh through the wasm kernel across block boundaries),
 * and the buffer plan never hands out memory that a result still uses.
 */
import {
  Generator,
  type NDArray,
  add,
  astype,
  bind,
  cpuBackend,
  exp,
  greater,
  matmul,
  maximum,
  mul,
  neg,
  sigmoid,
  sin,
  sqrt,
  sub,
  sum,
  tanh,
  transpose,
  where,
} from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { treeFlatten } from '../tree.js';
import { uniform } from '../test-utils/random.js';
import { compileStaged } from './compile.js';
import { isFusableReduction, planFusion } from './fuse.js';
import { jit } from './jit.js';
import { stage } from './stage.js';

function compiled(f: (...xs: NDArray[]) => NDArray, args: NDArray[]) {
  const { leaves, def } = treeFlatten(args);
  return compileStaged(stage('jit', f as (...a: unknown[]) => unknown, def, leaves, cpuBackend));
}

/** Bitwise equality of two arrays' values (NaN equal to NaN). */
function expectSame(a: NDArray, b: NDArray): void {
  expect(a.shape).toEqual(b.shape);
  expect(a.dtype).toBe(b.dtype);
  expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
}

const CASES: [string, (...xs: NDArray[]) => NDArray, () => NDArray[], number][] = [
  [
    'tanh(a·b + c), 10 000 elements (3 blocks)',
    (a, b, c) => tanh(add(mul(a, b), c)),
    () => [
      uniform([100, 100], -2, 2, 1),
      uniform([100, 100], -2, 2, 2),
      uniform([100, 100], -1, 1, 3),
    ],
    1,
  ],
  [
    // eager tanh takes the wasm kernel for the whole array (length ≥ TANH_MIN_LENGTH), so the loop must too in
    // its short last block, where a per-block length check would switch to Math.tanh
    'tanh with a last block of 5 elements (4 101 = 4 096 + 5), argument made in the loop',
    (a, b, c) => tanh(add(mul(a, b), c)),
    () => [uniform([4101], -2, 2, 23), uniform([4101], -2, 2, 24), uniform([4101], -1, 1, 25)],
    1,
  ],
  [
    'tanh with a last block of 5 elements, argument also read by a later segment',
    (z, b) => {
      const s = add(z, b);
      const h = tanh(s);
      return mul(tanh(mul(h, 2)), s);
    },
    () => [uniform([4101], -2, 2, 26), uniform([4101], -1, 1, 27)],
    1,
  ],
  [
    'bias row (suffix broadcast), scalar, values carried across two tanh',
    (z, b) => {
      const h = tanh(add(z, b));
      return mul(sub(1, mul(h, h)), tanh(add(mul(h, 2), z)));
    },
    () => [uniform([50, 30], -2, 2, 4), uniform([30], -1, 1, 5)],
    1,
  ],
  [
    'column broadcast (strided), comparisons, where, cast',
    (x, col) => {
      const s = add(x, col);
      return where(greater(s, 0), sqrt(s), mul(astype(greater(x, col), 'float64'), exp(s)));
    },
    () => [uniform([7, 5], -1, 1, 6), uniform([7, 1], -1, 1, 7)],
    1,
  ],
  [
    'rank-3 broadcasts on both sides across blocks, with a tanh segment (strided odometer)',
    (a, b, c) => mul(tanh(add(mul(a, b), c)), sub(a, c)),
    () => [
      uniform([30, 1, 200], -1, 1, 18),
      uniform([1, 7, 1], -1, 1, 19),
      uniform([7, 200], -1, 1, 20),
    ],
    1,
  ],
  [
    'sigmoid, maximum, neg, sin chain',
    (x, y) => neg(sin(maximum(sigmoid(x), y))),
    () => [uniform([64], -3, 3, 8), uniform([64], 0, 1, 9)],
    1,
  ],
  [
    'bias gradient: column sum of tanh′·δ inside the loop (one group, summed in the same order as eager)',
    (d, y) => {
      const g = mul(d, sub(1, mul(y, y)));
      return add(sum(g, { axis: 0 }), sum(mul(g, y), { axis: 0, keepdims: true }));
    },
    () => [uniform([300, 40], -1, 1, 21), uniform([300, 40], -0.9, 0.9, 22)],
    1,
  ],
  [
    'sums over leading and middle axes of a rank-3 broadcast chain, across blocks and a tanh segment',
    (a, b) => {
      const h = tanh(add(a, b));
      return add(sum(mul(h, a), { axis: [0, 1] }), sum(sum(h, { axis: 1 }), { axis: 0 }));
    },
    () => [uniform([9, 70, 20], -2, 2, 23), uniform([70, 1], -1, 1, 24)],
    1,
  ],
  [
    'a value read after its sum in the same shape closes the group (sum complete before use)',
    (x) => {
      const c = sum(mul(x, x), { axis: 0, keepdims: true });
      return mul(sub(x, c), 2);
    },
    () => [uniform([50, 30], -1, 1, 25)],
    2,
  ],
  [
    'two shapes around a matmul (two groups)',
    (x, w) => sum(tanh(add(mul(matmul(tanh(mul(x, 2)), w), 0.5), 1)), { axis: 1 }),
    () => [uniform([20, 8], -1, 1, 10), uniform([8, 6], -1, 1, 11)],
    2,
  ],
];

describe('fused loops equal eager execution bit for bit', () => {
  it.each(CASES)('%s', (_name, f, args, groups) => {
    for (const dtype of ['float64', 'float32'] as const) {
      const xs = args().map((x) => astype(x, dtype));
      const exe = compiled(f, xs);
      expect(exe.mode.kind).toBe('fused');
      expect(exe.fusedGroups).toBe(groups);
      expectSame(exe.run(xs)[0]!, f(...xs));
    }
  });
});

describe('random programs', () => {
  it('interleaved shapes, broadcasts, reductions and matmuls: jit equals eager bit for bit', () => {
    const rng = new Generator(31);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.nextFloat() * xs.length)]!;
    const unary = [tanh, sin, exp, neg, sigmoid, (v: NDArray) => sqrt(add(mul(v, v), 1))];
    const binary = [add, sub, mul, maximum];
    for (let trial = 0; trial < 40; trial++) {
      // a random straight-line program over values of shapes (4, 3), (3,), (4, 1) and scalars
      const ops: ((vals: NDArray[]) => NDArray)[] = [];
      const steps = 6 + Math.floor(rng.nextFloat() * 20);
      for (let s = 0; s < steps; s++) {
        const kind = rng.nextFloat();
        const i = Math.floor(rng.nextFloat() * (3 + s));
        const j = Math.floor(rng.nextFloat() * (3 + s));
        if (kind < 0.35) {
          const u = pick(unary);
          ops.push((vals) => u(vals[i]!));
        } else if (kind < 0.8) {
          const b = pick(binary);
          ops.push((vals) => b(vals[i]!, vals[j]!));
        } else if (kind < 0.85) {
          ops.push((vals) => sum(vals[i]!, { axis: -1, keepdims: true }));
        } else if (kind < 0.9) {
          // a column sum, fused into its operand's loop when that one is a (4, 3) group
          ops.push((vals) => sum(vals[i]!, { axis: 0, keepdims: true }));
        } else {
          ops.push((vals) => {
            const v = vals[i]!;
            return v.ndim === 2 && v.shape[1] === 3 ? matmul(v, transpose(mul(v, 0.5))) : mul(v, 2);
          });
        }
      }
      const program = (a: NDArray, b: NDArray, c: NDArray): NDArray => {
        const vals = [a, b, c];
        for (const op of ops) {
          // keep every value broadcastable with (4, 3): a (4, 4) matmul result is sliced back
          let v = op(vals);
          if (v.ndim === 2 && v.shape[1] === 4)
            v = bind('slice', [v], { starts: [0, 0], steps: [1, 1], lengths: [4, 3] })[0]!;
          vals.push(v);
        }
        return add(sum(vals[vals.length - 1]!), sum(vals[vals.length - 2]!));
      };
      const args = [
        uniform([4, 3], -1, 1, trial),
        uniform([3], -1, 1, trial + 100),
        uniform([4, 1], -1, 1, trial + 200),
      ];
      expectSame(
        jit(program)(...(args as [NDArray, NDArray, NDArray])),
        program(...(args as [NDArray, NDArray, NDArray])),
      );
    }
  });
});

describe('reductions in the loop', () => {
  it('column sums join the group of their operand; row sums and full sums stay library calls', () => {
    const f = (d: NDArray, y: NDArray) => {
      const g = mul(d, sub(1, mul(y, y)));
      return [sum(g, { axis: 0 }), sum(g, { axis: 1 }), sum(g)] as const;
    };
    const xs = [uniform([30, 20], -1, 1, 26), uniform([30, 20], -1, 1, 27)];
    const { leaves, def } = treeFlatten(xs);
    const staged = stage('jit', f as (...a: unknown[]) => unknown, def, leaves, cpuBackend);
    const steps = planFusion(staged.jaxpr);
    const library = steps.flatMap((s) => (s.kind === 'eqn' ? [s.eqn] : []));
    expect(library.map((e) => e.primitive).sort()).toEqual(['sum', 'sum']);
    expect(library.every((e) => !isFusableReduction(e))).toBe(true);
    const fused = steps.flatMap((s) => (s.kind === 'fused' ? s.group.eqns : []));
    expect(fused.filter((e) => e.primitive === 'sum')).toHaveLength(1);
    const exe = compileStaged(staged);
    const got = exe.run(xs);
    f(xs[0]!, xs[1]!).forEach((want, k) => {
      expectSame(got[k]!, want);
    });
  });
});

describe('outer products', () => {
  it('a matmul with inner dimension 1 becomes an elementwise mul, in every transposition', () => {
    for (const [transA, transB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const f = (a: NDArray, b: NDArray) => tanh(bind('matmul', [a, b], { transA, transB })[0]!);
      const a = uniform(transA ? [2, 1, 5] : [2, 5, 1], -1, 1, 16);
      const b = uniform(transB ? [4, 1] : [1, 4], -1, 1, 17);
      const exe = compiled(f, [a, b]);
      expect(exe.staged.jaxpr.eqns.some((e) => e.primitive === 'matmul')).toBe(false);
      expect(exe.fusedGroups).toBe(1);
      const got = exe.run([a, b])[0]!;
      const want = f(a, b);
      expect(got.shape).toEqual(want.shape);
      // one product per element either way; tanh of equal arguments is equal
      expect(Array.from(got.dataSync()).map((v) => v + 0)).toEqual(
        Array.from(want.dataSync()).map((v) => v + 0),
      );
    }
  });
});

describe('buffer plan', () => {
  it('never reuses the memory of a returned result on later calls', () => {
    const f = jit((x: NDArray) => {
      const a = tanh(mul(x, 3));
      const b = exp(mul(neg(a), a));
      return add(mul(b, 2), sin(b));
    });
    const x1 = uniform([1000], -1, 1, 12);
    const x2 = uniform([1000], -1, 1, 13);
    const first = f(x1);
    const snapshot = Array.from(first.dataSync());
    const second = f(x2);
    f(x1);
    expect(Array.from(first.dataSync())).toEqual(snapshot);
    expect(second.dataSync()).not.toBe(first.dataSync());
  });

  it('GEMMs into planned buffers: equal to eager in every transposition, results never recycled', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      for (const [transA, transB] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ] as const) {
        // the first product dies inside the call (its buffer is recycled), the second is a result
        const f = (a: NDArray, b: NDArray) => {
          const h = tanh(bind('matmul', [a, b], { transA, transB })[0]!);
          return [bind('matmul', [h, mul(h, 2)], { transA: false, transB: true })[0]!, h] as const;
        };
        const a = astype(uniform([12, 12], -1, 1, 40), dtype);
        const b = astype(uniform([12, 12], -1, 1, 41), dtype);
        const g = jit(f);
        const [first] = g(a, b);
        const snapshot = Array.from(first.dataSync());
        const [second, h2] = g(b, a);
        expect(Array.from(first.dataSync())).toEqual(snapshot);
        const [want, wantH] = f(b, a);
        expectSame(second, want);
        expectSame(h2, wantH);
        expectSame(first, f(a, b)[0]);
      }
    }
  });

  it('keeps inputs intact and reuses dead intermediates within a call', () => {
    const f = (x: NDArray, w: NDArray) => {
      let h = x;
      for (let i = 0; i < 4; i++) h = tanh(add(mul(matmul(h, w), 0.5), h));
      return h;
    };
    const x = uniform([16, 16], -1, 1, 14);
    const w = uniform([16, 16], -1, 1, 15);
    const before = Array.from(x.dataSync());
    const g = jit(f);
    expectSame(g(x, w), f(x, w));
    expectSame(g(x, w), f(x, w));
    expect(Array.from(x.dataSync())).toEqual(before);
  });

  it('holds no more pooled memory after many calls than after one (library-kernel outputs are not hoarded)', () => {
    // each call's matmuls allocate fresh outputs that die inside the call; the plan used to pool every one
    // of them, so a training loop's memory grew by a step's worth of intermediates per step
    const f = (x: NDArray, w: NDArray) => {
      let h = x;
      for (let i = 0; i < 4; i++) h = tanh(add(mul(matmul(h, w), 0.5), h));
      return sum(h);
    };
    const x = uniform([64, 16], -1, 1, 16);
    const w = uniform([16, 16], -1, 1, 17);
    const exe = compiled(f, [x, w]);
    exe.run([x, w]);
    const afterOne = exe.pooledBytes();
    for (let k = 0; k < 50; k++) exe.run([x, w]);
    expect(exe.pooledBytes()).toBe(afterOne);
    // at most one buffer per fused or GEMM output: 4 groups and 4 products of 64 × 16 float64 values
    expect(afterOne).toBeLessThanOrEqual(8 * 64 * 16 * 8);
    expectSame(exe.run([x, w])[0]!, f(x, w));
  });
});
