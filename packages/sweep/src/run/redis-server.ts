// A private redis-server for a sweep on one machine, for tests and benchmarks: Debian's (or any PATH)
// `redis-server` on a free 127.0.0.1 port with its own folder, append-only persistence on (fsync on every
// write), stopped by `stop()`. Nothing is downloaded: without a redis-server binary it fails with the fix.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { QueueConnectionError } from '../errors.js';

/**
 * A redis-server started by {@link startRedisServer}.
 * @public
 */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** The port. */
  readonly port: number;
  /** The server's folder (its append-only file). */
  readonly dir: string;
  /** Stops the server (SIGTERM: it flushes its append-only file) and starts it again on the same port and folder. */
  restart(downMs?: number): Promise<void>;
  /** Stops the server and removes its folder (unless the folder was given). */
  stop(): Promise<void>;
}

/**
 * Options of {@link startRedisServer}.
 * @public
 */
export interface RedisServerOptions {
  /** Port (default: a free one). */
  readonly port?: number;
  /** Folder for the append-only file (default: a new temporary folder, removed by `stop`). */
  readonly dir?: string;
  /** The binary (default `redis-server` from PATH). */
  readonly command?: string;
}

/** A port that is free now on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitForPing(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    const client = new Redis(url, {
      lazyConnect: true,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
    });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.ping();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      client.disconnect();
    }
  }
}

/**
 * Starts a redis-server on 127.0.0.1 (a free port by default) with append-only persistence, and waits until it
 * answers. A missing binary or a server that does not come up is a {@link QueueConnectionError} with the fix.
 * @example `const redis = await startRedisServer(); ... await redis.stop();`
 * @public
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const port = options.port ?? (await freePort());
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'sciml-sweep-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  const command = options.command ?? 'redis-server';
  let child: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    const proc = spawn(
      command,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
        '--daemonize',
        'no',
        '--loglevel',
        'warning',
      ],
      { stdio: 'ignore' },
    );
    child = proc;
    const spawnError = new Promise<never>((_, reject) => proc.once('error', reject));
    try {
      await Promise.race([waitForPing(url, proc, 10_000), spawnError]);
    } catch (error) {
      proc.kill('SIGKILL');
      throw new QueueConnectionError(
        'startRedisServer',
        url,
        `could not start ${command} on port ${port} (${(error as Error).message}); install it (Debian: apt-get install redis-server) or pass { command }`,
      );
    }
  };
  const shutdown = async (): Promise<void> => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await exited;
  };
  await launch();
  return {
    url,
    port,
    dir,
    async restart(downMs = 200) {
      await shutdown();
      await new Promise((r) => setTimeout(r, downMs));
      await launch();
    },
    async stop() {
      await shutdown();
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
