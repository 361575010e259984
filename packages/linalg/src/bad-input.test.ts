// Every way a newcomer misuses @sciml/linalg that we know of: the typed error, the public name, the fix.
import { describeBadInput } from '@sciml/config/test-helpers';
import {
  DTypeError,
  Generator,
  NotFiniteError,
  ShapeError,
  SingularMatrixError,
  ValueError,
  add,
  array,
  cholesky,
  concat,
  det,
  eigh,
  eye,
  fromTypedArray,
  inv,
  lstsq,
  matmul,
  ones,
  pinv,
  reshape,
  sin,
  slice,
  solve,
  sum,
  svd,
  take,
  transpose,
  zeros,
} from './index.js';
import { setKernelThreads } from './kernels/index.js';

const singular = array([
  [1, 2],
  [2, 4],
]);
const withNaN = array([
  [1, Number.NaN],
  [0, 1],
  [1, 1],
]);
const plain = [1, 2, 3] as unknown as ReturnType<typeof array>;

describeBadInput('linalg', [
  // wrong shapes
  {
    call: 'matmul((50, 3), vector(2))',
    run: () => matmul(zeros([50, 3]), zeros([2])),
    error: ShapeError,
    op: 'matmul',
    says: ['(50, 3)', '(2,)', '3 with 2'],
    neverSays: ['(2, 1)'],
  },
  {
    call: 'add((2, 3), (4,))',
    run: () => add(zeros([2, 3]), zeros([4])),
    error: ShapeError,
    op: 'add',
    says: ['(2, 3)', '(4,)'],
  },
  {
    call: 'reshape((6,), [4, 2])',
    run: () => reshape(zeros([6]), [4, 2]),
    error: ShapeError,
    op: 'reshape',
  },
  {
    call: 'transpose((2, 3), [0, 0])',
    run: () => transpose(zeros([2, 3]), [0, 0]),
    error: ShapeError,
    op: 'transpose',
  },
  {
    call: 'eigh(2×3)',
    run: () => eigh(zeros([2, 3])),
    error: ShapeError,
    op: 'eigh',
    says: ['(2, 3)', 'svd'],
    neverSays: ['lstsq'],
  },
  {
    call: 'inv(2×3)',
    run: () => inv(zeros([2, 3])),
    error: ShapeError,
    op: 'inv',
    says: ['pinv'],
  },
  {
    call: 'det(2×3)',
    run: () => det(zeros([2, 3])),
    error: ShapeError,
    op: 'det',
  },
  {
    call: 'solve(I₂, b of length 3)',
    run: () => solve(eye(2), zeros([3])),
    error: ShapeError,
    op: 'solve',
    says: ['(3,)'],
  },
  {
    call: 'lstsq((3, 2), b of length 2)',
    run: () => lstsq(zeros([3, 2]), zeros([2])),
    error: ShapeError,
    op: 'lstsq',
  },
  {
    call: 'slice(x, [[0, -1]]) (an array, not a spec)',
    run: () => slice(array([1, 2, 3]), [[0, -1]] as never),
    error: ValueError,
    op: 'slice',
    says: ["'0:-1'"],
  },
  {
    call: 'slice(x, { begin: 1 })',
    run: () => slice(array([1, 2, 3]), { begin: 1 } as never),
    error: ValueError,
    op: 'slice',
    says: ['begin'],
  },
  {
    call: 'slice(x, { start: 0.5 })',
    run: () => slice(array([1, 2, 3]), { start: 0.5 }),
    error: ValueError,
    op: 'slice',
  },
  {
    call: 'take(x, [5]) out of bounds',
    run: () => take(array([1, 2]), [5]),
    error: ValueError,
    op: 'take',
    neverSays: ['gather'],
  },
  {
    call: 'fromTypedArray(3 values, [2, 2])',
    run: () => fromTypedArray(new Float64Array(3), [2, 2]),
    error: ShapeError,
    op: 'fromTypedArray',
  },
  { call: 'zeros([-1])', run: () => zeros([-1]), error: ShapeError, op: 'zeros' },
  { call: 'ones([2.5])', run: () => ones([2.5]), error: ShapeError, op: 'ones' },
  {
    call: 'Generator.normal([-2])',
    run: () => new Generator(0).normal([-2]),
    error: ShapeError,
    op: 'Generator',
  },
  {
    call: 'array([[1, 2], [3]]) (ragged)',
    run: () => array([[1, 2], [3]]),
    error: ShapeError,
    op: 'array',
  },
  // NaN / Inf
  {
    call: 'lstsq(A with NaN, b)',
    run: () => lstsq(withNaN, array([1, 2, 3])),
    error: NotFiniteError,
    op: 'lstsq',
    says: ['NaN', 'row 0, column 1'],
    neverSays: ['svd'],
  },
  {
    call: 'pinv(A with NaN)',
    run: () => pinv(withNaN),
    error: NotFiniteError,
    op: 'pinv',
    neverSays: ['svd'],
  },
  {
    call: 'svd(A with Infinity)',
    run: () => svd(array([[Number.POSITIVE_INFINITY]])),
    error: NotFiniteError,
    op: 'svd',
  },
  {
    call: 'cholesky(A with NaN)',
    run: () => cholesky(array([[Number.NaN]])),
    error: NotFiniteError,
    op: 'cholesky',
  },
  // empty
  { call: 'concat([])', run: () => concat([]), error: ValueError, op: 'concat' },
  { call: 'item() of a (0,) array', run: () => zeros([0]).item(), error: ValueError, op: 'item' },
  // singular
  {
    call: 'solve(singular 2×2, b)',
    run: () => solve(singular, array([1, 2])),
    error: SingularMatrixError,
    op: 'solve',
    says: ['2×2 matrix is singular', 'lstsq', 'pinv'],
    neverSays: ['triangular'],
  },
  {
    call: 'inv(singular 2×2)',
    run: () => inv(singular),
    error: SingularMatrixError,
    op: 'inv',
    says: ['singular', 'pinv'],
    neverSays: ['triangular'],
  },
  {
    call: 'cholesky(indefinite)',
    run: () =>
      cholesky(
        array([
          [1, 2],
          [2, 1],
        ]),
      ),
    error: SingularMatrixError,
    op: 'cholesky',
  },
  // wrong dtype
  {
    call: 'sin(int32 array)',
    run: () => sin(array([1, 2], { dtype: 'int32' })),
    error: DTypeError,
    op: 'sin',
    says: ['int32', 'astype'],
  },
  {
    call: "array(['a'])",
    run: () => array(['a'] as never),
    error: ValueError,
    op: 'array',
    says: ['string'],
  },
  // plain JS values where an NDArray is expected
  {
    call: 'sin([1, 2, 3])',
    run: () => sin(plain),
    error: ValueError,
    op: 'sin',
    says: ['NDArray', '[1,2,3]', 'array('],
  },
  {
    call: "add('a', x)",
    run: () => add('a' as never, array([1])),
    error: ValueError,
    op: 'add',
  },
  {
    call: 'matmul([[1, 2]], x)',
    run: () => matmul([[1, 2]] as never, zeros([2, 2])),
    error: ValueError,
    op: 'matmul',
  },
  { call: 'solve([[1]], [1])', run: () => solve(plain, plain), error: ValueError, op: 'solve' },
  { call: 'sum([1, 2, 3])', run: () => sum(plain), error: ValueError, op: 'sum' },
  // arguments out of range
  {
    call: 'sum(x, { axis: 3 })',
    run: () => sum(array([1, 2]), { axis: 3 }),
    error: ValueError,
    op: 'sum',
  },
  {
    call: 'setKernelThreads(0)',
    run: () => setKernelThreads(0),
    error: ValueError,
    op: 'setKernelThreads',
  },
]);
