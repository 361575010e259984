/**
 * `@sciml/sweep`: parameter sweeps and ensembles — grid, random, Sobol' and Latin-hypercube designs over named
 * parameters, seed ensembles and their products — run on worker threads (the default) or on a BullMQ queue
 * in Redis with workers on any number of machines. Each job's result is one safetensors or npz file written
 * atomically; re-running a sweep resumes it; failed jobs are recorded with their errors.
 *
 * @packageDocumentation
 */

export { QueueConnectionError, ResultFormatError, TaskError, TaskModuleError } from './errors.js';
export type { Design, ParamValue, Params, Range } from './design/params.js';
export { geomspaceValues, grid, linspaceValues } from './design/grid.js';
export { product, seeds } from './design/combine.js';
export { SOBOL_MAX_DIMENSIONS, sobol, sobolPoints } from './design/sobol.js';
export { latinHypercube, randomDesign } from './design/random.js';
export type { SampledDesignOptions } from './design/random.js';
export { jobsOf } from './design/jobs.js';
export type { SweepJob } from './design/jobs.js';
export type { Task, TaskContext, TaskRef } from './run/task.js';
export type { RetryOptions, RunContext, Runner } from './run/runner.js';
export { localRunner } from './run/local.js';
export type { LocalRunnerOptions } from './run/local.js';
export { runSweep } from './sweep.js';
export type { RunSweepOptions, SweepSpec, SweepSummary } from './sweep.js';
export type {
  Metric,
  ResultFormat,
  ResultHeader,
  StoredResult,
  TaskResult,
} from './store/codec.js';
export { resultTree } from './store/codec.js';
export { buildIndex, readResult } from './store/index-file.js';
export { SweepLayout } from './store/layout.js';
export type { IndexRow, SweepIndex } from './store/index-file.js';
export { readJournal } from './store/records.js';
export type { FailedJob, JournalEvent, SweepDefinition } from './store/records.js';
export { formatProgress, terminalProgress } from './report/progress.js';
export type { SweepProgress } from './report/progress.js';
export { DEFAULT_QUEUE, queueRunner } from './run/queue.js';
export type { QueueJobData, QueueRunnerOptions } from './run/queue.js';
export { startWorker } from './run/queue-worker.js';
export { startRedisServer } from './run/redis-server.js';
export type { RedisServer, RedisServerOptions } from './run/redis-server.js';
export type { QueueWorkerOptions, SweepWorker } from './run/queue-worker.js';
export { formatSummary } from './report/summary.js';
export { renderReport, writeReport } from './report/html.js';
export type { ReportOptions } from './report/html.js';
export { containerfile, kubernetesJob } from './cluster/manifest.js';
export type { KubernetesJobManifest, KubernetesJobOptions } from './cluster/manifest.js';
