import type { LlmProvider, ProviderReply, ProviderStreamEvent } from '../llm-provider.interface';
import { emptyUsage, LlmRequest } from '../llm.types';
import { extractiveAnswer } from './extractive-answer';

/**
 * Always last in the chain, and alone when no key is configured: answers from the knowledge
 * passages in the request, saying plainly that no AI model wrote it. Free and instant.
 */
export class OfflineProvider implements LlmProvider {
  readonly name = 'offline' as const;
  readonly model = 'offline';
  readonly maxTokens = 0;
  readonly paid = false;

  async complete(request: LlmRequest): Promise<ProviderReply> {
    return { text: this.answer(request), model: this.model, usage: emptyUsage() };
  }

  async *stream(request: LlmRequest): AsyncGenerator<ProviderStreamEvent> {
    // Paragraph by paragraph, so a streaming client renders it the same way as a model's answer.
    for (const part of this.answer(request).split(/(?<=\n\n)/)) yield { type: 'delta', text: part };
  }

  private answer(request: LlmRequest): string {
    const query = [...request.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    const text = extractiveAnswer(query, request.passages ?? [], request.record);
    // JSON callers (validation, SII) get valid JSON they can recognise instead of a parse error.
    return request.json ? JSON.stringify({ offline: true, answer: text }) : text;
  }
}
