// Misuses of @sciml/data a newcomer meets first (issue 25): the typed error names the public function the
// user called. (Hostile files have their own corpus: io/hostile.)
import { describeBadInput } from '@sciml/config/test-helpers';
import { ShapeError, ValueError, zeros } from '@sciml/linalg';
import { DataFormatError } from './errors.js';
import {
  StandardScaler,
  batches,
  readCsv,
  readNpy,
  trainTestSplit,
  twoMoons,
  writeNpy,
  writeSafetensors,
} from './index.js';

describeBadInput('data', [
  {
    call: 'readNpy(10 zero bytes)',
    run: () => readNpy(new Uint8Array(10)),
    error: DataFormatError,
    op: 'readNpy',
    says: ['magic string'],
  },
  {
    call: 'readCsv(42)',
    run: () => readCsv(42 as never),
    error: ValueError,
    op: 'readCsv',
    says: ['string', 'Uint8Array', 'readCsvFile'],
  },
  {
    call: 'writeNpy([1, 2]) (a plain array)',
    run: () => writeNpy([1, 2] as never),
    error: ValueError,
    op: 'writeNpy',
    says: ['NDArray'],
    neverSays: ['undefined dtype'],
  },
  {
    call: 'writeSafetensors({ w: [1, 2] })',
    run: () => writeSafetensors({ w: [1, 2] } as never),
    error: ValueError,
    op: 'writeSafetensors',
    neverSays: ['flattenTree'],
  },
  {
    call: 'new StandardScaler().fit([[1, 2]])',
    run: () => new StandardScaler().fit([[1, 2]] as never),
    error: ValueError,
    op: 'StandardScaler.fit',
  },
  {
    call: 'StandardScaler.transform before fit',
    run: () => new StandardScaler().transform(zeros([2, 2])),
    error: ValueError,
    op: 'StandardScaler.transform',
  },
  {
    call: 'batches with arrays of different lengths',
    run: () => batches([zeros([10, 2]), zeros([9])], { batchSize: 2 }),
    error: ShapeError,
    op: 'batches',
  },
  {
    call: 'batches({ batchSize: 0 })',
    run: () => batches([zeros([10, 2])], { batchSize: 0 }),
    error: ValueError,
    op: 'batches',
  },
  {
    call: 'trainTestSplit(10, { test: 1.5 })',
    run: () => trainTestSplit(10, { test: 1.5, seed: 1 }),
    error: ValueError,
    op: 'trainTestSplit',
  },
  {
    call: 'twoMoons({ n: -1 })',
    run: () => twoMoons({ n: -1, seed: 0 }),
    error: ValueError,
    op: 'twoMoons',
  },
]);
