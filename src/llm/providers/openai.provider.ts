import OpenAI from 'openai';
import type { AppConfig } from '../../config/app-config';
import { ProviderError } from '../llm-errors';
import type { LlmProvider, ProviderCallOptions, ProviderReply, ProviderStreamEvent } from '../llm-provider.interface';
import type { LlmRequest } from '../llm.types';
import { fromOpenAiUsage } from '../usage';
import { buildOpenAiParams } from './openai.params';
import { sdkLogger } from './sdk-logger';
import { translateSdkError } from './sdk-errors';

/** OpenAI puts the machine-readable error kind in `code` (e.g. insufficient_quota), else `type`. */
const openAiErrorType = (e: Error) => {
  const { code, type } = e as { code?: string | null; type?: string | null };
  return code ?? type ?? undefined;
};

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/** OpenAI (or any OpenAI-compatible server: Ollama, vLLM, a proxy) through Chat Completions. */
export class OpenAiProvider implements LlmProvider {
  readonly name = 'openai' as const;
  readonly paid = true;
  readonly model: string;
  readonly maxTokens: number;
  private readonly client: OpenAI;

  constructor(config: AppConfig) {
    this.model = config.openai.model;
    this.maxTokens = config.openai.maxTokens;
    this.client = new OpenAI({
      apiKey: config.openai.apiKey,
      baseURL: config.openai.baseUrl ?? DEFAULT_BASE_URL,
      organization: null,
      project: null,
      maxRetries: 0,
      timeout: config.llm.timeoutMs,
      logger: sdkLogger('openai'),
      logLevel: 'warn',
    });
  }

  private params(request: LlmRequest) {
    return buildOpenAiParams(request, { model: this.model, maxTokens: this.maxTokens });
  }

  async complete(request: LlmRequest, options: ProviderCallOptions): Promise<ProviderReply> {
    try {
      const res = await this.client.chat.completions.create(this.params(request), {
        signal: options.signal,
        timeout: options.timeoutMs,
        maxRetries: 0,
      });
      const choice = res.choices?.[0];
      if (!choice) throw new ProviderError(this.name, 'bad_response', 'completion without choices');
      return { text: choice.message?.content ?? '', model: res.model ?? this.model, usage: fromOpenAiUsage(res.usage) };
    } catch (e) {
      throw this.translate(e);
    }
  }

  async *stream(request: LlmRequest, options: ProviderCallOptions): AsyncGenerator<ProviderStreamEvent> {
    let finished = false;
    try {
      const chunks = await this.client.chat.completions.create(
        { ...this.params(request), stream: true, stream_options: { include_usage: true } },
        { signal: options.signal, timeout: options.timeoutMs, maxRetries: 0 },
      );
      for await (const chunk of chunks) {
        const choice = chunk.choices?.[0];
        // The first chunk carries only the role and an empty content: not a delta.
        if (choice?.delta?.content) yield { type: 'delta', text: choice.delta.content };
        if (choice?.finish_reason) finished = true;
        if (chunk.usage) yield { type: 'usage', usage: fromOpenAiUsage(chunk.usage), model: chunk.model };
      }
    } catch (e) {
      throw this.translate(e);
    }
    if (!finished && !options.signal.aborted)
      throw new ProviderError(this.name, 'connection', 'stream ended without finish_reason');
  }

  private translate(e: unknown): ProviderError {
    return translateSdkError(this.name, e, OpenAI, openAiErrorType);
  }
}
