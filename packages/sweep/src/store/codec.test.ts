import { array, scalar } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { ResultFormatError } from '../errors.js';
import { decodeResult, encodeResult, resultTree, splitResult } from './codec.js';

const header = { jobId: 'abc', params: { a: 1, act: 'tanh', flag: true }, seed: 7 };

describe('result files', () => {
  for (const format of ['safetensors', 'npz'] as const) {
    it(`round-trips arrays, metrics and the job's identity through ${format}`, () => {
      const w = array([
        [1, 2],
        [3, 4],
      ]);
      const result = {
        layers: [{ w }],
        loss: 0.25,
        diverged: false,
        note: 'ok',
        bad: Number.NaN,
        inf: -Infinity,
      };
      const back = decodeResult(format, encodeResult(format, header, result), 'test');
      expect(back.jobId).toBe('abc');
      expect(back.params).toEqual(header.params);
      expect(back.seed).toBe(7);
      expect(back.metrics).toEqual({
        loss: 0.25,
        diverged: false,
        note: 'ok',
        bad: Number.NaN,
        inf: -Infinity,
      });
      expect([...back.arrays.keys()]).toEqual(['layers.0.w']);
      expect(Array.from(back.arrays.get('layers.0.w')!.dataSync())).toEqual([1, 2, 3, 4]);
      expect(back.arrays.get('layers.0.w')!.shape).toEqual([2, 2]);
      const tree = resultTree(back) as { layers: { w: unknown }[] };
      expect(tree.layers[0]!.w).toBe(back.arrays.get('layers.0.w'));
    });
  }

  it('stores a bare array or number under the name "result"', () => {
    expect([...splitResult('t', scalar(2)).arrays.keys()]).toEqual(['result']);
    expect(splitResult('t', 3).metrics).toEqual({ result: 3 });
  });

  it('rejects what no file can hold with a ResultFormatError naming the path', () => {
    const cases: [unknown, RegExp][] = [
      [{ f: () => 1 }, /'f' is function/],
      [{ m: new Map() }, /'m' is Map/],
      [{ x: null }, /'x' is null/],
      [{ u: undefined }, /'u' is undefined/],
      [{ 'a.b': 1 }, /contains '\.'/],
      [{ big: 1n }, /'big' is bigint/],
    ];
    for (const [value, message] of cases) {
      expect(() => encodeResult('safetensors', header, value)).toThrow(ResultFormatError);
      expect(() => encodeResult('safetensors', header, value)).toThrow(message);
    }
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => encodeResult('npz', header, cyclic)).toThrow(/cycle/);
  });
});
