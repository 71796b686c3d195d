import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Histogram } from 'prom-client';
import { randomUUID } from 'node:crypto';
import { CLOCK, Clock } from '../common/clock';
import { ClientClosedRequestError, DomainError, ErrorCode, SessionNotFoundError } from '../common/domain-error';
import { logEvent } from '../common/log-event';
import { AppConfig } from '../config/app-config';
import { KnowledgeService } from '../knowledge/knowledge.service';
import { LlmService } from '../llm/llm.service';
import type { KnowledgePassage, LlmRequest, LlmResult } from '../llm/llm.types';
import { CHAT_MESSAGES_TOTAL, CHAT_RESPONSE_DURATION } from './chat.metrics';
import { ChatAnswer, ChatStreamEvent, ChatTurnInput } from './chat.types';
import { computeConfidence } from './confidence';
import { moduleHint } from './context/universal-context';
import { buildUserContextPrompt } from './context/user-context-prompt';
import { PluginRegistry } from './plugins/plugin-registry';
import { conversationWindow } from './prompt/history-window';
import {
  knowledgeContext,
  knowledgeQuery,
  passageReferences,
  relevantHits,
  toPassages,
} from './prompt/knowledge-context';
import {
  CHAT_SESSION_STORE,
  ChatSession,
  ChatSessionStore,
  StoredChatMessage,
} from './session/chat-session.store.port';

const KNOWLEDGE_TOP_K = 3;

/** A turn ready for the model: the session exists and the prompt is built. */
export interface PreparedTurn {
  session: ChatSession;
  question: string;
  receivedAt: string;
  startedAt: number;
  plugin: string;
  /** Why that plugin: module_hint, keywords or default. */
  pluginReason: string;
  passages: KnowledgePassage[];
  hasRecord: boolean;
  request: LlmRequest;
}

/**
 * One chat turn, top-down: session → plugin → knowledge → LLM → history. Everything that can
 * fail with a client-facing status (bad/unknown session, store down) fails in prepare(), before
 * any streamed byte, so streaming endpoints can still answer with a plain JSON error.
 */
@Injectable()
export class ChatService implements OnModuleInit {
  private readonly logger = new Logger('ChatEngine');

  constructor(
    @Inject(CHAT_SESSION_STORE) private readonly sessions: ChatSessionStore,
    private readonly knowledge: KnowledgeService,
    private readonly llm: LlmService,
    private readonly plugins: PluginRegistry,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @InjectMetric(CHAT_MESSAGES_TOTAL) private readonly messagesTotal: Counter<string>,
    @InjectMetric(CHAT_RESPONSE_DURATION) private readonly duration: Histogram<string>,
  ) {}

  onModuleInit() {
    logEvent(this.logger, 'chat_engine_initialized', {
      max_context_messages: this.config.chat.maxContextMessages,
      session_ttl_seconds: this.config.chat.sessionTtlSeconds,
      default_temperature: this.config.chat.defaultTemperature,
      plugins: this.plugins.list().map((p) => p.name),
    });
  }

  async prepare(input: ChatTurnInput): Promise<PreparedTurn> {
    const startedAt = performance.now();
    const receivedAt = this.clock.now().toISOString();
    const { session, history } = await this.resolveSession(input);
    // Intermediate steps are at debug: at info a turn is one wide line, chat_message_completed.
    logEvent(
      this.logger,
      'chat_message_received',
      { session_id: session.id, message_length: input.message.length },
      'debug',
    );

    const messages = conversationWindow(history, this.config.chat.maxContextMessages, input.message);
    const { plugin, reason: pluginReason } = this.plugins.select(
      input.message,
      moduleHint(session.userContext),
      session.id,
    );

    const passages = toPassages(
      await this.searchKnowledge(knowledgeQuery(input.message, messages.slice(0, -1)), plugin.knowledgeModules),
    );
    logEvent(
      this.logger,
      'knowledge_base_searched',
      { session_id: session.id, docs_found: passages.length, plugin: plugin.name },
      'debug',
    );

    const volatile = buildUserContextPrompt(session.userContext);
    const request: LlmRequest = {
      operation: 'chat',
      system: plugin.systemPrompt,
      context: knowledgeContext(passages),
      volatile: volatile.text || undefined,
      record: volatile.record,
      messages,
      temperature: this.config.chat.defaultTemperature,
      passages,
      operationId: randomUUID(),
    };
    return {
      session,
      question: input.message,
      receivedAt,
      startedAt,
      plugin: plugin.name,
      pluginReason,
      passages,
      hasRecord: volatile.hasRecord,
      request,
    };
  }

  async complete(turn: PreparedTurn, signal?: AbortSignal): Promise<ChatAnswer> {
    let result: LlmResult;
    try {
      result = await this.llm.complete({ ...turn.request, signal });
    } catch (error) {
      if (signal?.aborted) throw this.aborted(turn);
      throw error;
    }
    return this.finish(turn, result);
  }

  /** Deltas as the model writes, then `done` once the exchange is saved; nothing is saved if aborted. */
  async *stream(turn: PreparedTurn, signal: AbortSignal): AsyncGenerator<ChatStreamEvent> {
    let result: LlmResult | undefined;
    try {
      for await (const event of this.llm.stream({ ...turn.request, signal })) {
        if (signal.aborted) break;
        if (event.type === 'delta') yield event;
        else result = event.result;
      }
    } catch (error) {
      if (signal.aborted) throw this.aborted(turn);
      throw error;
    }
    if (signal.aborted) throw this.aborted(turn);
    if (!result)
      throw new DomainError(
        ErrorCode.PROVIDER_FAILED,
        'El modelo de IA terminó la respuesta de forma inesperada; intente nuevamente.',
      );
    yield { type: 'done', answer: await this.finish(turn, result) };
  }

  private async finish(turn: PreparedTurn, result: LlmResult): Promise<ChatAnswer> {
    const saved = await this.sessions.appendMessages(turn.session.id, [
      { role: 'user', content: turn.question, timestamp: turn.receivedAt },
      { role: 'assistant', content: result.text, timestamp: this.clock.now().toISOString() },
    ]);
    // Deleted (or expired) while the model was answering: the caller still gets the answer, and
    // the session stays gone instead of coming back as a partial one.
    if (!saved) logEvent(this.logger, 'chat_session_gone_before_save', { session_id: turn.session.id }, 'warn');
    const seconds = (performance.now() - turn.startedAt) / 1000;
    this.messagesTotal.inc({ llm: result.provider });
    this.duration.observe(seconds);
    const u = result.usage;
    const input = u.input_tokens + u.cache_read_tokens + u.cache_write_tokens + u.cache_write_1h_tokens;
    const answer: ChatAnswer = {
      message: result.text,
      sources: turn.passages.map((p) => p.title),
      references: passageReferences(turn.passages),
      confidence: computeConfidence({
        provider: result.provider,
        scores: turn.passages.map((p) => p.score ?? 0),
        hasRecordContext: turn.hasRecord,
      }),
      session_id: turn.session.id,
      llm_used: result.provider,
      tokens_used: { input_tokens: input, output_tokens: u.output_tokens, total_tokens: input + u.output_tokens },
      plugin: turn.plugin,
      cost_usd: result.cost_usd,
    };
    // The turn's canonical line: what chat_message_received, knowledge_base_searched and the LLM
    // call lines (now at debug) said, in one event per turn (docs/operations.md, "Logs").
    logEvent(this.logger, 'chat_message_completed', {
      session_id: turn.session.id,
      operation_id: result.operation_id,
      message_length: turn.question.length,
      plugin: turn.plugin,
      plugin_reason: turn.pluginReason,
      docs_found: turn.passages.length,
      llm_used: result.provider,
      model: result.model,
      latency_ms: Math.round(seconds * 1000),
      llm_latency_ms: result.latency_ms,
      input_tokens: input,
      output_tokens: u.output_tokens,
      cache_read_tokens: u.cache_read_tokens,
      cost_usd: result.cost_usd,
      fallbacks: result.fallbacks,
      saved,
    });
    return answer;
  }

  /** The client left: nothing is saved; logged as what it is rather than as a server error. */
  private aborted(turn: PreparedTurn): ClientClosedRequestError {
    logEvent(this.logger, 'chat_message_aborted', {
      session_id: turn.session.id,
      after_ms: Math.round(performance.now() - turn.startedAt),
    });
    return new ClientClosedRequestError();
  }

  /** The session (created when allowed) and its recent history, read in one store round trip. */
  private async resolveSession(input: ChatTurnInput): Promise<{ session: ChatSession; history: StoredChatMessage[] }> {
    const id = input.sessionId ?? randomUUID();
    for (let tries = 0; tries < 2; tries++) {
      if (input.sessionId) {
        const opened = await this.sessions.openWithHistory(id, input.userContext, this.config.chat.maxContextMessages);
        if (opened.session) return { session: opened.session, history: opened.history };
        if (!input.allowCallerNamedSession) throw new SessionNotFoundError();
      }
      const created = await this.sessions.create(id, input.userContext);
      if (created) return { session: created, history: [] };
      // Another request started this caller-named session just now: continue it instead.
    }
    throw new SessionNotFoundError();
  }

  /** The plugin's modules first; if they hold nothing relevant, the whole knowledge base. */
  private async searchKnowledge(query: string, modules?: readonly string[]) {
    if (modules?.length) {
      const hits = relevantHits(this.knowledge.search(query, { topK: KNOWLEDGE_TOP_K, module: [...modules] }));
      if (hits.length) return hits;
    }
    return relevantHits(this.knowledge.search(query, { topK: KNOWLEDGE_TOP_K }));
  }
}
