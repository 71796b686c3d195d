import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { emptyUsage, LlmRequest, LlmResult, LlmStreamEvent, ProviderName, ProviderState } from './llm.types';

/**
 * STUB until the LLM module lands (issue 3): answers offline with the first passage.
 * The public surface (complete, stream, providerStates) is the contract other modules rely on.
 */
@Injectable()
export class LlmService {
  async complete(request: LlmRequest): Promise<LlmResult> {
    const first = request.passages?.[0];
    return {
      text: first ? `${first.title}: ${first.content.slice(0, 400)}` : 'Respuesta automática sin modelo de IA.',
      provider: 'offline',
      model: 'offline',
      usage: emptyUsage(),
      cost_usd: 0,
      latency_ms: 0,
      operation_id: request.operationId ?? randomUUID(),
      fallbacks: [],
    };
  }

  async *stream(request: LlmRequest): AsyncGenerator<LlmStreamEvent> {
    const result = await this.complete(request);
    yield { type: 'delta', text: result.text };
    yield { type: 'done', result };
  }

  providerStates(): Record<Exclude<ProviderName, 'offline'>, ProviderState> {
    return { anthropic: 'not_configured', openai: 'not_configured' };
  }
}
