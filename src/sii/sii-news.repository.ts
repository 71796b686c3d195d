import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { KEY_VALUE_STORE, KeyValueStore } from '../store/store.port';
import type { ParsedNewsItem } from './parsing/news-item';
import type { SiiNewsRecord, SiiRunSummary } from './sii.types';

/**
 * Redis layout of SII monitoring:
 *   sii:seen:{sha1(link or title)}  "claim:{run}" (SET NX EX 10 min): the item is being analysed by
 *                                   one run; "1" (EX 400 days) once its analysis is saved. A run that
 *                                   stops before saving leaves only the lease, so the item comes back.
 *   sii:news:{id}                   JSON of one analysed item (EX 400 days); id = first 16 hex of the sha1
 *   sii:news                        list of ids, newest last, trimmed to 500
 *   sii:last_run                    JSON summary of the last run
 *   sii:lock                        SET NX EX: one scheduled run at a time across replicas
 */
export const SII_KEYS = {
  seen: (fingerprint: string) => `sii:seen:${fingerprint}`,
  news: (id: string) => `sii:news:${id}`,
  index: 'sii:news',
  lastRun: 'sii:last_run',
  lock: 'sii:lock',
} as const;
const KEEP_SECONDS = 400 * 86_400;
const INDEX_LENGTH = 500;
/**
 * How long a claim holds before another run may take the item: longer than a run's analyses can
 * last (15 items, 5 at a time, each within two providers' LLM_TIMEOUT_MS), as long as sii:lock.
 */
const CLAIM_LEASE_SECONDS = 10 * 60;
const SEEN = '1';
const claimOf = (run: string) => `claim:${run}`;

export function fingerprintOf(item: Pick<ParsedNewsItem, 'link' | 'title'>): string {
  return createHash('sha1')
    .update(item.link ?? `title:${item.title.toLowerCase()}`)
    .digest('hex');
}
export const idOf = (fingerprint: string) => fingerprint.slice(0, 16);

@Injectable()
export class SiiNewsRepository {
  constructor(@Inject(KEY_VALUE_STORE) private readonly store: KeyValueStore) {}

  /** True for the one run that takes this item (neither saved nor under another run's lease). */
  claim(fingerprint: string, run: string): Promise<boolean> {
    return this.store.setIfAbsent(SII_KEYS.seen(fingerprint), claimOf(run), CLAIM_LEASE_SECONDS);
  }

  /** Saved, or claimed by a run that is still within its lease. */
  isSeen(fingerprint: string): Promise<boolean> {
    return this.store.exists(SII_KEYS.seen(fingerprint));
  }

  /** Gives an item back (its run stopped before analysing it), so the next run takes it at once. */
  async release(fingerprint: string, run: string): Promise<void> {
    if ((await this.store.get(SII_KEYS.seen(fingerprint))) === claimOf(run))
      await this.store.del(SII_KEYS.seen(fingerprint));
  }

  /** The analysis, its place in the index and "seen for 400 days", in one atomic step. */
  async save(record: SiiNewsRecord, fingerprint: string): Promise<void> {
    await this.store.batch([
      { op: 'set', key: SII_KEYS.news(record.id), value: JSON.stringify(record), ttlSeconds: KEEP_SECONDS },
      { op: 'rPush', key: SII_KEYS.index, values: [record.id] },
      { op: 'lTrim', key: SII_KEYS.index, start: -INDEX_LENGTH, stop: -1 },
      { op: 'set', key: SII_KEYS.seen(fingerprint), value: SEEN, ttlSeconds: KEEP_SECONDS },
    ]);
  }

  async latest(limit: number): Promise<{ items: SiiNewsRecord[]; total: number }> {
    const [ids, total] = await Promise.all([
      this.store.listRange(SII_KEYS.index, -limit, -1),
      this.store.listLength(SII_KEYS.index),
    ]);
    const raw = await Promise.all(ids.reverse().map((id) => this.store.get(SII_KEYS.news(id))));
    return {
      items: raw.flatMap((r) => (r ? [parse<SiiNewsRecord>(r)].filter((x): x is SiiNewsRecord => !!x) : [])),
      total,
    };
  }

  saveRun(run: SiiRunSummary): Promise<void> {
    return this.store.set(SII_KEYS.lastRun, JSON.stringify(run), KEEP_SECONDS);
  }

  async lastRun(): Promise<SiiRunSummary | null> {
    const raw = await this.store.get(SII_KEYS.lastRun);
    return raw ? parse<SiiRunSummary>(raw) : null;
  }

  acquireLock(owner: string, ttlSeconds: number): Promise<boolean> {
    return this.store.setIfAbsent(SII_KEYS.lock, owner, ttlSeconds);
  }

  /** Keeps the lock a little longer instead of deleting it, so replicas on the same schedule skip this tick. */
  async holdLock(owner: string, ttlSeconds: number): Promise<void> {
    if ((await this.store.get(SII_KEYS.lock)) === owner) await this.store.expire([SII_KEYS.lock], ttlSeconds);
  }
}

function parse<T>(raw: string): T | null {
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}
