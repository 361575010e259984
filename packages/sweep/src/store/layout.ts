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
  /**
   * Paths inside a sweep folder.
   * @param dir - the sweep folder
   */
  constructor(readonly dir: string) {}

  /** `sweep.json`: the definition. */
  get definition(): string {
    return join(this.dir, 'sweep.json');
  }
  /** `results/`. */
  get resultsDir(): string {
    return join(this.dir, 'results');
  }
  /** `failed/`. */
  get failedDir(): string {
    return join(this.dir, 'failed');
  }
  /** `tmp/`: temporary result files in flight. */
  get tmpDir(): string {
    return join(this.dir, 'tmp');
  }
  /** `journal.jsonl`. */
  get journal(): string {
    return join(this.dir, 'journal.jsonl');
  }
  /** `index.json`. */
  get indexJson(): string {
    return join(this.dir, 'index.json');
  }
  /** `index.csv`. */
  get indexCsv(): string {
    return join(this.dir, 'index.csv');
  }
  /** `report.html`. */
  get report(): string {
    return join(this.dir, 'report.html');
  }
  /** `results/<id>.<format>`: a job's result file. */
  result(id: string, format: ResultFormat): string {
    return join(this.resultsDir, `${id}.${format}`);
  }
  /** `failed/<id>.json`: a job's failure record. */
  failed(id: string): string {
    return join(this.failedDir, `${id}.json`);
  }
}
