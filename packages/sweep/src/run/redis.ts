// Redis connections for the queue runner and its workers. BullMQ's blocking commands need
// `maxRetriesPerRequest: null` (wait through a Redis restart rather than fail); a first probe with a short
// timeout turns "no Redis there" into a typed error instead of an endless reconnect loop.
import { Redis } from 'ioredis';
import { QueueConnectionError } from '../errors.js';

/** The default Redis URL: `REDIS_URL` from the environment, else the local default port. */
export function defaultRedisUrl(): string {
  return process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

/** A connection for BullMQ: reconnects forever (with capped backoff) and queues commands meanwhile. */
export function queueConnection(url: string): Redis {
  const client = new Redis(url, {
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(50 * 2 ** times, 1000),
  });
  // While Redis is away (a restart) every reconnect attempt errors; the client keeps retrying and BullMQ
  // reports lasting trouble through its own 'error' events, so these need no second report
  client.on('error', () => {});
  return client;
}

/**
 * Checks that Redis answers PING within `timeoutMs`; a refusal, a timeout or a bad URL is a
 * {@link QueueConnectionError} naming the URL and the fix.
 */
export async function probeRedis(op: string, url: string, timeoutMs = 3000): Promise<void> {
  let client: Redis;
  try {
    client = new Redis(url, {
      lazyConnect: true,
      connectTimeout: timeoutMs,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      enableOfflineQueue: false,
    });
  } catch (error) {
    throw new QueueConnectionError(
      op,
      redactUrl(url),
      `bad Redis URL ${redactUrl(url)}: ${(error as Error).message}`,
    );
  }
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new QueueConnectionError(
      op,
      redactUrl(url),
      `cannot reach Redis at ${redactUrl(url)} (${(error as Error).message}); start one (redis-server, or docker run redis) and pass its URL as connection or REDIS_URL`,
    );
  } finally {
    client.disconnect();
  }
}
