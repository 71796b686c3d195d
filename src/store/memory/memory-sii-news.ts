import { SiiNewsStore } from '../sii-news-store.port';
import { ExpiringMap, ExpiringMaps } from './expiring-map';

const KEEP_MS = 400 * 86_400_000;
const INDEX_LENGTH = 500;
const SEEN = '1';
const LAST_RUN = 'last_run';
const LOCK = 'lock';

/** The SII monitor's records in process memory, with the same leases and limits as in Redis. */
export class MemorySiiNews implements SiiNewsStore {
  /** fingerprint → `claim:{run}` while a run holds it, SEEN once saved. */
  private readonly seen: ExpiringMap<string>;
  private readonly records: ExpiringMap<string>;
  /** LAST_RUN and LOCK. */
  private readonly slots: ExpiringMap<string>;
  private index: string[] = [];

  constructor(maps: ExpiringMaps) {
    this.seen = maps.create();
    this.records = maps.create();
    this.slots = maps.create();
  }

  async claim(fingerprint: string, run: string, leaseSeconds: number) {
    if (this.seen.has(fingerprint)) return false;
    this.seen.set(fingerprint, `claim:${run}`, leaseSeconds * 1000);
    return true;
  }

  async isSeen(fingerprint: string) {
    return this.seen.has(fingerprint);
  }

  async release(fingerprint: string, run: string) {
    if (this.seen.get(fingerprint) === `claim:${run}`) this.seen.delete(fingerprint);
  }

  async save(fingerprint: string, id: string, record: string) {
    this.records.set(id, record, KEEP_MS);
    this.index = [...this.index, id].slice(-INDEX_LENGTH);
    this.seen.set(fingerprint, SEEN, KEEP_MS);
  }

  async latest(limit: number) {
    const ids = this.index.slice(-limit).reverse();
    const records = ids.map((id) => this.records.get(id)).filter((r): r is string => r !== undefined);
    return { records, total: this.index.length };
  }

  async saveRun(summary: string) {
    this.slots.set(LAST_RUN, summary, KEEP_MS);
  }

  async lastRun() {
    return this.slots.get(LAST_RUN) ?? null;
  }

  async acquireLock(owner: string, ttlSeconds: number) {
    if (this.slots.has(LOCK)) return false;
    this.slots.set(LOCK, owner, ttlSeconds * 1000);
    return true;
  }

  async holdLock(owner: string, ttlSeconds: number) {
    if (this.slots.get(LOCK) === owner) this.slots.expire(LOCK, ttlSeconds * 1000);
  }
}
