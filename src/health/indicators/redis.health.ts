import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { STORE_HEALTH, StoreHealth, StoreStatus } from '../../store/store-health.port';

@Injectable()
export class RedisHealthIndicator {
  constructor(
    @Inject(STORE_HEALTH) private readonly store: StoreHealth,
    private readonly indicator: HealthIndicatorService,
  ) {}

  /** PING with its own short timeout; the memory store is reported as such, not as "up". */
  status(timeoutMs = 500): Promise<StoreStatus> {
    return this.store.probe(timeoutMs);
  }

  async check(key = 'redis') {
    const s = await this.status();
    const session = this.indicator.check(key);
    return s.status === 'down'
      ? session.down({ message: 'Redis is unreachable' })
      : session.up({ mode: s.status, latency_ms: s.latency_ms });
  }
}
