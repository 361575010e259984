// Kubernetes Indexed Job for a sweep: `completions` pods, each with its JOB_COMPLETION_INDEX (set by
// Kubernetes in Indexed completion mode), run one shard of the design (`sciml-sweep shard`) into a shared
// volume. A pod that fails is retried per index (backoffLimitPerIndex); jobs done before a retry are skipped
// on resume, so a retried pod only does its shard's missing jobs.
// https://kubernetes.io/docs/concepts/workloads/controllers/job/#completion-mode
import { ValueError } from '@sciml/linalg';

/**
 * Options of {@link kubernetesJob}.
 * @public
 */
export interface KubernetesJobOptions {
  /** The Job's name (a DNS-1123 label: lower-case letters, digits, '-'). */
  readonly name: string;
  /** The worker image (built from {@link containerfile}). */
  readonly image: string;
  /** The sweep module's path inside the image, e.g. `/app/sweep.mjs`. */
  readonly sweepModule: string;
  /** Pods in total = shards of the design. */
  readonly completions: number;
  /** Pods at once (default: `completions`). */
  readonly parallelism?: number;
  /** Worker threads per pod (default 1). */
  readonly workersPerPod?: number;
  /** PersistentVolumeClaim for the results, mounted read-write in every pod (ReadWriteMany); none: an emptyDir (results lost with the pod). */
  readonly claimName?: string;
  /** Where the volume is mounted (default `/results`). */
  readonly mountPath?: string;
  /** The sweep folder inside the volume (default: `mountPath` + `/` + `name`). */
  readonly outDir?: string;
  /** CPU request and limit per pod (default: `workersPerPod`). */
  readonly cpu?: string;
  /** Memory request and limit per pod (default `'1Gi'`). */
  readonly memory?: string;
  /** Retries of one failed index before it counts as failed (default 3). */
  readonly backoffLimitPerIndex?: number;
}

/**
 * The minimal shape of a Kubernetes batch/v1 Job that this package writes.
 * @public
 */
export interface KubernetesJobManifest {
  /** Always `'batch/v1'`. */
  readonly apiVersion: 'batch/v1';
  /** Always `'Job'`. */
  readonly kind: 'Job';
  /** The Job's name and labels. */
  readonly metadata: { readonly name: string; readonly labels: Readonly<Record<string, string>> };
  /** The JobSpec (Indexed completion mode), as Kubernetes' batch/v1 schema describes it. */
  readonly spec: Readonly<Record<string, unknown>>;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function positive(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ValueError('kubernetesJob', `${name} must be a positive integer, got ${value}`);
  }
}

/**
 * A Kubernetes Indexed Job manifest that runs a sweep in `completions` shards, pod `i` running the design
 * entries `i, i + completions, ...` (`sciml-sweep shard`, index from `JOB_COMPLETION_INDEX`).
 * @public
 */
export function kubernetesJob(options: KubernetesJobOptions): KubernetesJobManifest {
  const { name, image, completions } = options;
  if (!DNS_LABEL.test(name) || name.length > 63) {
    throw new ValueError(
      'kubernetesJob',
      `name '${name}' must be a DNS-1123 label (lower-case letters, digits, '-', at most 63)`,
    );
  }
  if (typeof image !== 'string' || image.length === 0)
    throw new ValueError('kubernetesJob', 'image must name the worker image');
  positive('completions', completions);
  const parallelism = options.parallelism ?? completions;
  positive('parallelism', parallelism);
  const workers = options.workersPerPod ?? 1;
  positive('workersPerPod', workers);
  const mountPath = options.mountPath ?? '/results';
  const outDir = options.outDir ?? `${mountPath}/${name}`;
  const cpu = options.cpu ?? String(workers);
  const memory = options.memory ?? '1Gi';
  const labels = { 'app.kubernetes.io/name': 'sciml-sweep', 'sciml.dev/sweep': name };
  const volume = options.claimName
    ? { name: 'results', persistentVolumeClaim: { claimName: options.claimName } }
    : { name: 'results', emptyDir: {} };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, labels },
    spec: {
      completionMode: 'Indexed',
      completions,
      parallelism,
      backoffLimitPerIndex: options.backoffLimitPerIndex ?? 3,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'sweep',
              image,
              command: ['/app/node_modules/.bin/sciml-sweep'],
              args: [
                'shard',
                options.sweepModule,
                '--out',
                outDir,
                '--workers',
                String(workers),
                '--no-progress',
              ],
              env: [{ name: 'SCIML_SWEEP_SHARDS', value: String(completions) }],
              resources: { requests: { cpu, memory }, limits: { cpu, memory } },
              volumeMounts: [{ name: 'results', mountPath }],
            },
          ],
          volumes: [volume],
        },
      },
    },
  };
}

/**
 * A Containerfile (Dockerfile syntax) for the worker image: the user's project (its package.json with
 * `@sciml/sweep` and the task's dependencies, the sweep and task modules) on Node 20.
 * @public
 */
export function containerfile(options: { readonly nodeImage?: string } = {}): string {
  const base = options.nodeImage ?? 'node:20-bookworm-slim';
  return `# Worker image for a @sciml/sweep sweep. Build it from your project folder (package.json listing
# @sciml/sweep and what your task imports, the sweep and task modules), then push it where the cluster pulls:
#   podman build -t registry.example.com/my-sweep:1 -f Containerfile . && podman push registry.example.com/my-sweep:1
FROM ${base}
WORKDIR /app
COPY package.json package-lock.json* ./
RUN npm ci --omit=dev --no-audit --no-fund || npm install --omit=dev --no-audit --no-fund
COPY . .
ENV NODE_ENV=production
ENTRYPOINT ["/app/node_modules/.bin/sciml-sweep"]
`;
}
