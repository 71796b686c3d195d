import Anthropic from '@anthropic-ai/sdk';
import type { AppConfig } from '../../config/app-config';
import { ProviderError } from '../llm-errors';
import type { LlmProvider, ProviderCallOptions, ProviderReply, ProviderStreamEvent } from '../llm-provider.interface';
import type { LlmRequest } from '../llm.types';
import { AnthropicWireUsage, fromAnthropicUsage, mergeAnthropicUsage } from '../usage';
import { buildAnthropicParams } from './anthropic.params';
import { bufferedFetch } from './buffered-fetch';
import { translateSdkError } from './sdk-errors';
import { sdkLogger } from './sdk-logger';

const DEFAULT_BASE_URL = 'https://api.anthropic.com';

/** Claude through the official SDK's Messages API (`messages.create`, with `stream: true` for streams). */
export class AnthropicProvider implements LlmProvider {
  readonly name = 'anthropic' as const;
  readonly paid = true;
  readonly model: string;
  readonly maxTokens: number;
  /** Streams: the SDK over the global fetch. */
  private readonly client: Anthropic;
  /** Complete answers: the same SDK over a keep-alive undici pool that reads the body at once (see buffered-fetch.ts). */
  private readonly completeClient: Anthropic;

  constructor(private readonly config: AppConfig) {
    this.model = config.anthropic.model;
    this.maxTokens = config.anthropic.maxTokens;
    // Retries are the router's (bounded, honouring retry-after); the SDK must not add its own.
    const options = {
      apiKey: config.anthropic.apiKey,
      baseURL: config.anthropic.baseUrl ?? DEFAULT_BASE_URL,
      maxRetries: 0,
      timeout: config.llm.timeoutMs,
      logger: sdkLogger('anthropic'),
      logLevel: 'warn' as const,
    };
    this.client = new Anthropic(options);
    this.completeClient = new Anthropic({ ...options, fetch: bufferedFetch() });
  }

  private params(request: LlmRequest) {
    return buildAnthropicParams(request, {
      model: this.model,
      maxTokens: this.maxTokens,
      promptCaching: this.config.llm.enablePromptCaching,
    });
  }

  async complete(request: LlmRequest, options: ProviderCallOptions): Promise<ProviderReply> {
    try {
      const msg = await this.completeClient.messages.create(this.params(request), {
        signal: options.signal,
        timeout: options.timeoutMs,
        maxRetries: 0,
      });
      const text = msg.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
      return { text, model: msg.model, usage: fromAnthropicUsage(msg.usage) };
    } catch (e) {
      throw this.translate(e);
    }
  }

  async *stream(request: LlmRequest, options: ProviderCallOptions): AsyncGenerator<ProviderStreamEvent> {
    let startUsage: AnthropicWireUsage | undefined;
    let stopped = false;
    try {
      const events = await this.client.messages.create(
        { ...this.params(request), stream: true },
        { signal: options.signal, timeout: options.timeoutMs, maxRetries: 0 },
      );
      for await (const ev of events) {
        if (ev.type === 'message_start') {
          startUsage = ev.message.usage;
          yield { type: 'usage', usage: fromAnthropicUsage(startUsage), model: ev.message.model };
        } else if (ev.type === 'content_block_delta' && ev.delta.type === 'text_delta' && ev.delta.text) {
          yield { type: 'delta', text: ev.delta.text };
        } else if (ev.type === 'message_delta') {
          yield { type: 'usage', usage: fromAnthropicUsage(mergeAnthropicUsage(startUsage, ev.usage)) };
        } else if (ev.type === 'message_stop') {
          stopped = true;
        }
      }
    } catch (e) {
      throw this.translate(e);
    }
    // The SDK ends quietly when aborted; the router knows why it aborted.
    if (!stopped && !options.signal.aborted)
      throw new ProviderError(this.name, 'connection', 'stream ended before message_stop');
  }

  private translate(e: unknown): ProviderError {
    return translateSdkError(this.name, e, Anthropic, (e) => (e as { type?: string | null }).type ?? undefined);
  }
}
