import { Logger } from '@nestjs/common';
import { createClient, RedisClientType, RedisDefaultModules } from 'redis';
import { logEvent } from '../../common/log-event';
import { STORE_SCRIPTS } from './scripts';

/** The store's node-redis client, with its Lua scripts as commands (`client.sessionOpen(…)`). */
export type StoreClient = RedisClientType<RedisDefaultModules, Record<string, never>, typeof STORE_SCRIPTS>;

/** Host/port/db of a Redis URL, for logs: never the password. */
function describeRedisUrl(url: string) {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || 6379), db: Number(u.pathname.replace('/', '') || 0) };
}

/**
 * A node-redis client that never crashes the process: connection errors are logged once per
 * outage as `redis_connection_failed`, reconnection is automatic with capped backoff, and
 * `redis_client_initialized` is logged each time it becomes ready. Connecting does not block start-up.
 */
export function createRedisClient(url: string, logger = new Logger('Redis')): StoreClient {
  const where = describeRedisUrl(url);
  const client: StoreClient = createClient({
    url,
    scripts: STORE_SCRIPTS,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 2000,
      keepAlive: 5000,
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** Math.min(retries, 6), 2000),
    },
  });
  let down = false;
  client.on('error', (err: Error) => {
    if (down) return;
    down = true;
    logEvent(logger, 'redis_connection_failed', { ...where, error: err.message || err.name }, 'error');
  });
  client.on('ready', () => {
    down = false;
    logEvent(logger, 'redis_client_initialized', where);
  });
  client.connect().catch(() => undefined);
  return client;
}
