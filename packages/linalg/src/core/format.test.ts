// NDArray's text form: NumPy's repr layout, plus the shape, dtype and backend.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { arange, array, reshape, zeros } from '../index.js';

describe('printing an NDArray', () => {
  it('shows values, shape, dtype and backend, not the backend internals', () => {
    const a = array([
      [1, 2.5],
      [3, 4],
    ]);
    const text =
      'array([[1.0, 2.5],\n       [3.0, 4.0]], shape=(2, 2), dtype=float64, backend=cpu)';
    expect(String(a)).toBe(text);
    expect(inspect(a)).toBe(text); // what console.log prints
    expect(inspect({ a })).toContain('shape=(2, 2)');
  });

  it('formats integers, booleans and scalars', () => {
    expect(String(array([1, -20, 3], { dtype: 'int32' }))).toBe(
      'array([  1, -20,   3], shape=(3,), dtype=int32, backend=cpu)',
    );
    expect(String(array([true, false], { dtype: 'bool' }))).toBe(
      'array([ true, false], shape=(2,), dtype=bool, backend=cpu)',
    );
    expect(String(array(0.5))).toBe('array(0.5, shape=(), dtype=float64, backend=cpu)');
  });

  it('uses one format per array: scientific for wide ranges, nan/inf for non-finite values', () => {
    expect(String(array([1e-5, 1, 1e3]))).toBe(
      'array([1.e-05, 1.e+00, 1.e+03], shape=(3,), dtype=float64, backend=cpu)',
    );
    expect(String(array([Number.NaN, Number.POSITIVE_INFINITY, -1.5]))).toBe(
      'array([ nan,  inf, -1.5], shape=(3,), dtype=float64, backend=cpu)',
    );
    expect(String(array([1 / 3]))).toBe(
      'array([0.33333333], shape=(1,), dtype=float64, backend=cpu)',
    );
  });

  it('elides the middle of long axes above 1000 elements, as NumPy does', () => {
    expect(String(arange(2000))).toBe(
      'array([   0.,    1.,    2., ..., 1997., 1998., 1999.], shape=(2000,), dtype=float64, backend=cpu)',
    );
    const lines = String(reshape(arange(40 * 40), [40, 40])).split('\n');
    expect(lines).toHaveLength(7); // 3 rows, '...', 3 rows
    expect(lines[0]).toBe('array([[   0.,    1.,    2., ...,   37.,   38.,   39.],');
    expect(lines[3]).toBe('       ...,');
  });

  it('wraps long rows at 75 characters and separates blocks of 3-d arrays by a blank line', () => {
    const text = String(arange(30));
    for (const line of text.split('\n').slice(0, -1)) expect(line.length).toBeLessThanOrEqual(75);
    expect(String(zeros([2, 1, 1]))).toBe(
      'array([[[0.]],\n\n       [[0.]]], shape=(2, 1, 1), dtype=float64, backend=cpu)',
    );
  });

  it('says when an array cannot be shown', () => {
    const a = zeros([2]);
    a.dispose();
    expect(String(a)).toBe('array(<disposed>, shape=(2,), dtype=float64, backend=cpu)');
    expect(String(zeros([0, 3]))).toBe('array([], shape=(0, 3), dtype=float64, backend=cpu)');
  });
});
