import type OpenAI from 'openai';
import type { LlmRequest } from '../llm.types';

/** o1/o3/o4-mini…, gpt-5*: reasoning models that refuse `max_tokens` and a non-default temperature. */
export const isReasoningModel = (model: string) => /^(o\d+(-|$)|gpt-5)/.test(model.replace(/^.*\//, ''));

/**
 * Chat Completions parameters. One system message with the stable parts first (OpenAI caches
 * prompt prefixes on its own), `max_completion_tokens` (GPT-5/o-series reject `max_tokens`), and no
 * temperature for reasoning models, which answer 400 to anything but the default.
 */
export function buildOpenAiParams(
  req: LlmRequest,
  cfg: { model: string; maxTokens: number },
): OpenAI.ChatCompletionCreateParamsNonStreaming {
  const system = [req.system, req.context ?? '', req.volatile ?? ''].filter((t) => t.trim().length > 0).join('\n\n');
  const messages: OpenAI.ChatCompletionMessageParam[] = [
    ...(system ? [{ role: 'system' as const, content: system }] : []),
    ...req.messages.map((m) => ({ role: m.role, content: m.content })),
  ];
  const params: OpenAI.ChatCompletionCreateParamsNonStreaming = {
    model: cfg.model,
    messages,
    max_completion_tokens: Math.min(req.maxTokens ?? cfg.maxTokens, cfg.maxTokens),
  };
  if (req.temperature !== undefined && !isReasoningModel(cfg.model)) params.temperature = req.temperature;
  // json_object is refused unless the prompt itself mentions JSON.
  if (req.json && /json/i.test(system + req.messages.map((m) => m.content).join(' ')))
    params.response_format = { type: 'json_object' };
  return params;
}
