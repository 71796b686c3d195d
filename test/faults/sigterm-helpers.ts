import http from 'node:http';
import net from 'node:net';
import { existsSync } from 'node:fs';
import { FakeAnthropic } from '../fakes/fake-anthropic';
import { realisticReply } from '../helpers/fault-stack';
import { waitFor } from '../helpers/ports';
import { TestRedis } from '../helpers/redis-server';
import { DIST_MAIN, ServiceProcess } from '../helpers/service-process';

export const SIGTERM_KEY = 'sigterm-test-key-0123456789abcdef0123';

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  endedAt: number;
}

/**
 * The compiled service against its own redis-server and a fake Anthropic (real processes). With
 * `durable`, Redis keeps its data across stop()/restart() (append-only file), as in production.
 */
export async function startSigtermStack(env: Record<string, string> = {}, opts: { durable?: boolean } = {}) {
  const [redis, anthropic] = await Promise.all([TestRedis.start({ durable: opts.durable }), FakeAnthropic.start()]);
  realisticReply(anthropic, 'Anthropic');
  // `nest build` empties dist/ first: tolerate a build running at the same time (npm test builds in pretest).
  await waitFor(() => existsSync(DIST_MAIN), 45_000, 500);
  const svc = await ServiceProcess.spawn({
    AI_SERVICE_API_KEY: SIGTERM_KEY,
    REDIS_URL: redis.url(),
    ANTHROPIC_API_KEY: 'sk-ant-sigterm',
    ANTHROPIC_BASE_URL: anthropic.url,
    RATE_LIMIT_PER_MINUTE: '100000',
    ...env,
  });
  await svc.ready();
  return {
    redis,
    anthropic,
    svc,
    async close() {
      await svc.stop('SIGKILL');
      await anthropic.close();
      await redis.destroy();
    },
  };
}

/** One request through `agent` (a keep-alive pool, or `false` for a connection of its own). */
export function send(
  port: number,
  method: string,
  path: string,
  body?: unknown,
  opts: { agent?: http.Agent | false; accept?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? '' : JSON.stringify(body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        agent: opts.agent ?? false,
        headers: {
          authorization: `Bearer ${SIGTERM_KEY}`,
          ...(body === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) }),
          accept: opts.accept ?? 'application/json',
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, endedAt: Date.now() }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

/** Resolves with the connect error code (e.g. ECONNREFUSED), or 'connected'. */
export function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });
}

/** Redis totals of the cost ledger (all day hashes of DB 1): calls and nano-USD. */
export function costTotals(redis: Pick<TestRedis, 'cli'>): { calls: number; costNano: number } {
  const keys = redis.cli('-n', '1', '--scan', '--pattern', 'cost_tracker:day:*').split('\n').filter(Boolean);
  let calls = 0;
  let costNano = 0;
  for (const key of keys) {
    calls += Number(redis.cli('-n', '1', 'HGET', key, 'op:chat:calls') || 0);
    calls += Number(redis.cli('-n', '1', 'HGET', key, 'op:dte_validation:calls') || 0);
    costNano += Number(redis.cli('-n', '1', 'HGET', key, 'op:chat:cost_nano') || 0);
    costNano += Number(redis.cli('-n', '1', 'HGET', key, 'op:dte_validation:cost_nano') || 0);
  }
  return { calls, costNano };
}
