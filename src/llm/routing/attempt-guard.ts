/** Why the router cut an attempt short. */
export type CutReason = 'client' | 'first_token' | 'idle' | 'total' | 'shutdown';

export class AttemptCut extends Error {
  constructor(readonly reason: CutReason) {
    super(`attempt cut: ${reason}`);
    this.name = 'AttemptCut';
  }
}

/**
 * The limits of one provider attempt: the caller's AbortSignal (client gone), the service's stop
 * signal (shutdown), a whole-attempt deadline, and per-wait limits (first token, gap between
 * chunks). Whichever fires first aborts the HTTP call through `signal` and rejects the current wait
 * with AttemptCut, so a provider that has gone silent can never hold the request.
 */
export class AttemptGuard {
  readonly startedAt = Date.now();
  reason?: CutReason;
  private readonly controller = new AbortController();
  private rejectCut!: (e: AttemptCut) => void;
  private readonly cut = new Promise<never>((_, reject) => (this.rejectCut = reject));
  private readonly totalTimer: NodeJS.Timeout;
  private readonly onClientAbort = () => this.abort('client');
  private readonly onStop = () => this.abort('shutdown');

  constructor(
    private readonly clientSignal: AbortSignal | undefined,
    private readonly deadline: number,
    private readonly stopSignal?: AbortSignal,
  ) {
    this.cut.catch(() => undefined);
    this.totalTimer = setTimeout(() => this.abort('total'), Math.max(0, deadline - Date.now()));
    this.totalTimer.unref();
    if (stopSignal?.aborted) this.abort('shutdown');
    else stopSignal?.addEventListener('abort', this.onStop, { once: true });
    if (clientSignal?.aborted) this.abort('client');
    else clientSignal?.addEventListener('abort', this.onClientAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  remainingMs() {
    return Math.max(1, this.deadline - Date.now());
  }

  elapsedMs() {
    return Date.now() - this.startedAt;
  }

  abort(reason: CutReason) {
    if (this.reason) return;
    this.reason = reason;
    // Reject the wait first so the cut reason wins over the SDK's own abort error.
    this.rejectCut(new AttemptCut(reason));
    this.controller.abort();
  }

  /** Waits for `work`, at most `limitMs` (then cut with `reason`) and never past the deadline. */
  async wait<T>(work: Promise<T>, limitMs?: number, reason: CutReason = 'total'): Promise<T> {
    work.catch(() => undefined); // if we stop waiting, its late rejection is expected
    if (this.reason) throw new AttemptCut(this.reason);
    let timer: NodeJS.Timeout | undefined;
    if (limitMs !== undefined && limitMs < this.remainingMs()) {
      timer = setTimeout(() => this.abort(reason), limitMs);
      timer.unref();
    }
    try {
      return await Promise.race([work, this.cut]);
    } finally {
      clearTimeout(timer);
    }
  }

  dispose() {
    clearTimeout(this.totalTimer);
    this.clientSignal?.removeEventListener('abort', this.onClientAbort);
    this.stopSignal?.removeEventListener('abort', this.onStop);
  }
}
