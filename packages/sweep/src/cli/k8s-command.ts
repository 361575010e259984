import { basename, join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { containerfile, kubernetesJob } from '../cluster/manifest.js';
import { jobsOf } from '../design/jobs.js';
import { writeFileAtomic } from '../store/atomic.js';
import type { SweepSpec } from '../sweep.js';
import { type ParsedArgs, intFlag, stringFlag } from './args.js';
import { ValueError } from '@sciml/linalg';

/** `sciml-sweep k8s <sweep-module> --image ...`: writes job.yaml and Containerfile; returns their paths. */
export async function writeClusterFiles(spec: SweepSpec, args: ParsedArgs): Promise<string[]> {
  const image = stringFlag(args, 'image');
  if (image === undefined)
    throw new ValueError('sciml-sweep k8s', 'pass --image, the worker image the pods run');
  const module = args.positional[0]!;
  const jobs = jobsOf(spec.design).length;
  const completions = intFlag(args, 'completions') ?? Math.min(jobs, 10);
  const parallelism = intFlag(args, 'parallelism');
  const workersPerPod = intFlag(args, 'workers');
  const claimName = stringFlag(args, 'claim');
  const mountPath = stringFlag(args, 'mount');
  const name =
    stringFlag(args, 'name') ??
    basename(resolve(spec.out))
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '') ??
    'sweep';
  const manifest = kubernetesJob({
    name: name || 'sweep',
    image,
    sweepModule: `/app/${basename(module)}`,
    completions,
    ...(parallelism === undefined ? {} : { parallelism }),
    ...(workersPerPod === undefined ? {} : { workersPerPod }),
    ...(claimName === undefined ? {} : { claimName }),
    ...(mountPath === undefined ? {} : { mountPath }),
  });
  const dir = resolve(stringFlag(args, 'dir') ?? '.');
  const jobFile = join(dir, 'job.yaml');
  const containerFile = join(dir, 'Containerfile');
  await writeFileAtomic(jobFile, stringify(manifest));
  await writeFileAtomic(containerFile, containerfile());
  return [jobFile, containerFile];
}
