import { Logger } from '@nestjs/common';
import { Cache, createCache } from 'cache-manager';
import { Keyv, KeyvStoreAdapter } from 'keyv';
import { ResponseCache } from './response-cache.port';

/** A Map that forgets its oldest entry beyond `max`, so an embedded-mode process cannot grow without bound. */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly max: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.max) this.delete(this.keys().next().value as K);
    return super.set(key, value);
  }
}

/**
 * cache-manager over Keyv, on the Keyv store the store module chose (Redis through
 * cache-manager-redis-yet, or an in-process map). Keyv's own `keyv:` prefix is disabled so keys
 * are exactly the caller's (`cache:*`). While the store is not `ready` (Redis down) the cache is
 * skipped: a miss, not a wait.
 */
export class CacheManagerResponseCache implements ResponseCache {
  private readonly cache: Cache;
  private readonly logger = new Logger('ResponseCache');

  constructor(
    store: KeyvStoreAdapter | Map<string, unknown>,
    private readonly ready: () => boolean = () => true,
  ) {
    const keyv = new Keyv({ store, useKeyPrefix: false, namespace: undefined });
    keyv.on('error', () => undefined);
    this.cache = createCache({ stores: [keyv] });
  }

  async get<T>(key: string): Promise<T | undefined> {
    if (!this.ready()) return undefined;
    try {
      return (await this.cache.get<T>(key)) ?? undefined;
    } catch (e) {
      this.logger.warn({ event: 'response_cache_error', op: 'get', error: (e as Error).message });
      return undefined;
    }
  }

  async set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    if (!this.ready()) return;
    try {
      await this.cache.set(key, value, ttlSeconds * 1000);
    } catch (e) {
      this.logger.warn({ event: 'response_cache_error', op: 'set', error: (e as Error).message });
    }
  }

  async del(key: string): Promise<void> {
    try {
      await this.cache.del(key);
    } catch {
      /* a failed delete only means the entry expires by TTL */
    }
  }
}
