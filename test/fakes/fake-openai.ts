import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { Fault, FakeLlmServer, fakeTokens, fingerprint, RecordedRequest, toDeltas } from './fake-server';

export type { Fault, RecordedRequest } from './fake-server';

const ERRORS: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: 'invalid_request_error', code: null, message: 'Invalid request.' },
  401: {
    type: 'invalid_request_error',
    code: 'invalid_api_key',
    message:
      'Incorrect API key provided: sk-***. You can find your API key at https://platform.openai.com/account/api-keys.',
  },
  403: {
    type: 'invalid_request_error',
    code: 'unsupported_country_region_territory',
    message: 'Country, region, or territory not supported',
  },
  404: {
    type: 'invalid_request_error',
    code: 'model_not_found',
    message: 'The model does not exist or you do not have access to it.',
  },
  429: {
    type: 'requests',
    code: 'rate_limit_exceeded',
    message: 'Rate limit reached for requests. Please try again later.',
  },
  500: {
    type: 'server_error',
    code: null,
    message: 'The server had an error while processing your request. Sorry about that!',
  },
  503: { type: 'server_error', code: null, message: 'The engine is currently overloaded, please try again later.' },
};

/** gpt-5*, o1/o3/o4…: reasoning models that refuse `max_tokens` and non-default temperature. */
const isReasoningModel = (model: string) => /^(o\d|gpt-5)/.test(model);

/**
 * Fake OpenAI Chat Completions (`POST /v1/chat/completions`, or `/chat/completions` when the base
 * URL has no `/v1`), JSON and SSE: first chunk with the role and empty content, content deltas, a
 * finish chunk, the `stream_options.include_usage` usage chunk with empty choices, `data: [DONE]`.
 * Errors are `{error:{message,type,param,code}}`. Like the real API, reasoning models answer 400 to
 * `max_tokens` and to a temperature other than 1. A system prompt seen before counts as cached.
 */
export class FakeOpenAI extends FakeLlmServer {
  private seenPrefixes = new Set<string>();

  private constructor() {
    super('Respuesta de prueba desde OpenAI falso.');
  }

  static async start(): Promise<FakeOpenAI> {
    const f = new FakeOpenAI();
    await f.listen();
    return f;
  }

  get url() {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  override reset() {
    super.reset();
    this.seenPrefixes.clear();
  }

  protected async handle(req: RecordedRequest, res: ServerResponse, fault: Fault | null) {
    await this.firstByteDelay(fault);
    if (fault?.status) return this.error(res, fault.status, fault.message, fault.retryAfter);
    if (req.method !== 'POST' || !['/v1/chat/completions', '/chat/completions'].includes(req.path))
      return this.error(res, 404, `Invalid URL (${req.method} ${req.path})`, undefined, 'invalid_request_error', null);
    if (!String(req.headers.authorization ?? '').startsWith('Bearer '))
      return this.error(res, 401, "You didn't provide an API key.");
    const invalid = this.validate(req.body);
    if (invalid)
      return this.error(res, 400, invalid.message, undefined, 'invalid_request_error', invalid.code, invalid.param);

    const reply = this.resolveReply(req);
    const usage = { ...this.computeUsage(req.body, reply.text), ...(reply.usage ?? {}) };
    const id = `chatcmpl-${randomBytes(12).toString('hex')}`;
    const created = Math.floor(Date.now() / 1000);
    const model = req.body.model;
    const common = { id, created, model, system_fingerprint: 'fp_fake', service_tier: 'default' };
    const headers = { 'x-request-id': `req_${randomBytes(12).toString('hex')}`, 'openai-processing-ms': '12' };

    if (!req.body.stream) {
      res.writeHead(200, { ...headers, 'content-type': 'application/json' });
      if (fault?.malformed)
        return void res.end('{"id":"' + id + '","object":"chat.completion","choices":[{"index":0,"mess');
      res.end(
        JSON.stringify({
          ...common,
          object: 'chat.completion',
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: reply.text, refusal: null, annotations: [] },
              logprobs: null,
              finish_reason: 'stop',
            },
          ],
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
    const includeUsage = req.body.stream_options?.include_usage === true;
    const chunk = (choices: unknown[], u: unknown = null) =>
      this.write(
        res,
        `data: ${JSON.stringify({ ...common, object: 'chat.completion.chunk', choices, ...(includeUsage ? { usage: u } : {}) })}\n\n`,
      );
    const choice = (delta: unknown, finish: string | null = null) => ({
      index: 0,
      delta,
      logprobs: null,
      finish_reason: finish,
    });

    await chunk([choice({ role: 'assistant', content: '', refusal: null })]);
    if (fault?.malformed) {
      await this.write(res, 'data: {"id":"' + id + '","object":"chat.completion.chunk","choices":[{"index":0,"del\n\n');
      return void res.end();
    }
    let sent = 0;
    for (const text of toDeltas(reply.text)) {
      if (fault?.streamCutAfter !== undefined && sent >= fault.streamCutAfter) return this.cut(res);
      if (fault?.stallAfter !== undefined && sent >= fault.stallAfter) return;
      await this.chunkDelay();
      if (!(await chunk([choice({ content: text })]))) return;
      sent += 1;
    }
    if (fault?.streamCutAfter !== undefined) return this.cut(res);
    if (fault?.stallAfter !== undefined) return;
    await chunk([choice({}, 'stop')]);
    if (includeUsage) await chunk([], usage);
    await this.write(res, 'data: [DONE]\n\n');
    res.end();
  }

  private validate(body: any): { message: string; param: string | null; code: string | null } | null {
    if (!body || typeof body !== 'object')
      return { message: 'We could not parse the JSON body of your request.', param: null, code: null };
    if (typeof body.model !== 'string')
      return { message: 'you must provide a model parameter', param: null, code: null };
    if (!Array.isArray(body.messages) || !body.messages.length)
      return {
        message: "Missing required parameter: 'messages'.",
        param: 'messages',
        code: 'missing_required_parameter',
      };
    if (isReasoningModel(body.model)) {
      if (body.max_tokens !== undefined)
        return {
          message:
            "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
          param: 'max_tokens',
          code: 'unsupported_parameter',
        };
      if (body.temperature !== undefined && body.temperature !== 1)
        return {
          message: `Unsupported value: 'temperature' does not support ${body.temperature} with this model. Only the default (1) value is supported.`,
          param: 'temperature',
          code: 'unsupported_value',
        };
    }
    if (body.stream_options && !body.stream)
      return {
        message: 'The stream_options parameter is only allowed when stream is enabled.',
        param: 'stream_options',
        code: null,
      };
    return null;
  }

  private computeUsage(body: any, text: string) {
    const textOf = (c: unknown) =>
      typeof c === 'string' ? c : Array.isArray(c) ? c.map((p: { text?: string }) => p.text ?? '').join('') : '';
    const messages: { role: string; content: unknown }[] = body.messages;
    const prompt = messages.reduce((n, m) => n + fakeTokens(textOf(m.content)) + 4, 0);
    const system = messages
      .filter((m) => m.role === 'system' || m.role === 'developer')
      .map((m) => textOf(m.content))
      .join('\n');
    let cached = 0;
    if (system) {
      const key = fingerprint(body.model + '\u0000' + system);
      if (this.seenPrefixes.has(key)) cached = fakeTokens(system);
      else this.seenPrefixes.add(key);
    }
    const completion = fakeTokens(text);
    return {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
      prompt_tokens_details: { cached_tokens: cached, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    };
  }

  private error(
    res: ServerResponse,
    status: number,
    message?: string,
    retryAfter?: number,
    type?: string,
    code?: string | null,
    param: string | null = null,
  ) {
    const base = ERRORS[status] ?? (status >= 500 ? ERRORS[500] : ERRORS[400]);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-request-id': `req_${randomBytes(12).toString('hex')}`,
    };
    if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
    res.writeHead(status, headers);
    res.end(
      JSON.stringify({
        error: {
          message: message ?? base.message,
          type: type ?? base.type,
          param,
          code: code === undefined ? base.code : code,
        },
      }),
    );
  }
}
