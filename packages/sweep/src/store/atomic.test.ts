import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers.js';
import { createFileAtomic, writeFileAtomic } from './atomic.js';

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

  it('createFileAtomic: of writers racing for one name exactly one wins, and the file is that one whole', async () => {
    const path = join(tmp.dir, 'race', 'r.txt');
    const tmpDir = join(tmp.dir, 'tmp3');
    const contents = Array.from({ length: 8 }, (_, i) => `writer ${i} `.repeat(1000));
    const won = await Promise.all(contents.map((c) => createFileAtomic(path, c, tmpDir)));
    expect(won.filter(Boolean)).toHaveLength(1);
    expect(readFileSync(path, 'utf8')).toBe(contents[won.indexOf(true)]);
    expect(readdirSync(tmpDir)).toEqual([]);
    expect(await createFileAtomic(path, 'late', tmpDir)).toBe(false);
  });
});
