import type { FastifyReply } from 'fastify';

/**
 * Aborted when the HTTP client goes away before the answer is complete, so the provider call is
 * cancelled (and billed only for what was produced) and nothing partial is saved.
 */
export function clientAbortSignal(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  const raw = reply.raw;
  raw.once('close', () => {
    if (!raw.writableFinished) controller.abort();
  });
  return controller.signal;
}
