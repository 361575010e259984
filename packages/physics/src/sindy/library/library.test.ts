import { ValueError, array } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import { customLibrary } from './custom.js';
import { concatLibraries, tensorLibraries } from './combine.js';
import { fourierLibrary } from './fourier.js';
import { monomialExponents, polynomialLibrary } from './polynomial.js';

const binomial = (n: number, k: number): number =>
  k === 0 ? 1 : (binomial(n, k - 1) * (n - k + 1)) / k;

describe('polynomialLibrary', () => {
  it('names the Lorenz library in pysindy order', () => {
    expect(polynomialLibrary({ degree: 2 }).names(['x', 'y', 'z'])).toEqual([
      '1',
      'x',
      'y',
      'z',
      'x^2',
      'x y',
      'x z',
      'y^2',
      'y z',
      'z^2',
    ]);
  });

  it('has C(n + d, d) monomials, each once', () => {
    for (const [n, d] of [
      [1, 4],
      [2, 3],
      [3, 3],
      [4, 2],
      [5, 3],
    ] as const) {
      const exps = monomialExponents(n, d, true, false);
      expect(exps.length).toBe(binomial(n + d, d));
      expect(new Set(exps.map((e) => e.join(','))).size).toBe(exps.length);
      for (const e of exps) expect(e.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(d);
    }
  });

  it('interactionOnly keeps products of distinct variables; includeBias false drops 1', () => {
    const lib = polynomialLibrary({ degree: 3, interactionOnly: true, includeBias: false });
    expect(lib.names(['a', 'b', 'c'])).toEqual(['a', 'b', 'c', 'a b', 'a c', 'b c', 'a b c']);
  });

  it('evaluates every monomial at every sample', () => {
    const theta = polynomialLibrary({ degree: 3 }).transform(
      array([
        [2, -3],
        [0.5, 4],
      ]),
    );
    const names = polynomialLibrary({ degree: 3 }).names(['x', 'y']);
    expect(theta.shape).toEqual([2, 10]);
    const rows = theta.toNested() as number[][];
    [
      [2, -3],
      [0.5, 4],
    ].forEach(([x, y], i) => {
      const expected: Record<string, number> = {
        '1': 1,
        x: x!,
        y: y!,
        'x^2': x! ** 2,
        'x y': x! * y!,
        'y^2': y! ** 2,
        'x^3': x! ** 3,
        'x^2 y': x! ** 2 * y!,
        'x y^2': x! * y! ** 2,
        'y^3': y! ** 3,
      };
      names.forEach((nm, j) => {
        expect(rows[i]![j]).toBe(expected[nm]);
      });
    });
  });

  it('rejects a negative degree', () => {
    expect(() => polynomialLibrary({ degree: -1 })).toThrow(ValueError);
  });
});

describe('fourierLibrary', () => {
  it('orders sin/cos by frequency then variable and evaluates them', () => {
    const lib = fourierLibrary({ nFrequencies: 2 });
    expect(lib.names(['x', 'y'])).toEqual([
      'sin(1 x)',
      'cos(1 x)',
      'sin(1 y)',
      'cos(1 y)',
      'sin(2 x)',
      'cos(2 x)',
      'sin(2 y)',
      'cos(2 y)',
    ]);
    const row = (lib.transform(array([[0.3, -1.2]])).toNested() as number[][])[0]!;
    expect(row).toEqual([
      Math.sin(0.3),
      Math.cos(0.3),
      Math.sin(-1.2),
      Math.cos(-1.2),
      Math.sin(0.6),
      Math.cos(0.6),
      Math.sin(-2.4),
      Math.cos(-2.4),
    ]);
    expect(fourierLibrary({ includeCos: false }).names(['x'])).toEqual(['sin(1 x)']);
    expect(() => fourierLibrary({ includeSin: false, includeCos: false })).toThrow(ValueError);
  });
});

describe('customLibrary', () => {
  it('applies each function to every combination of distinct variables', () => {
    const lib = customLibrary(
      [
        { fn: Math.exp, name: (x) => `exp(${x})` },
        { fn: (a, b) => Math.sin(a - b), name: (a, b) => `sin(${a} - ${b})` },
      ],
      { includeBias: true },
    );
    expect(lib.names(['x', 'y', 'z'])).toEqual([
      '1',
      'exp(x)',
      'exp(y)',
      'exp(z)',
      'sin(x - y)',
      'sin(x - z)',
      'sin(y - z)',
    ]);
    const row = (lib.transform(array([[1, 2, 4]])).toNested() as number[][])[0]!;
    expect(row).toEqual([
      1,
      Math.E,
      Math.exp(2),
      Math.exp(4),
      Math.sin(-1),
      Math.sin(-3),
      Math.sin(-2),
    ]);
  });
});

describe('concatLibraries and tensorLibraries', () => {
  it('concatenates names and values in order', () => {
    const lib = concatLibraries(polynomialLibrary({ degree: 1 }), fourierLibrary());
    expect(lib.names(['x'])).toEqual(['1', 'x', 'sin(1 x)', 'cos(1 x)']);
    expect((lib.transform(array([[0.5]])).toNested() as number[][])[0]).toEqual([
      1,
      0.5,
      Math.sin(0.5),
      Math.cos(0.5),
    ]);
  });

  it('tensor products multiply every pair, the first library outermost', () => {
    const lib = tensorLibraries(
      polynomialLibrary({ degree: 1 }),
      fourierLibrary({ includeCos: false }),
    );
    expect(lib.names(['x', 'y'])).toEqual([
      'sin(1 x)',
      'sin(1 y)',
      'x sin(1 x)',
      'x sin(1 y)',
      'y sin(1 x)',
      'y sin(1 y)',
    ]);
    const [x, y] = [0.7, -0.2];
    const row = (lib.transform(array([[x, y]])).toNested() as number[][])[0]!;
    expect(row).toEqual([
      Math.sin(x),
      Math.sin(y),
      x * Math.sin(x),
      x * Math.sin(y),
      y * Math.sin(x),
      y * Math.sin(y),
    ]);
  });
});
