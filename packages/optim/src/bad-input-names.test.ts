// Misuses of @sciml/optim a newcomer meets first (issue 25): the typed error names the public function,
// never an internal one (bad-input.test.ts holds the non-finite policy rows of issue 26).
import { describeBadInput } from '@sciml/config/test-helpers';
import { type NDArray, NotFiniteError, ShapeError, ValueError, sum, zeros } from '@sciml/linalg';
import { lasso, leastSquares, minimize } from './index.js';

const f = (x: NDArray) => sum(x);

describeBadInput('optim', [
  {
    call: "minimize(f, x0, { method: 'nelder-mead' })",
    run: () => minimize(f, [1, 2], { method: 'nelder-mead' as never }),
    error: ValueError,
    op: 'minimize',
    says: ["'lbfgs'", "'newton-cg'", "'l-bfgs-b'"],
  },
  { call: 'minimize(f, [])', run: () => minimize(f, []), error: ValueError, op: 'minimize' },
  {
    call: 'minimize(f, [NaN, 1])',
    run: () => minimize(f, [Number.NaN, 1]),
    error: NotFiniteError,
    op: 'minimize',
    neverSays: ['valueAndGrad'],
  },
  {
    call: "minimize(f, 'ab')",
    run: () => minimize(f, 'ab' as never),
    error: ValueError,
    op: 'minimize',
  },
  {
    call: 'minimize(() => 3, x0) (a plain number, no jac)',
    run: () => minimize(() => 3, [1]),
    error: ValueError,
    op: 'minimize',
    says: ['jac'],
  },
  {
    call: 'leastSquares(r, [])',
    run: () => leastSquares((v) => v, []),
    error: ValueError,
    op: 'leastSquares',
  },
  {
    call: "leastSquares(r, 'ab')",
    run: () => leastSquares((v) => v, 'ab' as never),
    error: ValueError,
    op: 'leastSquares',
    neverSays: ['residual'],
  },
  {
    call: 'leastSquares(r, x0, { jac: wrong shape })',
    run: () => leastSquares((v) => v, [1, 2], { jac: () => zeros([3, 3]) }),
    error: ValueError,
    op: 'leastSquares',
    says: ['(2, 2)', '(3, 3)'],
  },
  {
    call: 'lasso(A (3, 2), b (4,))',
    run: () => lasso(zeros([3, 2]), zeros([4]), { lambda: 0.1 }),
    error: ShapeError,
    op: 'lasso',
    neverSays: ['coordinateDescent'],
  },
  {
    call: 'lasso([[1]], [1]) (plain arrays)',
    run: () => lasso([[1]] as never, [1] as never, { lambda: 0.1 }),
    error: ValueError,
    op: 'lasso',
  },
]);
