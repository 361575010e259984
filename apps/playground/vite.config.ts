import { defineConfig } from 'vite';

/**
 * Cross-origin isolation: SharedArrayBuffer, and with it the wasm kernels' worker pool, exists only
 * on pages served with these two headers. Static hosts need the same two (see README.md); without
 * them the page runs single-threaded and says so.
 */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  base: './',
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    // Dawn's Node binding: @sciml/gpu imports it lazily in Node only; the browser passes navigator.gpu
    rollupOptions: { external: ['webgpu'] },
  },
});
