import { Logger } from '@nestjs/common';
import { DomainError, StoreUnavailableError } from '../../common/domain-error';
import { logEvent } from '../../common/log-event';
import { withTimeout } from '../../common/with-timeout';
import { CommandDeadlines } from './command-deadlines';
import { StoreClient } from './redis-client.factory';
import { meansUnavailable, replyCode } from './redis-replies';

/** A refusal of the same kind is logged again only after this long (one line per episode, not per command). */
const REFUSAL_LOG_EVERY_MS = 30_000;

/**
 * The one node-redis client every Redis adapter shares. The client runs with the offline queue
 * disabled, so while Redis is down every command fails at once with StoreUnavailableError; a
 * command that hangs (Redis frozen) fails after `commandTimeoutMs`; a reply by which a live Redis
 * refuses to serve now (OOM, READONLY, BUSY… see redis-replies.ts) is the same
 * StoreUnavailableError. The client reconnects by itself, and nothing is cached about a refusal,
 * so the next command after it ends succeeds.
 */
export class RedisConnection {
  private readonly deadlines: CommandDeadlines;
  private readonly logger = new Logger('Redis');
  private readonly refusalsLogged = new Map<string, number>();

  constructor(
    readonly client: StoreClient,
    private readonly commandTimeoutMs = 1500,
  ) {
    this.deadlines = new CommandDeadlines(commandTimeoutMs);
  }

  get ready(): boolean {
    return this.client.isReady;
  }

  /** Round-trip latency of a PING in ms. */
  async ping(): Promise<number> {
    const started = performance.now();
    await this.run((c) => c.ping());
    return Math.round((performance.now() - started) * 100) / 100;
  }

  /** Runs a command: fails fast while disconnected, times out if Redis hangs. */
  async run<T>(command: (client: StoreClient) => Promise<T>): Promise<T> {
    if (!this.client.isReady) throw new StoreUnavailableError();
    try {
      return await this.deadlines.watch(
        command(this.client),
        () => new Error(`redis command timed out after ${this.commandTimeoutMs} ms`),
      );
    } catch (e) {
      if (e instanceof DomainError) throw e;
      const code = replyCode(e);
      // Any other error reply is a bug in the command we sent: it stays an error, not an outage.
      if (code !== null && !meansUnavailable(code)) throw e;
      if (code !== null) this.logRefusal(code, e as Error);
      throw new StoreUnavailableError(e);
    }
  }

  /**
   * quit() flushes pending replies but waits for a connection: while Redis is down or the client
   * is between reconnects it would never return, so only a ready client is asked to quit.
   */
  async close(): Promise<void> {
    const drop = () => this.client.disconnect().catch(() => undefined);
    const ready = this.client.isReady;
    if (ready) await withTimeout(this.client.quit(), 1000, 'redis quit').catch(drop);
    else await drop();
    logEvent(this.logger, 'redis_client_closed', { quit: ready });
  }

  private logRefusal(code: string, e: Error) {
    const now = performance.now();
    if (now - (this.refusalsLogged.get(code) ?? -Infinity) < REFUSAL_LOG_EVERY_MS) return;
    this.refusalsLogged.set(code, now);
    logEvent(this.logger, 'redis_command_refused', { code, reply: e.message.slice(0, 160) }, 'error');
  }
}
