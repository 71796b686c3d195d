import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** Server-Sent Events over the raw Node response (Fastify has handed it over with hijack()). */
export class SseWriter {
  constructor(private readonly raw: ServerResponse) {}

  /**
   * 200 + text/event-stream, with whatever headers the reply already had (security headers…).
   * `Connection` is left to Node (keep-alive, or close while the service is draining).
   */
  open(headers: OutgoingHttpHeaders = {}) {
    this.raw.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      // nginx and similar proxies would otherwise hold the deltas back.
      'x-accel-buffering': 'no',
    });
    this.raw.flushHeaders();
  }

  get closed(): boolean {
    return this.raw.destroyed || this.raw.writableEnded;
  }

  event(name: string, data: unknown) {
    if (this.closed) return;
    this.raw.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  end() {
    if (!this.closed) this.raw.end();
  }
}
