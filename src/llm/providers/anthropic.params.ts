import type Anthropic from '@anthropic-ai/sdk';
import type { LlmRequest } from '../llm.types';

export interface AnthropicParamsConfig {
  model: string;
  maxTokens: number;
  promptCaching: boolean;
}

/**
 * Messages API parameters. The system prompt goes as blocks: the stable prefix (`system`, then the
 * knowledge `context`) with `cache_control` on its last block, then the per-request `volatile`
 * text after the breakpoint, so the cached prefix is identical across users and turns.
 */
export function buildAnthropicParams(
  req: LlmRequest,
  cfg: AnthropicParamsConfig,
): Anthropic.MessageCreateParamsNonStreaming {
  const stable: Anthropic.TextBlockParam[] = [req.system, req.context ?? '']
    .filter((t) => t.trim().length > 0)
    .map((text) => ({ type: 'text', text }));
  if (cfg.promptCaching && stable.length) stable[stable.length - 1].cache_control = { type: 'ephemeral' };
  const system = req.volatile?.trim() ? [...stable, { type: 'text' as const, text: req.volatile }] : stable;

  // The API wants the conversation to open with the user (a stored welcome message may come first).
  const firstUser = req.messages.findIndex((m) => m.role === 'user');
  const messages = (firstUser < 0 ? req.messages : req.messages.slice(firstUser)).map((m) => ({
    role: m.role,
    content: m.content,
  }));

  const params: Anthropic.MessageCreateParamsNonStreaming = {
    model: cfg.model,
    max_tokens: Math.min(req.maxTokens ?? cfg.maxTokens, cfg.maxTokens),
    system,
    messages,
  };
  // No temperature: API version 2026-10-21 (what SDK 1.x sends) answers 400 to temperature,
  // top_p and top_k, even at their defaults. `req.temperature` only reaches OpenAI.
  return params;
}
