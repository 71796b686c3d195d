import { BreakerStore } from '../breaker-store.port';
import { KEYS } from './redis-keys';
import { RedisConnection } from './redis-connection';

/**
 * `llm:breaker:{p}` (open circuit, JSON), `…:failures` (counter in a window), `…:probe` (SET NX
 * lease of the half-open probe).
 */
export class RedisBreakerStore implements BreakerStore {
  constructor(private readonly redis: RedisConnection) {}

  circuit(provider: string): Promise<string | null> {
    return this.redis.run((c) => c.get(KEYS.breaker(provider)));
  }

  async countFailure(provider: string, windowMs: number): Promise<number> {
    const [count] = await this.redis.run((c) => c.windowHit(KEYS.breakerFailures(provider), 1, windowMs));
    return Number(count);
  }

  async open(provider: string, circuit: string, ttlSeconds: number): Promise<void> {
    await this.redis.run((c) => c.set(KEYS.breaker(provider), circuit, { EX: ttlSeconds }));
    await this.redis.run((c) => c.del([KEYS.breakerFailures(provider), KEYS.breakerProbe(provider)]));
  }

  async close(provider: string): Promise<void> {
    const keys = [KEYS.breaker(provider), KEYS.breakerFailures(provider), KEYS.breakerProbe(provider)];
    await this.redis.run((c) => c.del(keys));
  }

  async claimProbe(provider: string, holder: string, ttlSeconds: number): Promise<boolean> {
    const reply = await this.redis.run((c) => c.set(KEYS.breakerProbe(provider), holder, { NX: true, EX: ttlSeconds }));
    return reply === 'OK';
  }

  async releaseProbe(provider: string): Promise<void> {
    await this.redis.run((c) => c.del(KEYS.breakerProbe(provider)));
  }
}
