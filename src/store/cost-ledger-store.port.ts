/** DI token of the cost ledger's storage. */
export const COST_LEDGER_STORE = Symbol('COST_LEDGER_STORE');

/**
 * Integer cost counters per Chilean calendar day (`YYYY-MM-DD`), kept 400 days after a day's
 * last write. Field names are the cost module's (cost-ledger.format.ts); replicas add to the same
 * fields, so sums are exact.
 */
export interface CostLedgerStore {
  /** Adds every increment to the day's counters in one atomic step. */
  add(day: string, increments: Readonly<Record<string, number>>): Promise<void>;
  /** The day's counters; empty when it has none. */
  read(day: string): Promise<Record<string, number>>;
  /** Days that have counters, at most `max`, in no particular order. */
  days(max: number): Promise<string[]>;
}
