/** DI token of the response cache. */
export const RESPONSE_CACHE = Symbol('RESPONSE_CACHE');

/** The response cache (`cache:*` keys) through cache-manager. Failures read as a miss. */
export interface ResponseCache {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlSeconds: number): Promise<void>;
  del(key: string): Promise<void>;
}
