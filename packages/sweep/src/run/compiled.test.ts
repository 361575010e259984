import { describe, expect, it } from 'vitest';
import { compiledExecArgv, threadExecArgv } from './compiled.js';

describe('flags for compiled threads and processes', () => {
  const argv = [
    '--expose-gc',
    '--conditions',
    '@sciml/source',
    '--conditions',
    'node',
    '-C=@sciml/source',
    '--require',
    '/x.cjs',
    '--max-old-space-size=4096',
    '--import=tsx',
    '--no-warnings',
  ];

  it('drops the @sciml/source condition and keeps the rest for processes', () => {
    expect(compiledExecArgv(argv)).toEqual([
      '--expose-gc',
      '--conditions',
      'node',
      '--require',
      '/x.cjs',
      '--max-old-space-size=4096',
      '--import=tsx',
      '--no-warnings',
    ]);
  });

  it('keeps only module-loading flags for worker threads, which refuse per-process ones', () => {
    expect(threadExecArgv(argv)).toEqual([
      '--conditions',
      'node',
      '--require',
      '/x.cjs',
      '--import=tsx',
      '--no-warnings',
    ]);
  });
});
