import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { Fault, FakeLlmServer, fakeTokens, fingerprint, RecordedRequest, toDeltas } from './fake-server';

export type { Fault, RecordedRequest } from './fake-server';

const ERROR_TYPES: Record<number, [string, string]> = {
  400: ['invalid_request_error', 'messages: field required'],
  401: ['authentication_error', 'invalid x-api-key'],
  403: ['permission_error', 'Your API key does not have permission to use the specified resource.'],
  404: ['not_found_error', 'The requested resource could not be found.'],
  413: ['request_too_large', 'Request exceeds the maximum allowed number of bytes.'],
  429: ['rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit'],
  500: ['api_error', 'Internal server error'],
  503: ['api_error', 'Service unavailable'],
  529: ['overloaded_error', 'Overloaded'],
};

type Block = { type?: string; text?: string; cache_control?: { type: string; ttl?: '5m' | '1h' } };

/**
 * Fake Anthropic Messages API (`POST /v1/messages`), JSON and SSE, speaking the real wire format:
 * usage with cache_creation/cache_read and the 5m/1h split, `{type:"error", error:{type,message}}`
 * bodies, 529 overloaded_error, `retry-after`, and `event: error` inside a 200 stream.
 *
 * Prompt caching is simulated: the prompt up to the last `cache_control` block is a cache write the
 * first time this server sees it and a cache read afterwards.
 */
export class FakeAnthropic extends FakeLlmServer {
  private cachedPrefixes = new Set<string>();

  private constructor() {
    super('Respuesta de prueba desde Anthropic falso.');
  }

  static async start(): Promise<FakeAnthropic> {
    const f = new FakeAnthropic();
    await f.listen();
    return f;
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Forgets the simulated prompt cache too. */
  override reset() {
    super.reset();
    this.cachedPrefixes.clear();
  }

  protected async handle(req: RecordedRequest, res: ServerResponse, fault: Fault | null) {
    await this.firstByteDelay(fault);
    if (fault?.status) return this.error(res, fault.status, fault.message, fault.retryAfter);
    if (req.method !== 'POST' || req.path !== '/v1/messages') return this.error(res, 404, `Not found: ${req.path}`);
    if (!req.headers['x-api-key'] && !req.headers['authorization'])
      return this.error(res, 401, 'x-api-key header is required');
    const invalid = this.validate(req.body, String(req.headers['anthropic-version'] ?? ''));
    if (invalid) return this.error(res, 400, invalid);

    const reply = this.resolveReply(req);
    const usage = { ...this.computeUsage(req.body), output_tokens: fakeTokens(reply.text), ...(reply.usage ?? {}) };
    const id = `msg_${randomBytes(12).toString('hex')}`;
    const model = req.body.model;
    const headers = { 'request-id': `req_${randomBytes(12).toString('hex')}`, 'anthropic-organization-id': 'fake-org' };

    if (!req.body.stream) {
      if (fault?.malformed) {
        res.writeHead(200, { ...headers, 'content-type': 'application/json' });
        return void res.end('{"id":"' + id + '","type":"message","content":[{"type":"text","text":"trunc');
      }
      res.writeHead(200, { ...headers, 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id,
          type: 'message',
          role: 'assistant',
          model,
          content: [{ type: 'text', text: reply.text }],
          stop_reason: 'end_turn',
          stop_sequence: null,
          usage,
        }),
      );
      return;
    }

    res.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    const send = (event: string, data: unknown) =>
      this.write(res, `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    if (fault?.overloadedEvent) {
      await send('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
      return void res.end();
    }
    const { output_tokens: _ignored, ...inputUsage } = usage as Record<string, unknown>;
    await send('message_start', {
      type: 'message_start',
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...inputUsage, output_tokens: 1 },
      },
    });
    await send('content_block_start', {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'text', text: '' },
    });
    await send('ping', { type: 'ping' });
    if (fault?.malformed) {
      await this.write(
        res,
        'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_de\n\n',
      );
      return void res.end();
    }
    let sent = 0;
    for (const text of toDeltas(reply.text)) {
      if (fault?.streamCutAfter !== undefined && sent >= fault.streamCutAfter) return this.cut(res);
      if (fault?.stallAfter !== undefined && sent >= fault.stallAfter) return; // silent, socket open
      await this.chunkDelay();
      if (
        !(await send('content_block_delta', {
          type: 'content_block_delta',
          index: 0,
          delta: { type: 'text_delta', text },
        }))
      )
        return;
      sent += 1;
    }
    if (fault?.streamCutAfter !== undefined) return this.cut(res);
    if (fault?.stallAfter !== undefined) return;
    await send('content_block_stop', { type: 'content_block_stop', index: 0 });
    // message_delta usage is cumulative (the API repeats the input counts there).
    await send('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage,
    });
    await send('message_stop', { type: 'message_stop' });
    res.end();
  }

  private validate(body: any, version: string): string | null {
    if (!body || typeof body !== 'object') return 'Request body must be JSON';
    if (typeof body.model !== 'string') return 'model: Field required';
    if (typeof body.max_tokens !== 'number') return 'max_tokens: Field required';
    if (!Array.isArray(body.messages) || !body.messages.length) return 'messages: Field required';
    if (body.messages[0].role !== 'user') return 'messages: first message must use the "user" role';
    const breakpoints = this.blocks(body).filter((b) => b.cache_control).length;
    if (breakpoints > 4) return 'A maximum of 4 blocks with cache_control may be provided. Found ' + breakpoints + '.';
    // API version 2026-10-21 removed the sampling parameters: even a default value is a 400.
    if (version >= '2026-10-21') {
      for (const p of ['temperature', 'top_p', 'top_k'])
        if (body[p] !== undefined) return `${p}: Extra inputs are not permitted`;
    } else if (body.temperature !== undefined && (body.temperature < 0 || body.temperature > 1))
      return 'temperature: Input should be less than or equal to 1';
    return null;
  }

  /** System blocks then message blocks, in prompt order (the order the cache prefix follows). */
  private blocks(body: any): Block[] {
    const asBlocks = (c: unknown): Block[] =>
      typeof c === 'string' ? [{ type: 'text', text: c }] : Array.isArray(c) ? (c as Block[]) : [];
    return [
      ...asBlocks(body.system),
      ...(body.messages ?? []).flatMap((m: { content: unknown }) => asBlocks(m.content)),
    ];
  }

  private computeUsage(body: any) {
    const blocks = this.blocks(body);
    const total = blocks.reduce((n, b) => n + fakeTokens(b.text ?? ''), 0);
    const last = blocks.map((b) => !!b.cache_control).lastIndexOf(true);
    let write5m = 0;
    let write1h = 0;
    let read = 0;
    let prefix = 0;
    if (last >= 0) {
      const prefixBlocks = blocks.slice(0, last + 1);
      prefix = prefixBlocks.reduce((n, b) => n + fakeTokens(b.text ?? ''), 0);
      const key = fingerprint(body.model + '\u0000' + prefixBlocks.map((b) => b.text).join('\u0000'));
      if (this.cachedPrefixes.has(key)) read = prefix;
      else {
        this.cachedPrefixes.add(key);
        if (blocks[last].cache_control?.ttl === '1h') write1h = prefix;
        else write5m = prefix;
      }
    }
    return {
      input_tokens: total - prefix,
      cache_creation_input_tokens: write5m + write1h,
      cache_read_input_tokens: read,
      cache_creation: { ephemeral_5m_input_tokens: write5m, ephemeral_1h_input_tokens: write1h },
      service_tier: 'standard',
    };
  }

  private error(res: ServerResponse, status: number, message?: string, retryAfter?: number) {
    const [type, defaultMessage] =
      ERROR_TYPES[status] ??
      (status >= 500 ? ['api_error', 'Internal server error'] : ['invalid_request_error', 'Bad request']);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'request-id': `req_${randomBytes(12).toString('hex')}`,
    };
    if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
    if (status === 529 || status === 429 || status >= 500) headers['x-should-retry'] = 'true';
    res.writeHead(status, headers);
    res.end(
      JSON.stringify({
        type: 'error',
        error: { type, message: message ?? defaultMessage },
        request_id: headers['request-id'],
      }),
    );
  }
}
