/** DI token of the SII monitor's storage. */
export const SII_NEWS_STORE = Symbol('SII_NEWS_STORE');

/**
 * What the SII monitor keeps: analysed publications (JSON, kept 400 days), their index (newest
 * last, the last 500), which publications were seen, the last run, and the schedule's lock.
 * A publication is identified by its fingerprint; a run claims it with a lease, and saving its
 * analysis marks it seen in the same atomic step, so no two runs analyse one and a run that stops
 * before saving leaves only the lease behind.
 */
export interface SiiNewsStore {
  /** Takes the publication for run `run` for `leaseSeconds`; false when seen or claimed by another run. */
  claim(fingerprint: string, run: string, leaseSeconds: number): Promise<boolean>;
  /** Saved, or claimed by a run whose lease still holds. */
  isSeen(fingerprint: string): Promise<boolean>;
  /** Gives a claim back, if `run` still holds it. */
  release(fingerprint: string, run: string): Promise<void>;
  /** The record under `id`, its place in the index and "seen", in one atomic step. */
  save(fingerprint: string, id: string, record: string): Promise<void>;
  /** The `limit` newest records, newest first, and how many the index holds. */
  latest(limit: number): Promise<{ records: string[]; total: number }>;
  saveRun(summary: string): Promise<void>;
  lastRun(): Promise<string | null>;
  /** The scheduled run's lock across replicas; true for the owner that got it. */
  acquireLock(owner: string, ttlSeconds: number): Promise<boolean>;
  /** Keeps the lock `ttlSeconds` more from now, if `owner` still holds it. */
  holdLock(owner: string, ttlSeconds: number): Promise<void>;
}
