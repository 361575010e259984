// Misuses of @sciml/nn losses a newcomer meets first (issue 25): the typed error names the public function.
import { describeBadInput } from '@sciml/config/test-helpers';
import { ShapeError, ValueError, zeros } from '@sciml/linalg';
import { maeLoss, mseLoss } from './index.js';

describeBadInput('nn', [
  {
    call: 'mseLoss(pred (3, 1), target (4, 1))',
    run: () => mseLoss(zeros([3, 1]), zeros([4, 1])),
    error: ShapeError,
    op: 'mseLoss',
    says: ['(3, 1)', '(4, 1)'],
  },
  {
    call: 'mseLoss([1], target) (a plain array)',
    run: () => mseLoss([1] as never, zeros([1])),
    error: ValueError,
    op: 'mseLoss',
    says: ['NDArray'],
  },
  {
    call: "maeLoss(pred, target, { reduction: 'avg' })",
    run: () => maeLoss(zeros([2]), zeros([2]), { reduction: 'avg' as never }),
    error: ValueError,
    op: 'maeLoss',
    says: ["'mean'"],
  },
]);
