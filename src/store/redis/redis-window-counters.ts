import { WindowCounters } from '../window-counters.port';
import { KEYS } from './redis-keys';
import { RedisConnection } from './redis-connection';

/** `ratelimit:{counter}`: INCRBY, with the window's PEXPIRE set by the hit that creates it (one script). */
export class RedisWindowCounters implements WindowCounters {
  constructor(private readonly redis: RedisConnection) {}

  async hit(counter: string, windowMs: number) {
    const [count, msLeft] = await this.redis.run((c) => c.windowHit(KEYS.rateCounter(counter), 1, windowMs));
    return { count: Number(count), msLeft: Number(msLeft) };
  }
}
