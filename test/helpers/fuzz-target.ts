import { FakeAnthropic } from '../fakes/fake-anthropic';
import { FACTURA_33_EXAMPLE } from '../../src/validation/dto/validation.examples';
import { WIZARD_EXAMPLE } from '../../src/chat/dto/examples';
import { realisticReply } from './fault-stack';
import { freePort, waitFor } from './ports';
import { TestRedis } from './redis-server';
import { RunningApp, startApp } from './test-app';

export interface FuzzTarget {
  redis: TestRedis;
  anthropic: FakeAnthropic;
  svc: RunningApp;
  /** The app's port, for raw socket requests. */
  port: number;
  /** A loopback URL nobody listens on (SII pages are "fetched" there, failing fast, never the internet). */
  deadUrl: string;
  /** Session ids the service answered 200 with: the only ones allowed to have Redis keys. */
  acceptedSessionIds: Set<string>;
  /** Records session ids found in a 200 answer (JSON or the SSE `done` event). */
  noteAnswer(status: number, body: string): void;
  close(): Promise<void>;
}

/** The real app (in this process, so prototype pollution would be visible here) on real Redis and a fake Anthropic. */
export async function startFuzzTarget(): Promise<FuzzTarget> {
  const [redis, anthropic, deadPort] = await Promise.all([TestRedis.start(), FakeAnthropic.start(), freePort()]);
  realisticReply(anthropic, 'Anthropic');
  const deadUrl = `http://127.0.0.1:${deadPort}/noticias/index.htm`;
  const svc = await startApp({
    REDIS_URL: redis.url(),
    ANTHROPIC_API_KEY: 'sk-ant-fuzz',
    ANTHROPIC_BASE_URL: anthropic.url,
    RATE_LIMIT_PER_MINUTE: '100000',
    SII_NEWS_URLS: deadUrl,
    LLM_TIMEOUT_MS: '3000',
  });
  await waitFor(async () => (await svc.call('GET', '/health/ready')).status === 200, 15_000);
  const acceptedSessionIds = new Set<string>();
  return {
    redis,
    anthropic,
    svc,
    port: Number(new URL(svc.url).port),
    deadUrl,
    acceptedSessionIds,
    noteAnswer(status, body) {
      if (status !== 200) return;
      for (const m of body.matchAll(/"session_id":"([^"\\]{1,200})"/g)) acceptedSessionIds.add(m[1]);
    },
    close: async () => {
      await svc.close().catch(() => undefined);
      await Promise.all([anthropic.close(), redis.stop()]);
    },
  };
}

export interface Endpoint {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  /** A body the endpoint accepts (POST only). */
  valid?: Record<string, unknown>;
}

/** Every POST endpoint of the contract with a body it accepts. */
export const postEndpoints = (deadUrl: string): Endpoint[] => [
  {
    method: 'POST',
    path: '/api/chat/session/new',
    valid: { user_context: { company_name: 'Fuzz SpA', company_rut: '76086428-5', user_role: 'Contador' } },
  },
  {
    method: 'POST',
    path: '/api/chat/message',
    valid: { message: '¿Cómo emito un DTE 33?', user_context: { company_name: 'Fuzz SpA', module: 'l10n_cl_dte' } },
  },
  { method: 'POST', path: '/api/chat/message/stream', valid: { message: '¿Qué es una nota de crédito?' } },
  { method: 'POST', path: '/api/chat', valid: structuredClone(WIZARD_EXAMPLE) },
  { method: 'POST', path: '/api/ai/validate', valid: structuredClone(FACTURA_33_EXAMPLE) },
  { method: 'POST', path: '/api/ai/sii/monitor', valid: { urls: [deadUrl] } },
];

/** Every GET endpoint of the contract (paths with no parameters in them). */
export const GET_PATHS = [
  '/health',
  '/health/live',
  '/health/ready',
  '/live',
  '/ready',
  '/metrics',
  '/metrics/costs',
  '/api/chat/knowledge/search',
  '/api/ai/sii/status',
  '/docs',
  '/docs-json',
];

/** Keys the service may create (contract + its own breaker/rate-limit/lock keys). */
export const ALLOWED_KEY_SHAPES = [
  /^chat:session:[A-Za-z0-9_-]{1,128}:(history|context)$/,
  /^cost_tracker:[\w:.-]+$/,
  /^cache:[\w:.-]+$/,
  /^sii:[\w:.-]+$/,
  /^llm:breaker:(anthropic|openai)(:failures|:probe)?$/,
  /^(rate|throttle|ratelimit)[\w:.-]*$/i,
];
