import { randomBytes } from 'node:crypto';
import type { CostLedgerStore } from '../store/cost-ledger-store.port';
import { addInto, WRITER_FIELD_PREFIX } from './cost-ledger.format';

interface Batch {
  day: string;
  increments: Record<string, number>;
  calls: number;
}

interface InFlight extends Batch {
  /** Our writer counter in this key, read just before the last attempt. */
  base: number;
  /** A write was sent and may or may not have landed (reply lost, timeout). */
  attempted: boolean;
}

export interface LedgerEvents {
  deferred(pendingCalls: number, error: unknown): void;
  recovered(flushedCalls: number): void;
}

/**
 * Writes cost increments to the store one batch at a time, never losing or double counting one.
 *
 * Calls are merged per day while they wait (so what is pending while Redis is down stays
 * bounded by the number of days, not calls) and written with one HINCRBY transaction per key.
 * Each process is a writer with a random id; every transaction also adds the number of calls it
 * carries to the field `w:{writer}` of the same hash, and the writer reads that field just before
 * each attempt. One writer sends its batches strictly one after another, so after a failed write
 * (the reply may be lost when Redis dies mid-command) the field tells whether the transaction
 * landed: if it already counts the batch, the batch is dropped, otherwise it is sent again.
 * Replicas add to the same fields with HINCRBY, so their sums are exact.
 */
export class CostLedger {
  /** Open ledgers of this process (one per application), for the pending-calls gauge. */
  private static readonly open = new Set<CostLedger>();
  static totalPendingCalls() {
    let n = 0;
    for (const l of CostLedger.open) n += l.pendingCalls();
    return n;
  }

  readonly writer = randomBytes(6).toString('hex');
  private readonly queued = new Map<string, Batch>();
  private inflight: InFlight | null = null;
  private waiters: (() => void)[] = [];
  private running = false;
  private retryTimer?: NodeJS.Timeout;
  private retryMs = 0;
  private failing = false;
  private flushedSinceFailure = 0;
  private closed = false;

  constructor(
    private readonly store: CostLedgerStore,
    private readonly events: LedgerEvents,
    private readonly opts = { retryMinMs: 250, retryMaxMs: 2000 },
  ) {
    CostLedger.open.add(this);
  }

  private get writerField() {
    return `${WRITER_FIELD_PREFIX}${this.writer}`;
  }

  /** Queues one call's increments; resolves once a write of it has been attempted. */
  add(day: string, increments: Record<string, number>): Promise<void> {
    const batch = this.queued.get(day) ?? { day, increments: {}, calls: 0 };
    addInto(batch.increments, increments);
    batch.calls += 1;
    this.queued.set(day, batch);
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.kick();
    });
  }

  /** Calls not yet confirmed in the store. */
  pendingCalls(): number {
    let n = this.inflight?.calls ?? 0;
    for (const b of this.queued.values()) n += b.calls;
    return n;
  }

  /** Tries to write everything now; true when nothing is left pending. */
  async flush(): Promise<boolean> {
    if (!this.pendingCalls()) return true;
    await new Promise<void>((resolve) => {
      this.waiters.push(resolve);
      this.kick();
    });
    return this.pendingCalls() === 0;
  }

  /** Stops background retries (shutdown). */
  close() {
    this.closed = true;
    CostLedger.open.delete(this);
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private kick() {
    if (this.running) return;
    this.running = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    void this.loop();
  }

  private async loop() {
    try {
      for (;;) {
        const waiters = this.waiters.splice(0);
        const error = await this.drain();
        if (error !== undefined) {
          for (const w of [...waiters, ...this.waiters.splice(0)]) w();
          this.onFailure(error);
          return;
        }
        for (const w of waiters) w();
        if (!this.waiters.length) return;
      }
    } finally {
      this.running = false;
    }
  }

  /** Writes batches until none is left; returns the error that stopped it, if any. */
  private async drain(): Promise<unknown> {
    for (;;) {
      if (!this.inflight) {
        const next = this.queued.values().next();
        if (next.done) return undefined;
        this.queued.delete(next.value.day);
        this.inflight = { ...next.value, base: 0, attempted: false };
      }
      const f = this.inflight;
      try {
        // Read our counter right before writing, so the reference is exact even if Redis lost
        // its data (restart without persistence) since our previous batch.
        const seen = (await this.store.read(f.day))[this.writerField] ?? 0;
        if (f.attempted && seen >= f.base + f.calls) {
          this.done(f); // the earlier attempt landed; only its reply was lost
          continue;
        }
        f.base = seen;
        f.attempted = true;
        await this.store.add(f.day, { ...f.increments, [this.writerField]: f.calls });
        this.done(f);
      } catch (e) {
        return e ?? new Error('store write failed');
      }
    }
  }

  private done(f: InFlight) {
    this.inflight = null;
    if (this.failing) this.flushedSinceFailure += f.calls;
    if (this.failing && !this.pendingCalls()) {
      this.failing = false;
      this.retryMs = 0;
      this.events.recovered(this.flushedSinceFailure);
      this.flushedSinceFailure = 0;
    }
  }

  private onFailure(error: unknown) {
    if (!this.failing) {
      this.failing = true;
      this.events.deferred(this.pendingCalls(), error);
    }
    if (this.closed) return;
    this.retryMs = Math.min(this.retryMs ? this.retryMs * 2 : this.opts.retryMinMs, this.opts.retryMaxMs);
    this.retryTimer = setTimeout(() => this.kick(), this.retryMs);
    this.retryTimer.unref();
  }
}
