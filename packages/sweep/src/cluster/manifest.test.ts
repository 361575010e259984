import { ValueError } from '@sciml/linalg';
import { Job } from 'kubernetes-models/batch/v1';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { containerfile, kubernetesJob } from './manifest.js';

describe('kubernetesJob', () => {
  it('writes an Indexed Job that the Kubernetes schema (kubernetes-models) accepts', () => {
    const manifest = kubernetesJob({
      name: 'sindy-ensemble',
      image: 'registry.example.com/sindy:1',
      sweepModule: '/app/sweep.mjs',
      completions: 8,
      parallelism: 4,
      workersPerPod: 2,
      claimName: 'sweep-results',
    });
    // through YAML and back, as kubectl would read job.yaml
    const job = new Job(parse(stringify(manifest)));
    expect(() => job.validate()).not.toThrow();
    const spec = job.spec!;
    expect(spec).toMatchObject({
      completionMode: 'Indexed',
      completions: 8,
      parallelism: 4,
      backoffLimitPerIndex: 3,
    });
    const pod = spec.template.spec!;
    expect(pod.restartPolicy).toBe('Never');
    const container = pod.containers[0]!;
    expect(container.args).toEqual([
      'shard',
      '/app/sweep.mjs',
      '--out',
      '/results/sindy-ensemble',
      '--workers',
      '2',
      '--no-progress',
    ]);
    expect(container.env).toContainEqual({ name: 'SCIML_SWEEP_SHARDS', value: '8' });
    expect(pod.volumes![0]).toEqual({
      name: 'results',
      persistentVolumeClaim: { claimName: 'sweep-results' },
    });
  });

  it('is rejected by the schema validator when broken, so the test above can fail', () => {
    const manifest = kubernetesJob({
      name: 'x',
      image: 'img',
      sweepModule: '/app/s.mjs',
      completions: 2,
    });
    const broken = structuredClone(manifest) as unknown as { spec: { completions: unknown } };
    broken.spec.completions = 'two';
    expect(() => new Job(broken as never).validate()).toThrow();
  });

  it('checks its options', () => {
    const base = { image: 'img', sweepModule: '/app/s.mjs', completions: 2 };
    expect(() => kubernetesJob({ ...base, name: 'Bad_Name' })).toThrow(ValueError);
    expect(() => kubernetesJob({ ...base, name: 'ok', completions: 0 })).toThrow(/completions/);
  });

  it('writes a Containerfile whose entry point is the sciml-sweep bin', () => {
    const text = containerfile();
    expect(text).toMatch(/^FROM node:20-bookworm-slim$/m);
    expect(text).toMatch(/ENTRYPOINT \["\/app\/node_modules\/\.bin\/sciml-sweep"\]/);
  });
});
