import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { SII_NEWS_STORE, SiiNewsStore } from '../store/sii-news-store.port';
import type { ParsedNewsItem } from './parsing/news-item';
import type { SiiNewsRecord, SiiRunSummary } from './sii.types';

/**
 * How long a claim holds before another run may take the item: longer than a run's analyses can
 * last (15 items, 5 at a time, each within two providers' LLM_TIMEOUT_MS), as long as sii:lock.
 */
const CLAIM_LEASE_SECONDS = 10 * 60;

export function fingerprintOf(item: Pick<ParsedNewsItem, 'link' | 'title'>): string {
  return createHash('sha1')
    .update(item.link ?? `title:${item.title.toLowerCase()}`)
    .digest('hex');
}
export const idOf = (fingerprint: string) => fingerprint.slice(0, 16);

/** The SII monitor's records as JSON in the store's SII_NEWS_STORE (layout: docs/architecture.md §7). */
@Injectable()
export class SiiNewsRepository {
  constructor(@Inject(SII_NEWS_STORE) private readonly store: SiiNewsStore) {}

  /** True for the one run that takes this item (neither saved nor under another run's lease). */
  claim(fingerprint: string, run: string): Promise<boolean> {
    return this.store.claim(fingerprint, run, CLAIM_LEASE_SECONDS);
  }

  /** Saved, or claimed by a run that is still within its lease. */
  isSeen(fingerprint: string): Promise<boolean> {
    return this.store.isSeen(fingerprint);
  }

  /** Gives an item back (its run stopped before analysing it), so the next run takes it at once. */
  release(fingerprint: string, run: string): Promise<void> {
    return this.store.release(fingerprint, run);
  }

  /** The analysis, its place in the index and "seen for 400 days", in one atomic step. */
  save(record: SiiNewsRecord, fingerprint: string): Promise<void> {
    return this.store.save(fingerprint, record.id, JSON.stringify(record));
  }

  async latest(limit: number): Promise<{ items: SiiNewsRecord[]; total: number }> {
    const { records, total } = await this.store.latest(limit);
    return { items: records.map((r) => parse<SiiNewsRecord>(r)).filter((r): r is SiiNewsRecord => !!r), total };
  }

  saveRun(run: SiiRunSummary): Promise<void> {
    return this.store.saveRun(JSON.stringify(run));
  }

  async lastRun(): Promise<SiiRunSummary | null> {
    const raw = await this.store.lastRun();
    return raw ? parse<SiiRunSummary>(raw) : null;
  }

  acquireLock(owner: string, ttlSeconds: number): Promise<boolean> {
    return this.store.acquireLock(owner, ttlSeconds);
  }

  /** Keeps the lock a little longer instead of deleting it, so replicas on the same schedule skip this tick. */
  holdLock(owner: string, ttlSeconds: number): Promise<void> {
    return this.store.holdLock(owner, ttlSeconds);
  }
}

function parse<T>(raw: string): T | null {
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}
