import { WindowCounters } from '../window-counters.port';
import { ExpiringMap, ExpiringMaps } from './expiring-map';

/** Fixed windows in process memory, counted exactly as the Redis adapter counts them. */
export class MemoryWindowCounters implements WindowCounters {
  private readonly windows: ExpiringMap<{ count: number }>;

  constructor(maps: ExpiringMaps) {
    this.windows = maps.create();
  }

  async hit(counter: string, windowMs: number) {
    const window = this.windows.get(counter);
    if (!window) {
      this.windows.set(counter, { count: 1 }, windowMs);
      return { count: 1, msLeft: windowMs };
    }
    window.count += 1;
    return { count: window.count, msLeft: this.windows.msLeft(counter) };
  }
}
