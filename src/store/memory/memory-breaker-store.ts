import { BreakerStore } from '../breaker-store.port';
import { ExpiringMap, ExpiringMaps } from './expiring-map';

/** Breaker state in process memory (one replica: nothing to share, same rules). */
export class MemoryBreakerStore implements BreakerStore {
  private readonly circuits: ExpiringMap<string>;
  private readonly failures: ExpiringMap<{ count: number }>;
  private readonly probes: ExpiringMap<string>;

  constructor(maps: ExpiringMaps) {
    this.circuits = maps.create();
    this.failures = maps.create();
    this.probes = maps.create();
  }

  async circuit(provider: string) {
    return this.circuits.get(provider) ?? null;
  }

  async countFailure(provider: string, windowMs: number) {
    const failures = this.failures.get(provider);
    if (failures) return ++failures.count;
    this.failures.set(provider, { count: 1 }, windowMs);
    return 1;
  }

  async open(provider: string, circuit: string, ttlSeconds: number) {
    this.circuits.set(provider, circuit, ttlSeconds * 1000);
    this.failures.delete(provider);
    this.probes.delete(provider);
  }

  async close(provider: string) {
    this.circuits.delete(provider);
    this.failures.delete(provider);
    this.probes.delete(provider);
  }

  async claimProbe(provider: string, holder: string, ttlSeconds: number) {
    if (this.probes.has(provider)) return false;
    this.probes.set(provider, holder, ttlSeconds * 1000);
    return true;
  }

  async releaseProbe(provider: string) {
    this.probes.delete(provider);
  }
}
