import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers.js';
import { writeFileAtomic } from './atomic.js';

const tmp = tempDir();
afterAll(tmp.cleanup);

describe('writeFileAtomic', () => {
  it('replaces the file whole and leaves no temporary file behind', async () => {
    const path = join(tmp.dir, 'out', 'a.bin');
    const tmpDir = join(tmp.dir, 'tmp');
    await writeFileAtomic(path, new Uint8Array([1, 2, 3]), tmpDir);
    await writeFileAtomic(path, 'replaced', tmpDir);
    expect(readFileSync(path, 'utf8')).toBe('replaced');
    expect(readdirSync(tmpDir)).toEqual([]);
  });

  it('creates the temporary folder again after someone removed it', async () => {
    const path = join(tmp.dir, 'out', 'b.txt');
    const tmpDir = join(tmp.dir, 'tmp2');
    await writeFileAtomic(path, 'one', tmpDir);
    rmSync(tmpDir, { recursive: true });
    await writeFileAtomic(path, 'two', tmpDir);
    expect(readFileSync(path, 'utf8')).toBe('two');
  });
});
