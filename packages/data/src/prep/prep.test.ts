import { Generator, array, arange, fromTypedArray, take } from '@sciml/linalg';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batches } from './batches.js';
import { MinMaxScaler, RobustScaler, StandardScaler } from './scalers.js';
import { kFold, temporalSplit, timeSeriesFolds, trainTestSplit } from './splits.js';
import { stepPairs, timeWindows } from './windows.js';

const ints = (a: { dataSync(): ArrayLike<number> }) => Array.from(a.dataSync());

describe('scalers', () => {
  const x = array([
    [1, 10, 5],
    [2, 20, 5],
    [3, 30, 5],
    [10, 40, 5],
  ]);

  it('StandardScaler gives zero mean, unit population variance, and inverts exactly', () => {
    const s = new StandardScaler().fit(x);
    const y = s.transform(x).toNested() as number[][];
    for (let j = 0; j < 2; j++) {
      const col = y.map((r) => r[j]!);
      expect(col.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12);
      expect(col.reduce((a, b) => a + b * b, 0) / 4).toBeCloseTo(1, 12);
    }
    expect(y.map((r) => r[2])).toEqual([0, 0, 0, 0]); // constant column: scale 1
    expect(Array.from(s.center!)).toEqual([4, 25, 5]);
    const back = s.inverseTransform(s.transform(x)).toNested() as number[][];
    const flat = (x.toNested() as number[][]).flat();
    back.flat().forEach((v, i) => {
      expect(v).toBeCloseTo(flat[i]!, 12);
    });
  });

  it('MinMaxScaler maps the training range onto the target range', () => {
    const s = new MinMaxScaler({ range: [-1, 1] }).fit(x);
    expect(s.transform(x).toNested()).toEqual(
      [
        [-1, -1, -1],
        [-1 + 2 / 9, -1 + 2 / 3, -1],
        [-1 + 4 / 9, -1 + 4 / 3, -1],
        [1, 1, -1],
      ].map((r) => r.map((v) => expect.closeTo(v, 12))),
    );
    expect(s.inverseTransform(s.transform(x)).toNested()).toEqual(
      (x.toNested() as number[][]).map((r) => r.map((v) => expect.closeTo(v, 12))),
    );
  });

  it('RobustScaler uses the median and interquartile range (NumPy linear quantiles)', () => {
    const s = new RobustScaler().fit(x);
    // column 0: sorted 1,2,3,10 → median 2.5, q25 = 1.75, q75 = 4.75
    expect(s.center![0]).toBeCloseTo(2.5, 12);
    expect(s.scale![0]).toBeCloseTo(3, 12);
    expect(s.transform(array([[2.5, 25, 5]])).toNested()).toEqual([[0, 0, 0]]);
  });

  it('keeps float32, checks feature counts, fit state and finiteness', () => {
    const f32 = array([[1], [3]], { dtype: 'float32' });
    expect(new StandardScaler().fitTransform(f32).dtype).toBe('float32');
    expect(new StandardScaler().fitTransform(arange(4)).shape).toEqual([4]);
    expect(() => new StandardScaler().transform(x)).toThrow(/not fitted/);
    expect(() => new StandardScaler().fit(x).transform(array([[1, 2]]))).toThrow(
      /fitted on 3 features, got 2/,
    );
    expect(() => new StandardScaler().fit(array([[Number.NaN]]))).toThrow(/NaN/);
  });
});

describe('splits', () => {
  it('trainTestSplit partitions the rows exactly and is seeded', () => {
    const s = trainTestSplit(103, { test: 0.2, validation: 10, seed: 4 });
    const all = [...ints(s.train), ...ints(s.validation), ...ints(s.test)].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 103 }, (_, i) => i));
    expect([s.train.size, s.validation.size, s.test.size]).toEqual([72, 10, 21]);
    expect(ints(trainTestSplit(103, { test: 0.2, seed: 4 }).test)).toEqual(
      ints(trainTestSplit(103, { test: 0.2, seed: 4 }).test),
    );
    expect(() => trainTestSplit(10, { test: 8, validation: 3 })).toThrow(/exceed/);
    const x = arange(10);
    expect(take(x, trainTestSplit(10, { shuffle: false }).test, 0).toNested()).toEqual([7, 8, 9]);
  });

  it('stratified splits keep the class proportions in every part', () => {
    const labels = fromTypedArray(
      Int32Array.from({ length: 100 }, (_, i) => (i < 70 ? 0 : i < 90 ? 1 : 2)),
    );
    const s = trainTestSplit(100, { test: 0.2, validation: 0.1, stratify: labels, seed: 3 });
    const count = (part: ReturnType<typeof arange>, c: number) =>
      ints(part).filter((i) => labels.dataSync()[i] === c).length;
    expect([0, 1, 2].map((c) => count(s.test, c))).toEqual([14, 4, 2]);
    expect([0, 1, 2].map((c) => count(s.validation, c))).toEqual([7, 2, 1]);
    expect([0, 1, 2].map((c) => count(s.train, c))).toEqual([49, 14, 7]);
    const all = [...ints(s.train), ...ints(s.validation), ...ints(s.test)].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(() => trainTestSplit(10, { stratify: labels })).toThrow(/one label per row/);
  });

  it('kFold holds out every row exactly once with sklearn fold sizes', () => {
    const folds = kFold(11, 3, { shuffle: true, seed: 1 });
    expect(folds.map((f) => f.test.size)).toEqual([4, 4, 3]);
    const held = folds.flatMap((f) => ints(f.test)).sort((a, b) => a - b);
    expect(held).toEqual(Array.from({ length: 11 }, (_, i) => i));
    for (const f of folds) {
      const train = new Set(ints(f.train));
      expect(ints(f.test).some((i) => train.has(i))).toBe(false);
      expect(train.size + f.test.size).toBe(11);
    }
  });

  it('temporal splits never put a future row in training (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 20, max: 500 }),
        fc.double({ min: 0.05, max: 0.4, noNaN: true }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 5 }),
        (n, test, val, gap) => {
          const s = temporalSplit(n, { test, validation: val, gap });
          const maxTrain = Math.max(...ints(s.train));
          const later = [...ints(s.validation), ...ints(s.test)];
          expect(later.every((i) => i > maxTrain + gap)).toBe(true);
          if (s.validation.size > 0)
            expect(Math.max(...ints(s.validation)) + gap).toBeLessThan(Math.min(...ints(s.test)));
          expect(new Set([...ints(s.train), ...later]).size).toBe(s.train.size + later.length);
          for (const f of timeSeriesFolds(n, { folds: 3, gap })) {
            expect(Math.max(...ints(f.train)) + gap).toBeLessThan(Math.min(...ints(f.test)));
          }
        },
      ),
      { numRuns: 200, seed: 6 },
    );
  });

  it('timeSeriesFolds expands the training window like scikit-learn TimeSeriesSplit', () => {
    const folds = timeSeriesFolds(12, { folds: 3 });
    expect(folds.map((f) => [ints(f.train).length, ints(f.test)])).toEqual([
      [3, [3, 4, 5]],
      [6, [6, 7, 8]],
      [9, [9, 10, 11]],
    ]);
    expect(ints(timeSeriesFolds(12, { folds: 3, maxTrain: 2, gap: 1 })[2]!.train)).toEqual([6, 7]);
  });
});

describe('batches', () => {
  const x = fromTypedArray(
    Float64Array.from({ length: 20 }, (_, i) => i),
    [10, 2],
  );
  const y = arange(10);

  it('covers every row once per epoch, keeps rows aligned, and reshuffles each epoch', () => {
    const loader = batches([x, y], { batchSize: 3, seed: 5 });
    expect(loader.length).toBe(4);
    const epochs: number[][] = [];
    for (let e = 0; e < 2; e++) {
      const seen: number[] = [];
      for (const [xb, yb] of loader) {
        const ys = ints(yb);
        expect(ints(xb)).toEqual(ys.flatMap((v) => [2 * v, 2 * v + 1]));
        seen.push(...ys);
      }
      expect([...seen].sort((a, b) => a - b)).toEqual(ints(y));
      epochs.push(seen);
    }
    expect(epochs[0]).not.toEqual(epochs[1]);
    const again = batches([x, y], { batchSize: 3, seed: 5 });
    expect([...again].flatMap(([, yb]) => ints(yb))).toEqual(epochs[0]);
  });

  it('drops the short last batch on request and works with for await over records', async () => {
    const loader = batches({ x, y }, { batchSize: 4, dropLast: true, shuffle: false });
    const sizes: number[] = [];
    for await (const b of loader) sizes.push(b.x.shape[0]!, b.y.shape[0]!);
    expect(sizes).toEqual([4, 4, 4, 4]);
    expect(
      [...batches([y], { batchSize: 4, shuffle: false, rng: new Generator(0) })].map(
        ([b]) => b!.size,
      ),
    ).toEqual([4, 4, 2]);
    expect(() => batches([x, arange(3)], { batchSize: 2 })).toThrow(/same first dimension/);
  });
});

describe('time windows', () => {
  it('cut (history → horizon) windows that never cross trajectories of different lengths', () => {
    const a = fromTypedArray(
      Float64Array.from({ length: 12 }, (_, i) => i),
      [6, 2],
    );
    const b = fromTypedArray(
      Float64Array.from({ length: 8 }, (_, i) => 100 + i),
      [4, 2],
    );
    const short = fromTypedArray(new Float64Array(4), [2, 2]);
    const w = timeWindows([a, b, short], { history: 2, horizon: 1 });
    expect(w.inputs.shape).toEqual([6, 2, 2]);
    expect(w.targets.shape).toEqual([6, 1, 2]);
    expect(ints(w.trajectory)).toEqual([0, 0, 0, 0, 1, 1]);
    expect(ints(w.start)).toEqual([0, 1, 2, 3, 0, 1]);
    expect(w.inputs.toNested()).toContainEqual([
      [100, 101],
      [102, 103],
    ]);
    expect((w.targets.toNested() as number[][][])[5]).toEqual([[106, 107]]);
    expect((w.targets.toNested() as number[][][])[3]).toEqual([[10, 11]]);
    const strided = timeWindows(a, { history: 2, horizon: 2, stride: 2 });
    expect(ints(strided.start)).toEqual([0, 2]);
  });

  it('stepPairs gives (u_t, u_{t+1})', () => {
    const u = arange(5);
    const p = stepPairs(u);
    expect(p.inputs.toNested()).toEqual([0, 1, 2, 3]);
    expect(p.targets.toNested()).toEqual([1, 2, 3, 4]);
    expect(() => timeWindows([arange(4), fromTypedArray(new Float64Array(4), [2, 2])])).toThrow(
      /feature shape/,
    );
  });
});
