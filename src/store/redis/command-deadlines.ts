/**
 * Time limits for Redis commands that all share one duration, with a single timer. Commands are
 * watched in the order they were sent, so the oldest always expires first: one timer armed for
 * the oldest pending command is enough. This costs a push and a flag per command, where a
 * setTimeout + clearTimeout + Promise.race per command showed up in the chat turn's profile.
 */
interface Watch {
  deadline: number;
  done: boolean;
  expire: () => void;
}

export class CommandDeadlines {
  private readonly queue: Watch[] = [];
  private head = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly limitMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Settles like `work`, or rejects with `onTimeout()` once the limit has passed. */
  watch<T>(work: Promise<T>, onTimeout: () => Error): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const w: Watch = { deadline: this.now() + this.limitMs, done: false, expire: () => reject(onTimeout()) };
      this.queue.push(w);
      if (!this.timer) this.arm();
      work.then(
        (v) => {
          w.done = true;
          resolve(v);
        },
        (e: Error) => {
          w.done = true;
          reject(e);
        },
      );
    });
  }

  private arm() {
    while (this.head < this.queue.length && this.queue[this.head].done) this.head++;
    this.compact();
    if (this.head >= this.queue.length) {
      this.timer = undefined;
      return;
    }
    this.timer = setTimeout(() => this.fire(), Math.max(0, this.queue[this.head].deadline - this.now()) + 1);
    this.timer.unref();
  }

  private fire() {
    const now = this.now();
    while (this.head < this.queue.length) {
      const w = this.queue[this.head];
      if (!w.done && w.deadline > now) break;
      this.head++;
      if (!w.done) {
        w.done = true;
        w.expire();
      }
    }
    this.arm();
  }

  /** Drops finished entries from the front once they are the bulk of the array. */
  private compact() {
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Commands still watched (for tests). */
  pending(): number {
    let n = 0;
    for (let i = this.head; i < this.queue.length; i++) if (!this.queue[i].done) n++;
    return n;
  }
}
