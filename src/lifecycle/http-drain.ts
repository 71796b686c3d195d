import type { Server, ServerResponse } from 'node:http';

/**
 * Drains a Node HTTP server without waiting for keep-alive clients: after `drain()` no new
 * connection is accepted, every answer not yet started says `Connection: close` (Node then closes
 * its socket once it is written), and sockets whose answer had already started (SSE) are closed
 * as soon as it ends. Requests that still arrive on an open connection are served the same way.
 */
export class HttpDrain {
  private readonly open = new Set<ServerResponse>();
  private draining = false;

  constructor(private readonly server: Server) {
    server.on('request', (_req, res: ServerResponse) => {
      this.open.add(res);
      res.once('close', () => this.open.delete(res));
      if (this.draining) this.closeAfter(res);
    });
  }

  /** Requests whose answer has not been completely written yet. */
  inFlight(): number {
    return this.open.size;
  }

  /** Resolves once the server is closed: every connection ended, the last answer written. */
  drain(): Promise<void> {
    this.draining = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const res of this.open) this.closeAfter(res);
    return closed;
  }

  private closeAfter(res: ServerResponse) {
    if (!res.headersSent) res.setHeader('connection', 'close');
    // Node runs its own 'finish' handler first (it detaches the socket), so the socket is idle here.
    res.once('finish', () => setImmediate(() => this.server.closeIdleConnections()));
  }
}
