import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory';
import { STORE_HEALTH, StoreHealth } from '../../src/store/store-health.port';
import { waitFor } from './ports';

export const TEST_KEY = 'test-key-0123456789abcdef0123456789abcdef';

export interface RunningApp {
  app: NestFastifyApplication;
  url: string;
  key: string;
  close(): Promise<void>;
  /** fetch with the Bearer key and JSON body; returns status, headers and parsed JSON. */
  call(
    method: string,
    path: string,
    body?: unknown,
    opts?: { auth?: string | false; headers?: Record<string, string>; raw?: string },
  ): Promise<ApiResponse>;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  json: any;
  text: string;
}

/**
 * Starts the real application on a free loopback port with exactly `env` (plus a test API key
 * and quiet logs). No process.env leaks in, so tests are hermetic.
 */
export async function startApp(env: Record<string, string | undefined> = {}): Promise<RunningApp> {
  const fullEnv = { AI_SERVICE_API_KEY: TEST_KEY, LOG_LEVEL: 'silent', NODE_ENV: 'test', ...env };
  const app = await createApp(fullEnv);
  await app.listen({ port: 0, host: '127.0.0.1' });
  await storeSettled(app.get<StoreHealth>(STORE_HEALTH));
  const address = app.getHttpServer().address() as import('node:net').AddressInfo;
  const url = `http://127.0.0.1:${address.port}`;
  const key = fullEnv.AI_SERVICE_API_KEY.split(',')[0];
  return {
    app,
    url,
    key,
    close: () => app.close(),
    call: (method, path, body, opts = {}) => call(url, key, method, path, body, opts),
  };
}

export async function call(
  base: string,
  key: string,
  method: string,
  path: string,
  body?: unknown,
  opts: { auth?: string | false; headers?: Record<string, string>; raw?: string } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (body !== undefined || opts.raw !== undefined) headers['content-type'] ??= 'application/json';
  const auth = opts.auth === undefined ? key : opts.auth;
  if (auth) headers.authorization = `Bearer ${auth}`;
  const res = await fetch(base + path, {
    method,
    headers,
    body: opts.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, json, text };
}

/**
 * The Redis client connects in the background (a service must start while Redis is down). A test
 * that means to talk to a live Redis waits for the connection, so a loaded machine's slow connect
 * does not read as an outage; one pointed at a dead Redis gives up waiting after `ms` and goes on.
 */
export async function storeSettled(store: StoreHealth, ms = 5000): Promise<void> {
  await waitFor(() => store.ready(), ms, 20).catch(() => undefined);
}
