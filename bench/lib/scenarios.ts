import { randomBytes } from 'node:crypto';
import { Target } from './load';
import { portkeyBodyFrom, QUESTIONS, USER_CONTEXT, validationBody } from './payloads';
import { portkeyHeaders } from './portkey';

/** Which upstream counter of the fake a scenario should move (one call per 2xx, or none). */
type Upstream = 'chat' | 'validation' | null;

export interface Scenario {
  name: string;
  description: string;
  target: Target;
  upstream: Upstream;
  /** Checks one answer before the load, so a run can never silently measure errors. */
  check: (status: number, json: any) => string | null;
}

/** Two API keys per scenario: the per-key rate limit (max 100000/min) never throttles a run. */
export function benchKeys(names: string[]): Record<string, string[]> {
  return Object.fromEntries(names.map((n) => [n, [0, 1].map(() => `bench-${n}-${randomBytes(16).toString('hex')}`)]));
}

const json = { 'content-type': 'application/json' };

/**
 * A fixed pseudo-random index in [0, size) for request n and a stream `salt` (an integer hash,
 * so a run is reproducible). Chat turns pick their session and their question independently, so
 * the (question, previous question) pairs that form the knowledge query keep changing and no
 * cache keyed on a request could win by repetition.
 */
function pick(n: number, size: number, salt: number): number {
  let h = Math.imul(n ^ Math.imul(salt, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) % size;
}
const auth = (keys: string[], n: number) => ({ authorization: `Bearer ${keys[n % keys.length]}` });

export function serviceScenarios(keys: Record<string, string[]>, sessions: string[]): Scenario[] {
  const ok = (cond: boolean, what: string) => (cond ? null : what);
  return [
    {
      name: 'health_live',
      description: 'GET /health/live (Terminus; the framework floor: Fastify + Nest + helmet, no I/O)',
      target: { method: 'GET', path: '/health/live', headers: {} },
      upstream: null,
      check: (s) => ok(s === 200, `status ${s}`),
    },
    {
      name: 'knowledge_search',
      description: 'GET /api/chat/knowledge/search, the 81 labelled questions in turn, top_k=3',
      target: {
        method: 'GET',
        path: '/api/chat/knowledge/search?query=factura&top_k=3',
        headers: auth(keys.knowledge_search, 0),
        setup: (n) => ({
          path: `/api/chat/knowledge/search?query=${encodeURIComponent(QUESTIONS[n % QUESTIONS.length])}&top_k=3`,
          headers: auth(keys.knowledge_search, n),
        }),
      },
      upstream: null,
      check: (s, j) => ok(s === 200 && j?.results?.length > 0, `status ${s}, results ${j?.results?.length}`),
    },
    {
      name: 'validate_cached',
      description: 'POST /api/ai/validate, the same valid Factura 33 every time (response-cache hit)',
      target: {
        method: 'POST',
        path: '/api/ai/validate',
        headers: { ...json, ...auth(keys.validate_cached, 0) },
        body: validationBody(),
        setup: (n) => ({ headers: auth(keys.validate_cached, n) }),
      },
      upstream: null,
      check: (s, j) => ok(s === 200 && !!j?.recommendation, `status ${s}`),
    },
    {
      name: 'validate_uncached',
      description: 'POST /api/ai/validate, a new folio each time (cache miss: rules + LLM review + cache write)',
      target: {
        method: 'POST',
        path: '/api/ai/validate',
        headers: { ...json, ...auth(keys.validate_uncached, 0) },
        body: validationBody(1),
        setup: (n) => ({ body: validationBody(1_000_000 + n), headers: auth(keys.validate_uncached, n) }),
      },
      upstream: 'validation',
      check: (s, j) => ok(s === 200 && j?.llm_used === 'anthropic', `status ${s}, llm_used ${j?.llm_used}`),
    },
    {
      name: 'chat_turn',
      description: `POST /api/chat/message on a seeded-random one of ${sessions.length} existing sessions with a seeded-random one of the ${QUESTIONS.length} labelled questions (session + history in Redis, knowledge search, Anthropic fake, cost ledger)`,
      target: {
        method: 'POST',
        path: '/api/chat/message',
        headers: { ...json, ...auth(keys.chat_turn, 0) },
        body: { session_id: sessions[0], message: QUESTIONS[0], user_context: USER_CONTEXT },
        setup: (n) => ({
          body: {
            session_id: sessions[pick(n, sessions.length, 1)],
            message: QUESTIONS[pick(n, QUESTIONS.length, 2)],
            user_context: USER_CONTEXT,
          },
          headers: auth(keys.chat_turn, n),
        }),
      },
      upstream: 'chat',
      check: (s, j) =>
        ok(
          s === 200 && j?.llm_used === 'anthropic' && typeof j?.message === 'string',
          `status ${s}, llm_used ${j?.llm_used}`,
        ),
    },
  ];
}

/** Portkey proxying the same fake with requests equivalent to our chat turns (the last ones captured, in turn). */
export function portkeyScenario(fakeUrl: string, capturedChatBodies: unknown[]): Scenario {
  const bodies = (capturedChatBodies.length ? capturedChatBodies : [null]).map(portkeyBodyFrom);
  return {
    name: 'portkey_chat_completion',
    description: `Portkey POST /v1/chat/completions → fake Anthropic /v1/messages (same system text, knowledge context and messages as our turns; ${bodies.length} captured turns in turn)`,
    target: {
      method: 'POST',
      path: '/v1/chat/completions',
      headers: portkeyHeaders(fakeUrl),
      body: bodies[0],
      setup: (n) => ({ body: bodies[n % bodies.length] }),
    },
    upstream: 'chat',
    check: (s, j) =>
      s === 200 && typeof j?.choices?.[0]?.message?.content === 'string'
        ? null
        : `status ${s}: ${JSON.stringify(j).slice(0, 200)}`,
  };
}

/** Machine calibration: a bare Fastify JSON POST of a small body. */
export function bareScenario(): Scenario {
  return {
    name: 'bare_fastify_json_post',
    description: 'bare Fastify 5 POST /echo with a small JSON body (no Nest, no middleware): the machine calibration',
    target: { method: 'POST', path: '/echo', headers: json, body: { hello: 'world', n: 1 } },
    upstream: null,
    check: (s, j) => (s === 200 && j?.ok === true ? null : `status ${s}`),
  };
}

/** Sends a scenario's base request once (with fetch) and returns status and parsed body. */
export async function probe(baseUrl: string, t: Target): Promise<{ status: number; json: any }> {
  const res = await fetch(baseUrl + t.path, {
    method: t.method,
    headers: t.headers,
    body: t.body === undefined ? undefined : JSON.stringify(t.body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, json: parsed };
}
