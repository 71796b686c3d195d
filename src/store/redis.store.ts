import { Logger } from '@nestjs/common';
import type { RedisClientType } from 'redis';
import { DomainError, StoreUnavailableError } from '../common/domain-error';
import { logEvent } from '../common/log-event';
import { CommandDeadlines } from './command-deadlines';
import { BATCH, batchArguments, batchResults } from './redis-batch';
import { meansUnavailable, replyCode } from './redis-replies';
import { INCR_WITH_TTL } from './redis-script';
import { KeyValueStore, StoreOp } from './store.port';

/** A refusal of the same kind is logged again only after this long (one line per episode, not per command). */
const REFUSAL_LOG_EVERY_MS = 30_000;

/**
 * KeyValueStore over node-redis. The client runs with the offline queue disabled, so while Redis
 * is down every call fails at once with StoreUnavailableError; a command that hangs (Redis frozen)
 * fails after `commandTimeoutMs`; a reply by which a live Redis refuses to serve now (OOM,
 * READONLY, BUSY… see redis-replies.ts) is the same StoreUnavailableError. The client reconnects
 * by itself, and nothing is cached about a refusal, so the next command after it ends succeeds.
 */
export class RedisStore implements KeyValueStore {
  readonly kind = 'redis' as const;
  private readonly deadlines: CommandDeadlines;
  private readonly logger = new Logger('Redis');
  private readonly refusalsLogged = new Map<string, number>();

  constructor(
    readonly client: RedisClientType,
    private readonly commandTimeoutMs = 1500,
  ) {
    this.deadlines = new CommandDeadlines(commandTimeoutMs);
  }

  isReady() {
    return this.client.isReady;
  }

  async ping() {
    const started = performance.now();
    await this.run(() => this.client.ping());
    return Math.round((performance.now() - started) * 100) / 100;
  }

  get(key: string) {
    return this.run(() => this.client.get(key));
  }

  async set(key: string, value: string, ttlSeconds?: number) {
    await this.run(() => (ttlSeconds ? this.client.set(key, value, { EX: ttlSeconds }) : this.client.set(key, value)));
  }

  async setIfAbsent(key: string, value: string, ttlSeconds: number) {
    return (await this.run(() => this.client.set(key, value, { NX: true, EX: ttlSeconds }))) === 'OK';
  }

  del(...keys: string[]) {
    return keys.length ? this.run(() => this.client.del(keys)) : Promise.resolve(0);
  }

  async exists(key: string) {
    return (await this.run(() => this.client.exists(key))) === 1;
  }

  async expire(keys: string[], ttlSeconds: number) {
    if (!keys.length) return;
    await this.run(() => {
      const m = this.client.multi();
      for (const k of keys) m.expire(k, ttlSeconds);
      return m.exec();
    });
  }

  ttl(key: string) {
    return this.run(() => this.client.ttl(key));
  }

  async listAppend(key: string, values: string[], opts: { maxLength?: number; ttlSeconds?: number } = {}) {
    const replies = await this.run(() => {
      const m = this.client.multi().rPush(key, values);
      if (opts.maxLength) m.lTrim(key, -opts.maxLength, -1);
      if (opts.ttlSeconds) m.expire(key, opts.ttlSeconds);
      return m.exec();
    });
    return Math.min(Number(replies[0]), opts.maxLength ?? Infinity);
  }

  listRange(key: string, start: number, stop: number) {
    return this.run(() => this.client.lRange(key, start, stop));
  }

  listLength(key: string) {
    return this.run(() => this.client.lLen(key));
  }

  async hashSet(key: string, fields: Record<string, string>, ttlSeconds?: number) {
    await this.run(() => {
      const m = this.client.multi().hSet(key, fields);
      if (ttlSeconds) m.expire(key, ttlSeconds);
      return m.exec();
    });
  }

  hashGetAll(key: string) {
    return this.run(() => this.client.hGetAll(key)) as Promise<Record<string, string>>;
  }

  async hashIncrBy(key: string, increments: Record<string, number>, ttlSeconds?: number) {
    await this.run(() => {
      const m = this.client.multi();
      for (const [field, n] of Object.entries(increments)) m.hIncrBy(key, field, Math.trunc(n));
      if (ttlSeconds) m.expire(key, ttlSeconds);
      return m.exec();
    });
  }

  async batch(ops: readonly StoreOp[]) {
    if (!ops.length) return [];
    const { keys, args } = batchArguments(ops);
    return batchResults(ops, (await this.run(() => BATCH.run(this.client, keys, args))) as unknown[]);
  }

  async incrBy(key: string, amount: number, ttlMs = 0) {
    const [value, ttl] = (await this.run(() =>
      INCR_WITH_TTL.run(this.client, [key], [Math.trunc(amount), ttlMs]),
    )) as number[];
    return { value: Number(value), ttlMs: Number(ttl) };
  }

  async scanKeys(pattern: string, max = 10_000) {
    return this.run(async () => {
      const out: string[] = [];
      for await (const key of this.client.scanIterator({ MATCH: pattern, COUNT: 500 })) {
        out.push(key);
        if (out.length >= max) break;
      }
      return out;
    });
  }

  /** Wraps a command: fail fast while disconnected, time out if Redis hangs. */
  private async run<T>(op: () => Promise<T>): Promise<T> {
    if (!this.client.isReady) throw new StoreUnavailableError();
    try {
      return await this.deadlines.watch(
        op(),
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

  private logRefusal(code: string, e: Error) {
    const now = performance.now();
    if (now - (this.refusalsLogged.get(code) ?? -Infinity) < REFUSAL_LOG_EVERY_MS) return;
    this.refusalsLogged.set(code, now);
    logEvent(this.logger, 'redis_command_refused', { code, reply: e.message.slice(0, 160) }, 'error');
  }
}
