import { systemClock } from '../../src/common/clock';
import { createMemoryAdapters } from '../../src/store/memory/memory-adapters';
import { redisAdapters } from '../../src/store/redis/redis-adapters';
import { createRedisClient } from '../../src/store/redis/redis-client.factory';
import { RedisConnection } from '../../src/store/redis/redis-connection';
import { StoreAdapters, StoreSettings } from '../../src/store/store-adapters';
import { waitFor } from '../helpers/ports';
import { TestRedis } from '../helpers/redis-server';

const SETTINGS: StoreSettings = { sessionTtlSeconds: 600 };

/** Both implementations of every store port: Redis is a real redis-server over TCP, one per test file. */
export class StoreBackends {
  private readonly opened: StoreAdapters[] = [];

  private constructor(
    readonly redis: TestRedis,
    readonly connection: RedisConnection,
  ) {}

  static async start(): Promise<StoreBackends> {
    const redis = await TestRedis.start();
    const connection = new RedisConnection(createRedisClient(redis.url()));
    await waitFor(() => connection.ready);
    return new StoreBackends(redis, connection);
  }

  /** The adapters of one backend (all Redis ones share this file's client). */
  open(kind: 'memory' | 'redis', settings: StoreSettings = SETTINGS): StoreAdapters {
    const adapters =
      kind === 'redis' ? redisAdapters(this.connection, settings) : createMemoryAdapters(systemClock, settings);
    if (kind === 'memory') this.opened.push(adapters);
    return adapters;
  }

  async stop() {
    for (const adapters of this.opened) await adapters.close();
    await this.connection.close();
    await this.redis.stop();
  }
}
