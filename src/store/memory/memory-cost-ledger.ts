import { CostLedgerStore } from '../cost-ledger-store.port';
import { ExpiringMap, ExpiringMaps } from './expiring-map';

const KEEP_MS = 400 * 86_400_000;

/** Day counters in process memory, kept as long as in Redis. */
export class MemoryCostLedger implements CostLedgerStore {
  private readonly daysKept: ExpiringMap<Map<string, number>>;

  constructor(maps: ExpiringMaps) {
    this.daysKept = maps.create();
  }

  async add(day: string, increments: Readonly<Record<string, number>>) {
    const counters = this.daysKept.get(day) ?? new Map<string, number>();
    for (const [field, n] of Object.entries(increments))
      counters.set(field, (counters.get(field) ?? 0) + Math.trunc(n));
    this.daysKept.set(day, counters, KEEP_MS);
  }

  async read(day: string) {
    const out: Record<string, number> = Object.create(null) as Record<string, number>;
    for (const [field, n] of this.daysKept.get(day) ?? []) out[field] = n;
    return out;
  }

  async days(max: number) {
    const out: string[] = [];
    for (const day of this.daysKept.keys()) {
      if (out.length >= max) break;
      out.push(day);
    }
    return out;
  }
}
