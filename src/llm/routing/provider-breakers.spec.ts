import { Test } from '@nestjs/testing';
import { getToken } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { CLOCK, systemClock } from '../../common/clock';
import { AppConfig, buildAppConfig } from '../../config/app-config';
import { BREAKER_STORE, BreakerStore } from '../../store/breaker-store.port';
import { ExpiringMaps } from '../../store/memory/expiring-map';
import { MemoryBreakerStore } from '../../store/memory/memory-breaker-store';
import { LLM_METRIC_PROVIDERS, LlmMetrics } from '../llm.metrics';
import { CLOSED_VIEW_MS, ProviderBreakers } from './provider-breakers';

/** Half-open waits and view ages run on Jest's fake clock: the spec never depends on machine speed. */
const elapse = (ms: number) => jest.advanceTimersByTimeAsync(ms);

const memoryStore = () => new MemoryBreakerStore(new ExpiringMaps(systemClock));

/** The real ProviderBreakers and LlmMetrics, wired by Nest as LlmModule wires them, over `store`. */
async function setup(store: BreakerStore = memoryStore(), halfOpenMs = 100) {
  const config = buildAppConfig({
    ANTHROPIC_API_KEY: 'k',
    LLM_BREAKER_THRESHOLD: '3',
    LLM_BREAKER_HALF_OPEN_MS: String(halfOpenMs),
    LOG_LEVEL: 'silent',
  });
  const module = await Test.createTestingModule({
    providers: [
      ...LLM_METRIC_PROVIDERS,
      LlmMetrics,
      ProviderBreakers,
      { provide: BREAKER_STORE, useValue: store },
      { provide: CLOCK, useValue: systemClock },
      { provide: AppConfig, useValue: config },
    ],
  }).compile();
  const gauge = { set: jest.spyOn(module.get<Gauge>(getToken('llm_breaker_state')), 'set') };
  return { breakers: module.get(ProviderBreakers), gauge, store };
}

describe('ProviderBreakers (store-backed, on the memory store)', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('closed → open at the threshold → half-open after the wait → closed by a successful probe', async () => {
    const { breakers, gauge } = await setup();
    for (let i = 0; i < 2; i++) {
      expect(await breakers.acquire('anthropic')).toBe('pass');
      await breakers.failure('anthropic', 'pass');
    }
    expect(breakers.state('anthropic')).toBe('closed');
    await breakers.failure('anthropic', 'pass');
    expect(breakers.state('anthropic')).toBe('open');
    expect(gauge.set).toHaveBeenLastCalledWith({ provider: 'anthropic' }, 2);
    expect(await breakers.acquire('anthropic')).toBe('skip');

    await elapse(120);
    expect(await breakers.acquire('anthropic')).toBe('probe');
    expect(gauge.set).toHaveBeenLastCalledWith({ provider: 'anthropic' }, 1);
    expect(await breakers.acquire('anthropic')).toBe('skip'); // only one probe
    await breakers.success('anthropic', 'probe');
    expect(breakers.state('anthropic')).toBe('closed');
    expect(gauge.set).toHaveBeenLastCalledWith({ provider: 'anthropic' }, 0);
    expect(await breakers.acquire('anthropic')).toBe('pass');
  });

  it('a success resets the consecutive-failure count', async () => {
    const { breakers } = await setup();
    await breakers.failure('anthropic', 'pass');
    await breakers.failure('anthropic', 'pass');
    await breakers.success('anthropic', 'pass');
    await breakers.failure('anthropic', 'pass');
    await breakers.failure('anthropic', 'pass');
    expect(breakers.state('anthropic')).toBe('closed');
  });

  it('a failed probe reopens; a released probe lets the next caller probe', async () => {
    const { breakers } = await setup();
    for (let i = 0; i < 3; i++) await breakers.failure('anthropic', 'pass');
    await elapse(120);
    expect(await breakers.acquire('anthropic')).toBe('probe');
    await breakers.failure('anthropic', 'probe');
    expect(await breakers.acquire('anthropic')).toBe('skip');
    await elapse(120);
    expect(await breakers.acquire('anthropic')).toBe('probe');
    await breakers.release('anthropic', 'probe');
    expect(await breakers.acquire('anthropic')).toBe('probe');
  });

  it('trusts a closed view for CLOSED_VIEW_MS only: a circuit another replica opened is seen right after', async () => {
    const shared = memoryStore();
    const a = (await setup(shared, 5000)).breakers;
    const b = (await setup(shared, 5000)).breakers;
    const reads = jest.spyOn(shared, 'circuit');
    expect(await b.acquire('anthropic')).toBe('pass'); // first call reads the store
    expect(await b.acquire('anthropic')).toBe('pass'); // then trusts what it read
    expect(reads).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 3; i++) await a.failure('anthropic', 'pass');
    expect(a.state('anthropic')).toBe('open');
    await elapse(CLOSED_VIEW_MS + 5);
    expect(await b.acquire('anthropic')).toBe('skip');
    expect(b.state('anthropic')).toBe('open');
    expect(await b.acquire('anthropic')).toBe('skip'); // an open view is always re-read
    expect(reads).toHaveBeenCalledTimes(3);
  });

  it('lets calls through when the store itself is down (the breaker must not become the outage)', async () => {
    const broken = new Proxy(memoryStore(), {
      get: (target, prop) =>
        typeof (target as never)[prop] === 'function'
          ? () => Promise.reject(new Error('down'))
          : (target as never)[prop],
    });
    const { breakers } = await setup(broken);
    expect(await breakers.acquire('anthropic')).toBe('pass');
    await expect(breakers.failure('anthropic', 'pass')).resolves.toBeUndefined();
  });
});
