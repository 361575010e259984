// The sciml-sweep command as a user runs it: a child process on the compiled bin.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Job } from 'kubernetes-models/batch/v1';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compiledExecArgv } from '../src/run/compiled.js';
import { buildIndex } from '../src/store/index-file.js';
import { tempDir } from './helpers.js';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const SWEEP = fileURLToPath(new URL('./fixtures/sweep.mjs', import.meta.url));
const tmp = tempDir();
afterAll(tmp.cleanup);

function cli(...args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [...compiledExecArgv(), CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, JOB_COMPLETION_INDEX: '' },
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('sciml-sweep', () => {
  it('runs a sweep module, prints the summary and writes the report', () => {
    const out = join(tmp.dir, 'run');
    const r = cli('run', SWEEP, '--out', out, '--workers', '2', '--no-progress', '--report');
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/8 jobs: 8 done, 0 failed, 0 pending/);
    expect(r.out).toMatch(/job\s+a\s+b\s+status\s+loss\s+label/);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('heat map of loss');
    const status = cli('status', out);
    expect(status.status).toBe(0);
    expect(status.out).toMatch(/8 done/);
  });

  it('runs shards of an Indexed Job, each its own part of the design', async () => {
    const out = join(tmp.dir, 'shards');
    const first = cli(
      'shard',
      SWEEP,
      '--index',
      '0',
      '--count',
      '3',
      '--out',
      out,
      '--workers',
      '1',
    );
    expect(first.status).toBe(0);
    // design entries 0, 3, 6
    expect(first.out).toMatch(/shard 0 of 3: 3 ran, 0 already done, 0 failed/);
    expect(await buildIndex(out)).toMatchObject({ done: 3, pending: 5 });
    expect(cli('shard', SWEEP, '--index', '1', '--count', '3', '--out', out).out).toMatch(/3 ran/);
    expect(cli('shard', SWEEP, '--index', '2', '--count', '3', '--out', out).out).toMatch(/2 ran/);
    expect(cli('status', out).out).toMatch(/8 jobs: 8 done/);
    expect(existsSync(join(out, 'tmp'))).toBe(false);
  });

  it('writes a job.yaml the Kubernetes schema accepts, and a Containerfile', () => {
    const r = cli(
      'k8s',
      SWEEP,
      '--image',
      'registry.example.com/s:1',
      '--completions',
      '4',
      '--claim',
      'results',
      '--dir',
      tmp.dir,
    );
    expect(r.status).toBe(0);
    const job = new Job(parse(readFileSync(join(tmp.dir, 'job.yaml'), 'utf8')));
    expect(() => job.validate()).not.toThrow();
    expect(job.metadata!.name).toBe('fixture');
    expect(job.spec!.template.spec!.containers[0]!.args!.slice(0, 2)).toEqual([
      'shard',
      '/app/sweep.mjs',
    ]);
    expect(readFileSync(join(tmp.dir, 'Containerfile'), 'utf8')).toMatch(/^FROM node:20/m);
  });

  it('Ctrl-C cancels a run: exit 130, finished results and the index kept, the same command resumes', async () => {
    const out = join(tmp.dir, 'cancel');
    const slow = fileURLToPath(new URL('./fixtures/slow-sweep.mjs', import.meta.url));
    const child = spawn(
      process.execPath,
      [...compiledExecArgv(), CLI, 'run', slow, '--out', out, '--workers', '2', '--no-progress'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let text = '';
    child.stdout.on('data', (c: Buffer) => {
      text += c.toString();
    });
    // interrupt once two results exist
    while (!existsSync(join(out, 'results')) || readdirSync(join(out, 'results')).length < 2) {
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGINT');
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(130);
    expect(text).toMatch(/cancelled: run the same command again/);
    const kept = readdirSync(join(out, 'results')).filter((f) => f.endsWith('.safetensors')).length;
    expect(kept).toBeGreaterThanOrEqual(2);
    expect(kept).toBeLessThan(12);
    expect(JSON.parse(readFileSync(join(out, 'index.json'), 'utf8'))).toHaveLength(12);
    const again = cli('run', slow, '--out', out, '--workers', '2', '--no-progress');
    expect(again.status).toBe(0);
    expect(again.out).toMatch(/12 jobs: 12 done/);
  });

  it('answers bad usage with exit status 2 and a one-line typed error', () => {
    expect(cli('frobnicate').status).toBe(2);
    const missing = cli('run', join(tmp.dir, 'nope.mjs'));
    expect(missing.status).toBe(2);
    expect(missing.out).toMatch(/^TaskModuleError: sciml-sweep: sweep module .* does not exist/);
    expect(cli('k8s', SWEEP).out).toMatch(/pass --image/);
  });
});
