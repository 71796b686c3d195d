import { SiiNewsStore } from '../sii-news-store.port';
import { KEYS } from './redis-keys';
import { RedisConnection } from './redis-connection';

const KEEP_SECONDS = 400 * 86_400;
const INDEX_LENGTH = 500;
const claimOf = (run: string) => `claim:${run}`;

/**
 * `sii:seen:{fingerprint}`: `claim:{run}` (SET NX EX: the lease of the run analysing it), then `1`
 * for 400 days once its analysis is saved; `sii:news:{id}` (JSON, 400 days); `sii:news` (ids,
 * newest last, the last 500); `sii:last_run` (JSON); `sii:lock` (owner, SET NX EX).
 */
export class RedisSiiNews implements SiiNewsStore {
  constructor(private readonly redis: RedisConnection) {}

  async claim(fingerprint: string, run: string, leaseSeconds: number): Promise<boolean> {
    const reply = await this.redis.run((c) =>
      c.set(KEYS.siiSeen(fingerprint), claimOf(run), { NX: true, EX: leaseSeconds }),
    );
    return reply === 'OK';
  }

  async isSeen(fingerprint: string): Promise<boolean> {
    return (await this.redis.run((c) => c.exists(KEYS.siiSeen(fingerprint)))) === 1;
  }

  async release(fingerprint: string, run: string): Promise<void> {
    await this.redis.run((c) => c.leaseRelease(KEYS.siiSeen(fingerprint), claimOf(run)));
  }

  async save(fingerprint: string, id: string, record: string): Promise<void> {
    await this.redis.run((c) =>
      c.siiSave(
        KEYS.memoryGate,
        KEYS.siiNews(id),
        KEYS.siiIndex,
        KEYS.siiSeen(fingerprint),
        KEEP_SECONDS,
        INDEX_LENGTH,
        record,
        id,
      ),
    );
  }

  async latest(limit: number): Promise<{ records: string[]; total: number }> {
    const [ids, total] = await Promise.all([
      this.redis.run((c) => c.lRange(KEYS.siiIndex, -limit, -1)),
      this.redis.run((c) => c.lLen(KEYS.siiIndex)),
    ]);
    if (!ids.length) return { records: [], total };
    const raw = await this.redis.run((c) => c.mGet(ids.reverse().map(KEYS.siiNews)));
    return { records: raw.filter((r): r is string => r !== null), total };
  }

  async saveRun(summary: string): Promise<void> {
    await this.redis.run((c) => c.set(KEYS.siiLastRun, summary, { EX: KEEP_SECONDS }));
  }

  lastRun(): Promise<string | null> {
    return this.redis.run((c) => c.get(KEYS.siiLastRun));
  }

  async acquireLock(owner: string, ttlSeconds: number): Promise<boolean> {
    return (await this.redis.run((c) => c.set(KEYS.siiLock, owner, { NX: true, EX: ttlSeconds }))) === 'OK';
  }

  async holdLock(owner: string, ttlSeconds: number): Promise<void> {
    await this.redis.run((c) => c.leaseExtend(KEYS.siiLock, owner, ttlSeconds));
  }
}
