// Misuses of @sciml/physics a newcomer meets first, each with its typed error naming the public function.
import { describeBadInput } from '@sciml/config/test-helpers';
import { NotFiniteError, ShapeError, ValueError, transpose, zeros } from '@sciml/linalg';
import { describe, expect, it } from 'vitest';
import {
  Lorenz63,
  SINDy,
  finiteDifference,
  largestLyapunovExponent,
  polynomialLibrary,
  rhsJacobian,
  solveIVP,
} from './index.js';

const lorenz = new Lorenz63();
const tEval = Array.from({ length: 300 }, (_, i) => i * 0.01);
const sol = solveIVP(lorenz.rhs, [0, 2.99], [1, 1, 1], { tEval, rtol: 1e-10, atol: 1e-12 });

describeBadInput('physics', [
  {
    call: 'SINDy.fit(sol.y) with sol.y (3 × 300) from solveIVP',
    run: () => new SINDy().fit(sol.y, { t: sol.t }),
    error: ShapeError,
    op: 'SINDy.fit',
    says: ['3 × 300', 'transpose(sol.y)'],
  },
  {
    call: 'SINDy.fit(x) with 300 variables (45 451 degree-2 terms)',
    run: () => new SINDy().fit(zeros([400, 300]), { t: 0.01 }),
    error: ShapeError,
    op: 'SINDy.fit',
    says: ['45451 terms', 'maxLibraryTerms', 'transpose'],
  },
  {
    call: 'solveIVP(lorenz.rhs, tSpan, y0 of length 2)',
    run: () => solveIVP(lorenz.rhs, [0, 1], [1, 1]),
    error: ShapeError,
    op: 'solveIVP',
    says: ['2 components', 'Lorenz-63', 'length 3'],
    neverSays: ['finite'],
  },
  {
    call: 'largestLyapunovExponent(lorenz.rhs, y0 of length 4)',
    run: () => largestLyapunovExponent(lorenz.rhs, [1, 1, 1, 1]),
    error: ShapeError,
    op: 'largestLyapunovExponent',
    says: ['length 3'],
  },
  {
    call: 'rhsJacobian(lorenz.rhs, 0, y of length 2)',
    run: () => rhsJacobian(lorenz.rhs, 0, [1, 1]),
    error: ShapeError,
    op: 'rhsJacobian',
  },
  {
    call: 'solveIVP(f, tSpan, [NaN, 0, 0])',
    run: () => solveIVP(lorenz.rhs, [0, 1], [Number.NaN, 0, 0]),
    error: NotFiniteError,
    op: 'solveIVP',
  },
  {
    call: 'solveIVP(f, [0, 0], y0) (empty interval)',
    run: () => solveIVP(lorenz.rhs, [0, 0], [1, 1, 1]),
    error: ValueError,
    op: 'solveIVP',
  },
  {
    call: "solveIVP(f, tSpan, y0, { method: 'rk45' })",
    run: () => solveIVP(lorenz.rhs, [0, 1], [1, 1, 1], { method: 'rk45' as never }),
    error: ValueError,
    op: 'solveIVP',
    says: ['RK45'],
  },
  {
    call: 'solveIVP(f, tSpan, []) (empty state)',
    run: () => solveIVP(lorenz.rhs, [0, 1], []),
    error: ShapeError,
    op: 'solveIVP',
  },
  {
    call: 'model.equations() before fit',
    run: () => new SINDy().equations(),
    error: ValueError,
    op: 'SINDy.equations',
  },
]);

describe('solveIVP → SINDy orientation', () => {
  it('the documented recipe fit(transpose(sol.y), { t: sol.t }) recovers Lorenz-63', () => {
    const model = new SINDy({
      library: polynomialLibrary({ degree: 2 }),
      differentiation: finiteDifference({ order: 4 }),
    }).fit(transpose(sol.y), { t: sol.t, featureNames: ['x', 'y', 'z'] });
    expect(model.equations()[0]).toBe("x' = -10.000 x + 10.000 y");
  });
});
