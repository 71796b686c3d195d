import { FakeAnthropic } from '../fakes/fake-anthropic';
import type { Fault, FakeLlmServer } from '../fakes/fake-server';
import { FakeOpenAI } from '../fakes/fake-openai';
import { waitFor } from './ports';
import { TestRedis } from './redis-server';
import { RunningApp, startApp } from './test-app';

/** JSON the validation review parses, so dte_validation calls are real reviews, not invalid answers. */
const REVIEW_JSON = '{"warnings":[],"confidence":92,"notes":"Sin observaciones."}';

/** Replies like each provider would: a JSON verdict to the DTE review, prose to a chat turn. */
export function realisticReply(fake: FakeLlmServer, name: string) {
  const isReview = (body: any) => JSON.stringify(body ?? '').includes('Responde únicamente con un objeto JSON');
  fake.reply((req) =>
    isReview(req.body)
      ? REVIEW_JSON
      : `Respuesta de ${name}: emita la nota de crédito tipo 61 referenciando la factura.`,
  );
}

export interface FaultStack {
  redis: TestRedis;
  anthropic: FakeAnthropic;
  openai: FakeOpenAI;
  svc: RunningApp;
  close(): Promise<void>;
}

/** Real Redis + both fake providers + the real app in this process, with a high rate limit. */
export async function startFaultStack(env: Record<string, string> = {}): Promise<FaultStack> {
  const [redis, anthropic, openai] = await Promise.all([TestRedis.start(), FakeAnthropic.start(), FakeOpenAI.start()]);
  realisticReply(anthropic, 'Anthropic');
  realisticReply(openai, 'OpenAI');
  const svc = await startApp({
    REDIS_URL: redis.url(),
    ANTHROPIC_API_KEY: 'sk-ant-fault-test',
    ANTHROPIC_BASE_URL: anthropic.url,
    OPENAI_API_KEY: 'sk-fault-test',
    OPENAI_BASE_URL: openai.url,
    RATE_LIMIT_PER_MINUTE: '100000',
    ...env,
  });
  await waitFor(async () => (await svc.call('GET', '/health/ready')).status === 200, 15_000);
  return {
    redis,
    anthropic,
    openai,
    svc,
    close: async () => {
      await svc.close().catch(() => undefined);
      await Promise.all([anthropic.close(), openai.close(), redis.stop()]);
    },
  };
}

/**
 * Applies `fault` to a share of the fake's requests (deterministically: `hits` out of every
 * `period`, interleaved), leaving the rest healthy. Overrides the fake's fault picker on this
 * instance only; `fake.fault(null)` does not undo it, `clearShare` does.
 */
export function faultShare(fake: FakeLlmServer, fault: Fault, hits: number, period: number) {
  let n = 0;
  (fake as unknown as { takeFault: (applies: (f: Fault) => boolean) => Fault | null }).takeFault = (applies) => {
    const mine = n++ % period < hits;
    return mine && applies(fault) ? { ...fault } : null;
  };
}

export function clearShare(fake: FakeLlmServer) {
  delete (fake as unknown as { takeFault?: unknown }).takeFault; // back to the prototype's picker
}

/** Sum of every sample of `name` in Prometheus text whose labels contain all of `labels`. */
export function metricSum(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const labelText = m[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`))) sum += Number(m[3]);
  }
  return sum;
}

export async function metricsText(svc: RunningApp): Promise<string> {
  return (await svc.call('GET', '/metrics', undefined, { auth: false })).text;
}
