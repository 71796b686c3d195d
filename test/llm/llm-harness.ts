import { LoggerService } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { register } from 'prom-client';
import { ClockModule } from '../../src/common/clock.module';
import { CLOCK, Clock } from '../../src/common/clock';
import { AppConfigModule } from '../../src/config/config.module';
import { CostEntry, CostRecorder } from '../../src/cost/cost.port';
import { LifecycleModule } from '../../src/lifecycle/lifecycle.module';
import { LlmModule } from '../../src/llm/llm.module';
import { LlmService } from '../../src/llm/llm.service';
import type { LlmRequest, LlmStreamEvent } from '../../src/llm/llm.types';
import { StoreModule } from '../../src/store/store.module';
import { STORE_HEALTH, StoreHealth } from '../../src/store/store-health.port';
import { FakeAnthropic } from '../fakes/fake-anthropic';
import { FakeOpenAI } from '../fakes/fake-openai';
import { storeSettled } from '../helpers/test-app';

/** Every structured log line the LLM module wrote (objects passed to Logger.log/warn/error). */
class CapturingLogger implements LoggerService {
  readonly lines: Record<string, any>[] = [];
  private push(level: string, message: unknown) {
    if (message && typeof message === 'object') this.lines.push({ level, ...message });
    else this.lines.push({ level, msg: String(message) });
  }
  log(m: unknown) {
    this.push('log', m);
  }
  warn(m: unknown) {
    this.push('warn', m);
  }
  error(m: unknown) {
    this.push('error', m);
  }
  debug(m: unknown) {
    this.push('debug', m);
  }
  verbose() {}
  events(operationId?: string): string[] {
    return this.lines
      .filter((l) => !operationId || l.operation_id === operationId)
      .map((l) => l.event)
      .filter(Boolean);
  }
}

export interface LlmHarness {
  module: TestingModule;
  llm: LlmService;
  logs: CapturingLogger;
  /** Every CostRecorder.record call (the real CostService underneath keeps working). */
  costRecords: CostEntry[];
  /** Every reservation made before an attempt (from the `calling_{provider}_api` log lines). */
  reservations(): { operationId: string; provider: string; usd: number }[];
  close(): Promise<void>;
}

/** Short limits so fault tests stay fast; each test file overrides what it needs. */
const FAST_LIMITS = {
  LLM_TIMEOUT_MS: '1500',
  LLM_FIRST_TOKEN_TIMEOUT_MS: '800',
  LLM_STREAM_IDLE_TIMEOUT_MS: '400',
  LLM_MAX_RETRIES: '0',
  LLM_BREAKER_THRESHOLD: '50',
  LLM_BREAKER_HALF_OPEN_MS: '500',
};

/**
 * The real LlmModule (with the real CostModule, StoreModule, clock and config) in a Nest testing module:
 * the official SDKs talk HTTP to whatever base URLs `env` names (the fakes).
 */
type Env = Record<string, string | undefined>;

export async function startLlm(env: Env, opts: { clock?: Clock } = {}): Promise<LlmHarness> {
  const logs = new CapturingLogger();
  const builder = Test.createTestingModule({
    imports: [
      (await AppConfigModule.load({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...FAST_LIMITS, ...env })).module,
      ClockModule,
      LifecycleModule,
      StoreModule,
      LlmModule,
    ],
  }).setLogger(logs);
  if (opts.clock) builder.overrideProvider(CLOCK).useValue(opts.clock);
  const module = await builder.compile();
  await module.init();
  await storeSettled(module.get<StoreHealth>(STORE_HEALTH));
  const cost = module.get(CostRecorder);
  const costRecords: CostEntry[] = [];
  const record = cost.record.bind(cost);
  jest.spyOn(cost, 'record').mockImplementation(async (e) => {
    costRecords.push(e);
    return record(e);
  });
  const reservations = () =>
    logs.lines
      .filter((l) => /^calling_\w+_api$/.test(l.event ?? ''))
      .map((l) => ({ operationId: l.operation_id, provider: l.event.split('_')[1], usd: l.reserved_usd }));
  return { module, llm: module.get(LlmService), logs, costRecords, reservations, close: () => module.close() };
}

export const fakeEnv = (anthropicUrl?: string, openaiUrl?: string) => ({
  ANTHROPIC_API_KEY: anthropicUrl ? 'test-anthropic-key' : undefined,
  ANTHROPIC_BASE_URL: anthropicUrl,
  OPENAI_API_KEY: openaiUrl ? 'test-openai-key' : undefined,
  OPENAI_BASE_URL: openaiUrl,
});

/** The fake Anthropic and OpenAI servers of one spec file, set once its beforeAll has run. */
export class FakeProviders {
  anthropic!: FakeAnthropic;
  openai!: FakeOpenAI;
  /** The real LlmModule against the fakes, when `useFakeProviders` was given its env. */
  readonly h = {} as LlmHarness;

  /** Keys and base URLs that point both SDKs at the fakes. */
  env() {
    return fakeEnv(this.anthropic.url, this.openai.url);
  }
}

/**
 * Registers the hooks every LLM spec needs: both fakes started before the file's tests, reset
 * (requests, faults, latency) before each test, closed after the last one. With `llmEnv` the real
 * LlmModule is also started once against them (`h`) and closed before the fakes.
 */
export function useFakeProviders(llmEnv?: Env): FakeProviders {
  const fake = new FakeProviders();
  beforeAll(async () => {
    [fake.anthropic, fake.openai] = await Promise.all([FakeAnthropic.start(), FakeOpenAI.start()]);
    if (llmEnv) Object.assign(fake.h, await startLlm({ ...fake.env(), ...llmEnv }));
  });
  afterAll(async () => {
    if (llmEnv) await fake.h.close?.();
    await Promise.all([fake.anthropic?.close(), fake.openai?.close()]);
  });
  beforeEach(() => {
    fake.anthropic.reset();
    fake.openai.reset();
  });
  return fake;
}

export function chatRequest(overrides: Partial<LlmRequest> = {}): LlmRequest {
  return {
    operation: 'chat',
    system: 'Eres un asistente experto en facturación electrónica chilena (DTE) para Odoo. '.repeat(4),
    context: 'Documento: Notas de crédito. Una nota de crédito (tipo 61) anula o corrige una factura emitida.',
    volatile: 'Usuario: Ana, rol contador, empresa Ejemplo SpA.',
    messages: [{ role: 'user', content: '¿Cómo anulo una factura ya enviada al SII?' }],
    temperature: 0.7,
    passages: [
      {
        title: 'Notas de crédito',
        content: 'Para anular una factura enviada al SII se emite una nota de crédito tipo 61 que la referencia.',
        score: 1,
      },
    ],
    ...overrides,
  };
}

export async function collect(stream: AsyncIterable<LlmStreamEvent>) {
  const deltas: string[] = [];
  let done: Extract<LlmStreamEvent, { type: 'done' }>['result'] | undefined;
  let error: any;
  try {
    for await (const ev of stream) {
      if (ev.type === 'delta') deltas.push(ev.text);
      else done = ev.result;
    }
  } catch (e) {
    error = e;
  }
  return { deltas, text: deltas.join(''), done, error };
}

/**
 * Current value of a metric series in the shared registry (tests compare before/after). For a
 * histogram ask for `<name>_count` or `<name>_sum`.
 */
export async function metricValue(name: string, labels: Record<string, string>): Promise<number> {
  const suffix = /_(count|sum)$/.exec(name)?.[0];
  const metric = register.getSingleMetric(suffix ? name.slice(0, -suffix.length) : name);
  if (!metric) return 0;
  const { values } = await metric.get();
  const match = values.find(
    (v) =>
      (!suffix || (v as { metricName?: string }).metricName === name) &&
      Object.entries(labels).every(([k, val]) => String((v.labels as Record<string, unknown>)[k]) === val),
  );
  return match?.value ?? 0;
}
