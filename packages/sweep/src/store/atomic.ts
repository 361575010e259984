// Atomic file replacement: write a temporary file in the same folder tree, flush it to disk, then rename it
// over the target. rename(2) is atomic on one filesystem, so a reader (or a process killed mid-write) sees
// either the old file or the whole new one, never a torn one.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';

/** Writes `bytes` to `path` atomically, through a temporary file in `tmpDir` (same filesystem as `path`). */
export async function writeFileAtomic(
  path: string,
  bytes: Uint8Array | string,
  tmpDir = dirname(path),
): Promise<void> {
  await mkdir(tmpDir, { recursive: true });
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(
    tmpDir,
    `${basename(path)}.${process.pid}.${threadId}.${randomBytes(4).toString('hex')}.tmp`,
  );
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
