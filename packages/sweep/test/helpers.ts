// Shared pieces of the sweep tests: the fixture task's path and temporary sweep folders.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JournalEvent } from '../src/store/records.js';

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

/**
 * Completions per job from a sweep's journal: the 'done' events, or — for a job whose creating attempt was
 * killed after its result's link(2) but before it could journal 'done' — the 'found' a later attempt or the
 * 'recovered' the end of the run wrote. A job completed exactly once has count 1.
 */
export function completionCounts(events: readonly JournalEvent[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of events)
    if (e.event === 'done') counts.set(e.jobId, (counts.get(e.jobId) ?? 0) + 1);
  for (const e of events)
    if ((e.event === 'found' || e.event === 'recovered') && !counts.has(e.jobId))
      counts.set(e.jobId, 1);
  return counts;
}
