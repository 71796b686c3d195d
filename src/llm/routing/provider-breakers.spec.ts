import { Gauge } from 'prom-client';
import { buildAppConfig } from '../../config/app-config';
import { MemoryStore } from '../../store/memory.store';
import type { KeyValueStore } from '../../store/store.port';
import { LlmMetrics } from '../llm.metrics';
import { CLOSED_VIEW_MS, ProviderBreakers } from './provider-breakers';

/** Half-open waits and view ages run on Jest's fake clock: the spec never depends on machine speed. */
const elapse = (ms: number) => jest.advanceTimersByTimeAsync(ms);

function setup(store: KeyValueStore = new MemoryStore(), halfOpenMs = 100) {
  const config = buildAppConfig({
    ANTHROPIC_API_KEY: 'k',
    LLM_BREAKER_THRESHOLD: '3',
    LLM_BREAKER_HALF_OPEN_MS: String(halfOpenMs),
    LOG_LEVEL: 'silent',
  });
  const breakerGauge = new Gauge({ name: 'llm_breaker_state', help: '-', labelNames: ['provider'], registers: [] });
  const gauge = { set: jest.spyOn(breakerGauge, 'set') };
  const breakers = new ProviderBreakers(store, config, LlmMetrics.detached({ breaker: breakerGauge }));
  return { breakers, gauge, store };
}

describe('ProviderBreakers (store-backed, on the memory store)', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('closed → open at the threshold → half-open after the wait → closed by a successful probe', async () => {
    const { breakers, gauge } = setup();
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
    const { breakers } = setup();
    await breakers.failure('anthropic', 'pass');
    await breakers.failure('anthropic', 'pass');
    await breakers.success('anthropic', 'pass');
    await breakers.failure('anthropic', 'pass');
    await breakers.failure('anthropic', 'pass');
    expect(breakers.state('anthropic')).toBe('closed');
  });

  it('a failed probe reopens; a released probe lets the next caller probe', async () => {
    const { breakers } = setup();
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
    const shared = new MemoryStore();
    const a = setup(shared, 5000).breakers;
    const b = setup(shared, 5000).breakers;
    const reads = jest.spyOn(shared, 'get');
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
    const broken = new Proxy(new MemoryStore(), {
      get: (target, prop) =>
        typeof (target as never)[prop] === 'function'
          ? () => Promise.reject(new Error('down'))
          : (target as never)[prop],
    });
    const { breakers } = setup(broken);
    expect(await breakers.acquire('anthropic')).toBe('pass');
    await expect(breakers.failure('anthropic', 'pass')).resolves.toBeUndefined();
  });
});
