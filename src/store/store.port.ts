/** DI tokens of the store module. */
export const KEY_VALUE_STORE = Symbol('KEY_VALUE_STORE');
export const RESPONSE_CACHE = Symbol('RESPONSE_CACHE');

export type StoreKind = 'redis' | 'memory';

/**
 * The one storage port every module uses (sessions, costs, breaker state, rate limits, SII).
 * Redis in production, process memory when no Redis is configured. Every method rejects with
 * StoreUnavailableError when Redis is down, quickly, instead of hanging.
 */
export interface KeyValueStore {
  readonly kind: StoreKind;
  /** Connected and answering (always true for memory). */
  isReady(): boolean;
  /** Round-trip latency in ms. */
  ping(): Promise<number>;

  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds?: number): Promise<void>;
  /** SET NX with TTL; true when this call created the key. */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  del(...keys: string[]): Promise<number>;
  exists(key: string): Promise<boolean>;
  /** Sets the TTL on every key that exists, in one round trip. */
  expire(keys: string[], ttlSeconds: number): Promise<void>;
  /** Seconds left; -2 when missing, -1 when it has no TTL. */
  ttl(key: string): Promise<number>;

  /** RPUSH + LTRIM (keep the last maxLength) + EXPIRE, atomically. Returns the new length. */
  listAppend(key: string, values: string[], opts?: { maxLength?: number; ttlSeconds?: number }): Promise<number>;
  listRange(key: string, start: number, stop: number): Promise<string[]>;
  listLength(key: string): Promise<number>;

  hashSet(key: string, fields: Record<string, string>, ttlSeconds?: number): Promise<void>;
  hashGetAll(key: string): Promise<Record<string, string>>;
  /** Several HINCRBY (integers) in one atomic transaction; TTL applied when given. */
  hashIncrBy(key: string, increments: Record<string, number>, ttlSeconds?: number): Promise<void>;
  /**
   * Runs the operations in order, atomically and in one round trip (one Lua script in Redis),
   * and returns each one's result (see StoreOp). For hot paths that touch several keys at once.
   */
  batch(ops: readonly StoreOp[]): Promise<unknown[]>;

  /** INCRBY; when the key is new and ttlMs is given, it expires after ttlMs. Returns value and ms left. */
  incrBy(key: string, amount: number, ttlMs?: number): Promise<{ value: number; ttlMs: number }>;

  /** Keys matching a glob pattern (SCAN, never KEYS). */
  scanKeys(pattern: string, max?: number): Promise<string[]>;
}

/**
 * One step of KeyValueStore.batch, with Redis semantics. Results, in order: hGetAll → fields
 * (empty when missing), lRange → values, expire → true when the key exists, rPush → new length,
 * lTrim → 'OK', hSet → fields added, hIncrBy → new value, hDel → fields removed, del → keys removed,
 * set → 'OK'.
 * requireField → true when the hash field's presence is as required; when it is not, the batch
 * stops there: nothing after it runs and the results of those steps are null (check-and-write in
 * one atomic step, e.g. "append only while the session exists").
 */
export type StoreOp =
  | { op: 'requireField'; key: string; field: string; present: boolean }
  | { op: 'hGetAll'; key: string }
  | { op: 'lRange'; key: string; start: number; stop: number }
  | { op: 'expire'; key: string; ttlSeconds: number }
  | { op: 'rPush'; key: string; values: string[] }
  | { op: 'lTrim'; key: string; start: number; stop: number }
  | { op: 'hSet'; key: string; fields: Record<string, string> }
  | { op: 'hIncrBy'; key: string; field: string; by: number }
  | { op: 'hDel'; key: string; fields: string[] }
  | { op: 'del'; key: string }
  | { op: 'set'; key: string; value: string; ttlSeconds?: number };

/** The response cache (`cache:*` keys) through cache-manager. Failures read as a miss. */
export interface ResponseCache {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlSeconds: number): Promise<void>;
  del(key: string): Promise<void>;
}
