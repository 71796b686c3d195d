import { Injectable } from '@nestjs/common';
import { setMaxListeners } from 'node:events';

/**
 * The process's shutdown phase, shared by whoever must act on it: readiness answers 503 while
 * draining, the LLM router aborts in-flight provider calls when `stopSignal` fires, background
 * jobs register their work with `track` so the drain waits for it, and the cost ledger's last
 * flush retries until `finalWritesBy`. shutdown.ts drives it (see docs/operations.md, "Shutdown").
 */
@Injectable()
export class Lifecycle {
  private readonly stop = new AbortController();
  private readonly work = new Set<Promise<unknown>>();
  private drainStarted = false;
  private writesBy = Number.POSITIVE_INFINITY;

  constructor() {
    // Every provider attempt in flight listens to the stop signal: no fixed limit applies.
    setMaxListeners(0, this.stop.signal);
  }

  get draining(): boolean {
    return this.drainStarted;
  }

  /** Aborted shortly before the grace period ends: provider calls still running must stop now. */
  get stopSignal(): AbortSignal {
    return this.stop.signal;
  }

  /** performance.now() until which final writes may keep retrying (Infinity while serving). */
  get finalWritesBy(): number {
    return this.writesBy;
  }

  beginDrain(finalWritesBy: number) {
    this.drainStarted = true;
    this.writesBy = finalWritesBy;
  }

  stopInFlightWork() {
    this.stop.abort();
  }

  /** Work outside an HTTP request (a scheduled SII run) that the drain must wait for. */
  track<T>(work: Promise<T>): Promise<T> {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.work.add(settled);
    void settled.then(() => this.work.delete(settled));
    return work;
  }

  /** Background jobs still running. */
  trackedWork(): number {
    return this.work.size;
  }

  /** Resolves once every tracked job has finished (also those started meanwhile). */
  async idle(): Promise<void> {
    while (this.work.size) await Promise.all([...this.work]);
  }
}
