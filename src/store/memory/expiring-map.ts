import type { Clock } from '../../common/clock';

interface Entry<V> {
  value: V;
  /** Epoch ms; Infinity = no expiry. */
  expiresAt: number;
}

/**
 * What Redis's key expiry is to the Redis adapters: entries vanish once their TTL has passed on
 * the service's clock. A store, not a cache: nothing live is ever evicted (an LRU would drop
 * sessions). Expired entries are dropped when read and by sweep().
 */
export class ExpiringMap<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(private readonly clock: Clock) {}

  get(key: string): V | undefined {
    return this.live(key)?.value;
  }

  has(key: string): boolean {
    return this.live(key) !== undefined;
  }

  /** Without `ttlMs` the entry never expires. */
  set(key: string, value: V, ttlMs?: number): void {
    this.entries.set(key, { value, expiresAt: ttlMs ? this.now() + ttlMs : Infinity });
  }

  /** Sets a live entry's TTL; false when there is none. */
  expire(key: string, ttlMs: number): boolean {
    const entry = this.live(key);
    if (entry) entry.expiresAt = this.now() + ttlMs;
    return entry !== undefined;
  }

  delete(key: string): boolean {
    return this.live(key) !== undefined && this.entries.delete(key);
  }

  /** Ms left; -2 when missing, -1 when it never expires (Redis's PTTL). */
  msLeft(key: string): number {
    const entry = this.live(key);
    if (!entry) return -2;
    return entry.expiresAt === Infinity ? -1 : entry.expiresAt - this.now();
  }

  *keys(): IterableIterator<string> {
    for (const key of this.entries.keys()) if (this.has(key)) yield key;
  }

  sweep(): void {
    for (const key of this.entries.keys()) this.live(key);
  }

  private live(key: string): Entry<V> | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private now(): number {
    return this.clock.now().getTime();
  }
}

/** Makes the memory adapters' maps on one clock, and sweeps them all (every 30 s until closed). */
export class ExpiringMaps {
  private readonly maps: ExpiringMap<unknown>[] = [];
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly clock: Clock) {
    this.sweeper = setInterval(() => this.sweep(), 30_000);
    this.sweeper.unref();
  }

  create<V>(): ExpiringMap<V> {
    const map = new ExpiringMap<V>(this.clock);
    this.maps.push(map);
    return map;
  }

  sweep(): void {
    for (const map of this.maps) map.sweep();
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}
