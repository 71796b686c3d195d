import { Counter } from 'prom-client';
import { Clock } from '../../src/common/clock';
import { buildAppConfig } from '../../src/config/app-config';
import { CostEntry } from '../../src/cost/cost.port';
import { CostService } from '../../src/cost/cost.service';
import { Lifecycle } from '../../src/lifecycle/lifecycle.service';
import { emptyUsage, LlmUsage } from '../../src/llm/llm.types';
import { CostLedgerStore } from '../../src/store/cost-ledger-store.port';
import { createRedisAdapters } from '../../src/store/redis/redis-adapters';
import { StoreAdapters } from '../../src/store/store-adapters';
import { waitFor } from '../helpers/ports';

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(private at: Date) {}
  now() {
    return new Date(this.at);
  }
  set(iso: string) {
    this.at = new Date(iso);
  }
}

/** The store's Redis adapters on their own client, once connected. */
export async function redisStore(url: string): Promise<StoreAdapters> {
  const store = createRedisAdapters(url, { sessionTtlSeconds: 3600 });
  await waitFor(() => store.health.ready());
  return store;
}

export async function closeStore(store: StoreAdapters) {
  await store.close();
}

/** A CostService wired by hand (what CostModule does), with a private metrics counter. */
export function costService(store: CostLedgerStore, clock: Clock, env: Record<string, string> = {}) {
  const config = buildAppConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
  const counter = new Counter({
    name: 'llm_cost_usd_total',
    help: 'test',
    labelNames: ['operation', 'provider', 'model'],
    registers: [],
  });
  return { service: new CostService(store, config, clock, counter, new Lifecycle()), counter };
}

export const entry = (over: Omit<Partial<CostEntry>, 'usage'> & { usage?: Partial<LlmUsage> } = {}): CostEntry => ({
  operation: 'chat',
  operationId: 'op-1',
  provider: 'anthropic',
  model: 'claude-sonnet-4-6',
  outcome: 'success',
  ...over,
  usage: { ...emptyUsage(), ...(over.usage ?? { input_tokens: 1000, output_tokens: 200 }) },
});
