import type { FastifyReply } from 'fastify';
import type { ChatStreamEvent } from '../chat.types';
import { SseWriter } from './sse-writer';
import { streamErrorPayload } from './stream-error';

/**
 * Sends a chat stream as SSE. The first event is awaited before the reply is hijacked: until the
 * model commits (first delta), a failure is still an ordinary JSON error with its own status.
 * After that, failures become `event: error`. A client that left gets nothing more.
 */
export async function pipeChatStream(
  reply: FastifyReply,
  events: AsyncGenerator<ChatStreamEvent>,
  signal: AbortSignal,
): Promise<void> {
  let next: IteratorResult<ChatStreamEvent>;
  try {
    next = await events.next();
  } catch (error) {
    if (!signal.aborted) throw error;
    next = { done: true, value: undefined };
  }
  reply.hijack();
  const sse = new SseWriter(reply.raw);
  if (signal.aborted) return sse.end();
  sse.open(reply.getHeaders() as Record<string, string>);
  try {
    while (!next.done) {
      const event = next.value;
      if (event.type === 'delta') sse.event('delta', { text: event.text });
      else sse.event('done', event.answer);
      next = await events.next();
    }
  } catch (error) {
    if (!signal.aborted) sse.event('error', streamErrorPayload(error));
  } finally {
    sse.end();
    await events.return(undefined).catch(() => undefined);
  }
}
