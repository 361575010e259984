// Shared pieces of the sweep tests: the fixture task's path and temporary sweep folders.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The fixture task module (plain JS, loaded by threads and processes). */
export const TASKS = fileURLToPath(new URL('./fixtures/tasks.mjs', import.meta.url));

/** A fresh temporary folder; `cleanup` removes it. */
export function tempDir(prefix = 'sciml-sweep-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Lines of a marker file the fixture task appends job ids to. */
export function markedJobs(path: string): string[] {
  try {
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l.length > 0);
  } catch {
    return [];
  }
}
