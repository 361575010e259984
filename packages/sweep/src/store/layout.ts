// Where a sweep keeps its files. One folder per sweep:
//   sweep.json           the definition: task, format and every job (id, index, params, seed)
//   results/<id>.<ext>   one file per finished job (safetensors or npz), written atomically
//   failed/<id>.json     one record per job that failed for good: its error and attempts
//   journal.jsonl        an append-only log of job events (start, done, retry, failed), for audits
//   index.json, index.csv  the table of jobs, params, status and metrics, rebuilt at the end of each run
//   tmp/                 temporary result files of writes in flight (removed once no job is pending)
import { join } from 'node:path';
import type { ResultFormat } from './codec.js';

/**
 * File paths inside one sweep folder (see the layout above and the README).
 * @public
 */
export class SweepLayout {
  /** @param dir - the sweep folder */
  constructor(readonly dir: string) {}

  get definition(): string {
    return join(this.dir, 'sweep.json');
  }
  get resultsDir(): string {
    return join(this.dir, 'results');
  }
  get failedDir(): string {
    return join(this.dir, 'failed');
  }
  get tmpDir(): string {
    return join(this.dir, 'tmp');
  }
  get journal(): string {
    return join(this.dir, 'journal.jsonl');
  }
  get indexJson(): string {
    return join(this.dir, 'index.json');
  }
  get indexCsv(): string {
    return join(this.dir, 'index.csv');
  }
  get report(): string {
    return join(this.dir, 'report.html');
  }
  result(id: string, format: ResultFormat): string {
    return join(this.resultsDir, `${id}.${format}`);
  }
  failed(id: string): string {
    return join(this.failedDir, `${id}.json`);
  }
}
