// Atomic file replacement: write a temporary file in the same folder tree, flush it to disk, then rename it
// over the target. rename(2) is atomic on one filesystem, so a reader (or a process killed mid-write) sees
// either the old file or the whole new one, never a torn one.
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';

/** Folders this thread already created: one mkdir per folder, not one per write. */
const made = new Set<string>();

/** Creates a folder (and its parents) once per thread. */
export async function ensureDir(dir: string): Promise<void> {
  if (made.has(dir)) return;
  await mkdir(dir, { recursive: true });
  made.add(dir);
}

/** Writes `bytes` to a new temporary file in `tmpDir`, flushed to disk; returns its path. */
async function writeTemporary(
  path: string,
  bytes: Uint8Array | string,
  tmpDir: string,
): Promise<string> {
  await ensureDir(tmpDir);
  await ensureDir(dirname(path));
  const tmp = join(
    tmpDir,
    `${basename(path)}.${process.pid}.${threadId}.${randomBytes(4).toString('hex')}.tmp`,
  );
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(tmp, 'w');
  } catch (error) {
    // the folder was removed since (another process cleaned up temporary files): create it again
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    made.delete(tmpDir);
    await ensureDir(tmpDir);
    handle = await open(tmp, 'w');
  }
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return tmp;
}

/** Writes `bytes` to `path` atomically, through a temporary file in `tmpDir` (same filesystem as `path`). */
export async function writeFileAtomic(
  path: string,
  bytes: Uint8Array | string,
  tmpDir = dirname(path),
): Promise<void> {
  const tmp = await writeTemporary(path, bytes, tmpDir);
  try {
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/**
 * Creates `path` with `bytes` atomically unless it exists: the whole file appears at once (a hard link of a
 * complete temporary file, link(2) failing with EEXIST when the name is taken), so of two writers racing for
 * the same name exactly one wins. Returns false when the file existed.
 */
export async function createFileAtomic(
  path: string,
  bytes: Uint8Array | string,
  tmpDir = dirname(path),
): Promise<boolean> {
  const tmp = await writeTemporary(path, bytes, tmpDir);
  try {
    await link(tmp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(tmp, { force: true });
  }
}
