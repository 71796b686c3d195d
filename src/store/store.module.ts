import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { logEvent } from '../common/log-event';
import { withTimeout } from '../common/with-timeout';
import { AppConfig } from '../config/app-config';
import { createRedisClient } from './redis-client.factory';
import { MemoryStore } from './memory.store';
import { RedisStore } from './redis.store';
import { CacheManagerResponseCache } from './response-cache';
import { KEY_VALUE_STORE, KeyValueStore, RESPONSE_CACHE } from './store.port';

/** Chooses Redis or memory once, from config; the rest of the code only sees the ports. */
@Global()
@Module({
  providers: [
    {
      provide: KEY_VALUE_STORE,
      inject: [AppConfig],
      useFactory: (config: AppConfig): KeyValueStore => {
        if (!config.redis) {
          new Logger('Store').log({
            event: 'store_in_memory',
            msg: 'No Redis configured: sessions, costs and caches live in process memory',
          });
          return new MemoryStore();
        }
        return new RedisStore(createRedisClient(config.redis.url));
      },
    },
    {
      provide: RESPONSE_CACHE,
      inject: [KEY_VALUE_STORE],
      useFactory: (store: KeyValueStore) =>
        new CacheManagerResponseCache(store instanceof RedisStore ? store.client : undefined),
    },
  ],
  exports: [KEY_VALUE_STORE, RESPONSE_CACHE],
})
export class StoreModule implements OnApplicationShutdown {
  constructor(@Inject(KEY_VALUE_STORE) private readonly store: KeyValueStore) {}

  async onApplicationShutdown() {
    if (this.store instanceof RedisStore) {
      const client = this.store.client;
      const drop = () => client.disconnect().catch(() => undefined);
      // quit() flushes pending replies but waits for a connection: while Redis is down or the client
      // is between reconnects it would never return, so only a ready client is asked to quit.
      const ready = client.isReady;
      if (ready) await withTimeout(client.quit(), 1000, 'redis quit').catch(drop);
      else await drop();
      logEvent(new Logger('Redis'), 'redis_client_closed', { quit: ready });
    } else if (this.store instanceof MemoryStore) {
      this.store.close();
    }
  }
}
