import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { expect, it } from 'vitest';

// The byte-level readers must work in browsers: bundling the whole public entry for the browser platform
// must succeed without resolving any Node built-in or h5wasm (those are loaded at run time, on demand).
it('the public entry bundles for browsers with no Node built-ins or h5wasm pulled in', async () => {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./index.ts', import.meta.url))],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    conditions: ['@sciml/source'],
    logLevel: 'silent',
  });
  expect(result.errors).toEqual([]); // an unresolvable static import of a Node built-in is an error
  const code = result.outputFiles[0]!.text;
  expect(code).not.toMatch(/from\s+["']node:/);
  expect(code).not.toContain('hdf5_util'); // h5wasm's 4 MB build stays out of the bundle
});
