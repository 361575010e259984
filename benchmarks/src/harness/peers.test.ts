import { describe, expect, it } from 'vitest';
import { loadJaxJsWasm, loadTfjsCoreWasm, loadTfjsWasm } from './peers.js';

// Every benchmark's peer rows rest on these loaders: each must give a working wasm backend.
describe('peer loaders', () => {
  it('tfjs-core and the full tfjs bundle run a matmul on the wasm backend', async () => {
    const core = await loadTfjsCoreWasm();
    expect(core.getBackend()).toBe('wasm');
    const a = core.tensor2d([1, 2, 3, 4], [2, 2]);
    // [[1,2],[3,4]]² = [[7,10],[15,22]]
    expect(Array.from(core.matMul(a, a).dataSync())).toEqual([7, 10, 15, 22]);
    const full = await loadTfjsWasm();
    expect(full.getBackend()).toBe('wasm');
    // the full bundle registers gradients: d/dx Σx² = 2x
    const g = full.grad((x) => full.sum(full.square(x)))(full.tensor1d([1, -2, 3]));
    expect(Array.from(g.dataSync())).toEqual([2, -4, 6]);
  });

  it('jax-js computes on its wasm backend', async () => {
    const jax = await loadJaxJsWasm();
    const np = jax.numpy;
    const x = np.array([1, 2, 3]);
    const y = await np.dot(x.ref, x).data();
    expect(Array.from(y)).toEqual([14]);
  });
});
