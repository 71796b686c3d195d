import { FakeAnthropic } from '../fakes/fake-anthropic';
import { FakeOpenAI } from '../fakes/fake-openai';
import { waitFor } from '../helpers/ports';
import { TestRedis } from '../helpers/redis-server';
import { RunningApp, startApp } from '../helpers/test-app';
import type { Exchange } from './odoo-http';
import { OdooEnv, odooFor } from './odoo-env';

/** `fakes`: Anthropic and OpenAI keys pointing at the fake servers. `offline`: no LLM key at all. */
export type Variant = 'fakes' | 'offline';
export const VARIANTS: Variant[] = ['fakes', 'offline'];

export interface OdooHarness {
  variant: Variant;
  svc: RunningApp;
  redis: TestRedis;
  anthropic?: FakeAnthropic;
  openai?: FakeOpenAI;
  /** Every HTTP exchange the client models made, in order. */
  exchanges: Exchange[];
  /** An Odoo configured with this service's URL and key (as docs/odoo-integration.md says). */
  odoo(opts?: { key?: string; extra?: Record<string, string> }): OdooEnv;
  close(): Promise<void>;
}

/** The running service with a real Redis (and the fake LLM servers in the `fakes` variant). */
export async function startOdooHarness(variant: Variant, env: Record<string, string> = {}): Promise<OdooHarness> {
  const redis = await TestRedis.start();
  const [anthropic, openai] =
    variant === 'fakes' ? await Promise.all([FakeAnthropic.start(), FakeOpenAI.start()]) : [undefined, undefined];
  const llmEnv =
    variant === 'fakes'
      ? {
          ANTHROPIC_API_KEY: 'sk-ant-test',
          ANTHROPIC_BASE_URL: anthropic!.url,
          OPENAI_API_KEY: 'sk-test',
          OPENAI_BASE_URL: openai!.url,
        }
      : {};
  const svc = await startApp({
    REDIS_URL: redis.url(),
    RATE_LIMIT_PER_MINUTE: '100000',
    LLM_MAX_RETRIES: '0',
    LLM_BREAKER_THRESHOLD: '100',
    ...llmEnv,
    ...env,
  });
  await waitFor(async () => (await svc.call('GET', '/health/ready')).status === 200);
  const exchanges: Exchange[] = [];
  return {
    variant,
    svc,
    redis,
    anthropic,
    openai,
    exchanges,
    odoo: (opts = {}) => odooFor(svc.url, opts.key ?? svc.key, { record: (e) => exchanges.push(e), extra: opts.extra }),
    async close() {
      // Close with Redis up, as in production shutdowns; a test may have left it stopped.
      if (!(await redis.isUp())) await redis.restart();
      await svc.close();
      await Promise.all([anthropic?.close(), openai?.close(), redis.stop()]);
    },
  };
}

/** Text of everything the service put in front of the model: system blocks and messages. */
export function promptText(body: any): string {
  const text = (c: unknown): string =>
    typeof c === 'string' ? c : Array.isArray(c) ? c.map((b: any) => b.text ?? b.content ?? '').join('\n') : '';
  const system = text(body?.system);
  const messages = (body?.messages ?? []).map((m: any) => text(m.content)).join('\n');
  return `${system}\n${messages}`;
}

/** Redis keys of one chat session (as operators list them with redis-cli). */
export const sessionKeys = (redis: TestRedis, id: string) =>
  redis.cli('-n', '1', '--scan', '--pattern', `chat:session:${id}:*`).split('\n').filter(Boolean);
