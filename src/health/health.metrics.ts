import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectMetric, makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { collectOnScrape, sharedRead } from '../common/collect-on-scrape';
import { HealthService } from './health.service';

const READY = 'service_ready';
const STORE_UP = 'store_up';
const STORE_PING = 'store_ping_seconds';
const KB_DOCUMENTS = 'knowledge_base_documents';
const PROVIDER_CONFIGURED = 'llm_provider_configured';

export const healthMetricProviders = [
  makeGaugeProvider({
    name: READY,
    help: '1 while /health/ready answers 200 (Redis reachable or memory mode, knowledge base loaded)',
  }),
  makeGaugeProvider({
    name: STORE_UP,
    help: 'Where sessions, costs and caches live: store="redis" is 1 while Redis answers PING within 500 ms, store="memory" is 1 in memory mode',
    labelNames: ['store'],
  }),
  makeGaugeProvider({
    name: STORE_PING,
    help: 'Round trip of the last PING to Redis, seconds (absent while it does not answer)',
    labelNames: ['store'],
  }),
  makeGaugeProvider({ name: KB_DOCUMENTS, help: 'Documents in the loaded knowledge base (0: not loaded)' }),
  makeGaugeProvider({
    name: PROVIDER_CONFIGURED,
    help: '1 when the provider has an API key (its breaker may still be open: see llm_breaker_state)',
    labelNames: ['provider'],
  }),
];

/** The /health report as gauges, read at scrape time (one PING per scrape, shared by the gauges). */
@Injectable()
export class HealthMetrics implements OnModuleInit, OnModuleDestroy {
  private readonly releases: Array<() => void> = [];

  constructor(
    private readonly health: HealthService,
    @InjectMetric(READY) private readonly ready: Gauge<string>,
    @InjectMetric(STORE_UP) private readonly storeUp: Gauge<string>,
    @InjectMetric(STORE_PING) private readonly storePing: Gauge<string>,
    @InjectMetric(KB_DOCUMENTS) private readonly documents: Gauge<string>,
    @InjectMetric(PROVIDER_CONFIGURED) private readonly configured: Gauge<string>,
  ) {}

  onModuleInit() {
    const report = sharedRead(() => this.health.report());
    const gauges = [this.ready, this.storeUp, this.storePing, this.documents, this.configured];
    for (const gauge of gauges) this.releases.push(collectOnScrape(gauge, async () => this.fill(await report())));
  }

  onModuleDestroy() {
    for (const release of this.releases) release();
  }

  private fill(r: Awaited<ReturnType<HealthService['report']>>) {
    this.ready.set(r.status === 'unhealthy' ? 0 : 1);
    const redis = r.dependencies.redis;
    this.storeUp.reset();
    this.storePing.reset();
    if (redis.status === 'memory') this.storeUp.set({ store: 'memory' }, 1);
    else this.storeUp.set({ store: 'redis' }, redis.status === 'up' ? 1 : 0);
    if (redis.latency_ms !== null) this.storePing.set({ store: 'redis' }, redis.latency_ms / 1000);
    this.documents.set(r.checks.knowledge_base_loaded ? r.stats.documents_count : 0);
    this.configured.set({ provider: 'anthropic' }, r.checks.anthropic_configured ? 1 : 0);
    this.configured.set({ provider: 'openai' }, r.checks.openai_configured ? 1 : 0);
  }
}
