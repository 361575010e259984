// Misuses of @sciml/autodiff a newcomer meets first, each with its typed error naming the public function.
import { describeBadInput } from '@sciml/config/test-helpers';
import {
  DTypeError,
  type NDArray,
  NotFiniteError,
  ShapeError,
  TracedValueError,
  ValueError,
  array,
  sin,
  sum,
  zeros,
} from '@sciml/linalg';
import { grad, hessian, jacobian, jvp, vjp } from './index.js';

const f = (x: NDArray) => sum(sin(x));
const x = array([1, 2]);

describeBadInput('autodiff', [
  {
    call: 'grad(f)([1, 2, 3]) (a plain array)',
    run: () => grad(f)([1, 2, 3] as never),
    error: ValueError,
    op: 'grad',
    says: ['JavaScript array [1,2,3]', 'array('],
    neverSays: ['sin'],
  },
  { call: 'grad(f)(3)', run: () => grad(f)(3 as never), error: ValueError, op: 'grad' },
  {
    call: 'jacobian(f)([1, 2])',
    run: () => jacobian(f)([1, 2] as never),
    error: ValueError,
    op: 'jacobian',
    neverSays: ['sin:'],
  },
  {
    call: 'grad of a vector-valued function',
    run: () => grad((v: NDArray) => sin(v))(x),
    error: ShapeError,
    op: 'grad',
    says: ['(2,)', 'jacobian'],
  },
  {
    call: 'grad(f)(int32 array)',
    run: () => grad(f)(array([1, 2], { dtype: 'int32' })),
    error: DTypeError,
    op: 'grad',
    says: ['int32'],
  },
  {
    call: 'jvp(f, [x], [tangent of another shape])',
    run: () => jvp(f, [x], [zeros([3])]),
    error: ShapeError,
    op: 'jvp',
    says: ['(3,)', '(2,)'],
  },
  {
    call: 'vjp pullback with a cotangent of another shape',
    run: () => vjp((v: NDArray) => sin(v), x)[1](zeros([3])),
    error: ShapeError,
    op: 'vjp',
  },
  {
    call: 'hessian(f)({ a: x }) (a pytree)',
    run: () => hessian(f)({ a: x } as never),
    error: ShapeError,
    op: 'hessian',
  },
  {
    call: 'hessian(f)(x with NaN)',
    run: () => hessian(f)(array([Number.NaN, 1])),
    error: NotFiniteError,
    op: 'hessian',
  },
  {
    call: 'x.dataSync() inside grad',
    run: () => grad((v: NDArray) => sum(sin(array(Array.from(v.dataSync())))))(x),
    error: TracedValueError,
    op: 'dataSync',
    says: ['traced by grad', 'stopGradient'],
  },
]);
