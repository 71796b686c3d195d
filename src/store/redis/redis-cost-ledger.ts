import { CostLedgerStore } from '../cost-ledger-store.port';
import { KEYS } from './redis-keys';
import { RedisConnection } from './redis-connection';

const KEEP_SECONDS = 400 * 86_400;
const SCAN_COUNT = 500;

/** `cost_tracker:day:{YYYY-MM-DD}` hashes: HINCRBY in one MULTI, SCAN (never KEYS) to list the days. */
export class RedisCostLedger implements CostLedgerStore {
  constructor(private readonly redis: RedisConnection) {}

  async add(day: string, increments: Readonly<Record<string, number>>): Promise<void> {
    const key = KEYS.costDay(day);
    await this.redis.run((c) => {
      const m = c.multi();
      for (const [field, n] of Object.entries(increments)) m.hIncrBy(key, field, Math.trunc(n));
      return m.expire(key, KEEP_SECONDS).exec();
    });
  }

  async read(day: string): Promise<Record<string, number>> {
    const fields = await this.redis.run((c) => c.hGetAll(KEYS.costDay(day)));
    const out: Record<string, number> = Object.create(null) as Record<string, number>;
    for (const [field, value] of Object.entries(fields)) out[field] = Number(value);
    return out;
  }

  days(max: number): Promise<string[]> {
    return this.redis.run(async (c) => {
      const out: string[] = [];
      for await (const key of c.scanIterator({ MATCH: `${KEYS.costDayPrefix}*`, COUNT: SCAN_COUNT })) {
        out.push(key.slice(KEYS.costDayPrefix.length));
        if (out.length >= max) break;
      }
      return out;
    });
  }
}
