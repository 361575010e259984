// Misuses of @sciml/gpu that need no adapter (issue 25): the typed error names the public function.
import { describeBadInput } from '@sciml/config/test-helpers';
import { GpuUnavailableError, createGpuBackend } from './index.js';

const noAdapter = { requestAdapter: async () => null } as unknown as GPU;
const rejecting = {
  requestAdapter: async () => {
    throw new Error('no backend matches');
  },
} as unknown as GPU;

describeBadInput('gpu', [
  {
    call: 'createGpuBackend({ gpu }) where gpu has no adapter',
    run: () => createGpuBackend({ gpu: noAdapter }),
    error: GpuUnavailableError,
    op: 'createGpuBackend',
    says: ['mesa-vulkan-drivers'],
  },
  {
    call: 'createGpuBackend({ gpu }) whose adapter request fails',
    run: () => createGpuBackend({ gpu: rejecting }),
    error: GpuUnavailableError,
    op: 'createGpuBackend',
    says: ['no backend matches'],
  },
]);
