import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import { BufferedResponse, bufferedFetch } from './buffered-fetch';

/** A tiny HTTP server whose behaviour each test sets. */
let server: Server;
let url: string;
let handle: (req: import('node:http').IncomingMessage, body: string, res: import('node:http').ServerResponse) => void;
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => handle(req, body, res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

describe('bufferedFetch', () => {
  const f = bufferedFetch();
  afterAll(() => f.close());

  it('sends method, headers and body; answers a Response with status, headers, text and json', async () => {
    let seen: { method?: string; auth?: string; body?: string } = {};
    handle = (req, body, res) => {
      seen = { method: req.method, auth: req.headers['x-api-key'] as string, body };
      res.writeHead(201, { 'content-type': 'application/json', 'request-id': 'req_1', 'set-cookie': ['a=1', 'b=2'] });
      res.end(JSON.stringify({ ok: 'sí' }));
    };
    const res = await f(`${url}/v1/x`, { method: 'POST', headers: new Headers({ 'X-Api-Key': 'k' }), body: '{"q":1}' });
    expect(seen).toEqual({ method: 'POST', auth: 'k', body: '{"q":1}' });
    expect(res).toBeInstanceOf(Response);
    expect(res).toBeInstanceOf(BufferedResponse);
    expect([res.status, res.ok, res.headers.get('request-id'), res.headers.get('content-type')]).toEqual([
      201,
      true,
      'req_1',
      'application/json',
    ]);
    expect(await res.json()).toEqual({ ok: 'sí' });
    expect(await res.text()).toBe('{"ok":"sí"}');
    expect(Buffer.from(await res.arrayBuffer()).toString()).toBe('{"ok":"sí"}');
  });

  it('rejects with an AbortError when the signal fires, also while waiting for the answer', async () => {
    handle = () => undefined; // never answers
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    await expect(f(`${url}/hang`, { method: 'GET', signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('rejects on a connection failure', async () => {
    await expect(f('http://127.0.0.1:1/', { method: 'GET' })).rejects.toBeDefined();
  });

  it('serves the official SDK: answers, API errors with status and retry-after, timeouts', async () => {
    const client = new Anthropic({ apiKey: 'k', baseURL: url, maxRetries: 0, fetch: f });
    handle = (_req, body, res) => {
      const model = JSON.parse(body).model;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'm',
          type: 'message',
          role: 'assistant',
          model,
          content: [{ type: 'text', text: 'hola' }],
          stop_reason: 'end_turn',
          usage: { input_tokens: 3, output_tokens: 1 },
        }),
      );
    };
    const msg = await client.messages.create({
      model: 'claude-x',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(msg.content[0]).toMatchObject({ type: 'text', text: 'hola' });
    expect(msg.model).toBe('claude-x');

    handle = (_req, _body, res) => {
      res.writeHead(529, { 'content-type': 'application/json', 'retry-after': '3' });
      res.end(JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }));
    };
    const err = await client.messages
      .create({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect([err.status, err.headers.get('retry-after'), (err as { type?: string }).type]).toEqual([
      529,
      '3',
      'overloaded_error',
    ]);

    handle = () => undefined;
    const slow = await client.messages
      .create({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }, { timeout: 50 })
      .catch((e) => e);
    expect(slow).toBeInstanceOf(Anthropic.APIConnectionTimeoutError);
  });
});
