import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { withTimeout } from '../../common/with-timeout';
import { KEY_VALUE_STORE, KeyValueStore } from '../../store/store.port';

export type RedisStatus = { status: 'up' | 'down' | 'memory'; latency_ms: number | null };

@Injectable()
export class RedisHealthIndicator {
  constructor(
    @Inject(KEY_VALUE_STORE) private readonly store: KeyValueStore,
    private readonly indicator: HealthIndicatorService,
  ) {}

  /** PING with its own short timeout; the memory store is reported as such, not as "up". */
  async status(timeoutMs = 500): Promise<RedisStatus> {
    if (this.store.kind === 'memory') return { status: 'memory', latency_ms: null };
    try {
      return { status: 'up', latency_ms: await withTimeout(this.store.ping(), timeoutMs, 'redis ping') };
    } catch {
      return { status: 'down', latency_ms: null };
    }
  }

  async check(key = 'redis') {
    const s = await this.status();
    const session = this.indicator.check(key);
    return s.status === 'down'
      ? session.down({ message: 'Redis is unreachable' })
      : session.up({ mode: s.status, latency_ms: s.latency_ms });
  }
}
