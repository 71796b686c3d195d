import { globToRegExp } from './glob';
import { KeyValueStore, StoreOp } from './store.port';

type Value = string | string[] | Map<string, string>;
interface Entry {
  value: Value;
  expiresAt?: number;
}

/** In-process store for the embedded mode (no Redis configured). Single-threaded, so every op is atomic. */
export class MemoryStore implements KeyValueStore {
  readonly kind = 'memory' as const;
  private readonly data = new Map<string, Entry>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {
    this.sweeper = setInterval(() => this.sweep(), 30_000);
    this.sweeper.unref();
  }

  close() {
    clearInterval(this.sweeper);
  }

  isReady() {
    return true;
  }
  async ping() {
    return 0;
  }

  async get(key: string) {
    const v = this.live(key)?.value;
    return typeof v === 'string' ? v : null;
  }

  async set(key: string, value: string, ttlSeconds?: number) {
    this.data.set(key, { value, expiresAt: this.deadline(ttlSeconds) });
  }

  async setIfAbsent(key: string, value: string, ttlSeconds: number) {
    if (this.live(key)) return false;
    await this.set(key, value, ttlSeconds);
    return true;
  }

  async del(...keys: string[]) {
    let n = 0;
    for (const k of keys) if (this.live(k) && this.data.delete(k)) n++;
    return n;
  }

  async exists(key: string) {
    return !!this.live(key);
  }

  async expire(keys: string[], ttlSeconds: number) {
    for (const k of keys) {
      const e = this.live(k);
      if (e) e.expiresAt = this.deadline(ttlSeconds);
    }
  }

  async ttl(key: string) {
    const e = this.live(key);
    if (!e) return -2;
    return e.expiresAt === undefined ? -1 : Math.ceil((e.expiresAt - this.now()) / 1000);
  }

  async listAppend(key: string, values: string[], opts: { maxLength?: number; ttlSeconds?: number } = {}) {
    const list = this.ensure(key, () => [] as string[]) as string[];
    list.push(...values);
    if (opts.maxLength && list.length > opts.maxLength) list.splice(0, list.length - opts.maxLength);
    if (opts.ttlSeconds) this.data.get(key)!.expiresAt = this.deadline(opts.ttlSeconds);
    return list.length;
  }

  async listRange(key: string, start: number, stop: number) {
    const list = this.live(key)?.value;
    if (!Array.isArray(list)) return [];
    const len = list.length;
    const from = start < 0 ? Math.max(len + start, 0) : start;
    const to = stop < 0 ? len + stop : Math.min(stop, len - 1);
    return from > to ? [] : list.slice(from, to + 1);
  }

  async listLength(key: string) {
    const list = this.live(key)?.value;
    return Array.isArray(list) ? list.length : 0;
  }

  async hashSet(key: string, fields: Record<string, string>, ttlSeconds?: number) {
    const h = this.ensure(key, () => new Map()) as Map<string, string>;
    for (const [f, v] of Object.entries(fields)) h.set(f, v);
    if (ttlSeconds) this.data.get(key)!.expiresAt = this.deadline(ttlSeconds);
  }

  async hashGetAll(key: string) {
    const h = this.live(key)?.value;
    return h instanceof Map ? Object.fromEntries(h) : {};
  }

  async hashIncrBy(key: string, increments: Record<string, number>, ttlSeconds?: number) {
    const h = this.ensure(key, () => new Map()) as Map<string, string>;
    for (const [f, n] of Object.entries(increments)) h.set(f, String(Number(h.get(f) ?? 0) + Math.trunc(n)));
    if (ttlSeconds) this.data.get(key)!.expiresAt = this.deadline(ttlSeconds);
  }

  /** Every step runs synchronously, one after the other, so nothing can interleave (atomic). */
  async batch(ops: readonly StoreOp[]): Promise<unknown[]> {
    const out: unknown[] = [];
    let stopped = false;
    for (const o of ops) {
      const r = stopped ? null : this.step(o);
      if (o.op === 'requireField' && r === false) stopped = true;
      out.push(r);
    }
    return out;
  }

  private step(o: StoreOp): unknown {
    switch (o.op) {
      case 'requireField': {
        const h = this.live(o.key)?.value;
        return (h instanceof Map && h.has(o.field)) === o.present;
      }
      case 'hDel': {
        const h = this.live(o.key)?.value;
        if (!(h instanceof Map)) return 0;
        let removed = 0;
        for (const f of o.fields) if (h.delete(f)) removed++;
        if (!h.size) this.data.delete(o.key);
        return removed;
      }
      case 'del':
        return this.live(o.key) && this.data.delete(o.key) ? 1 : 0;
      case 'set':
        this.data.set(o.key, { value: o.value, expiresAt: this.deadline(o.ttlSeconds) });
        return 'OK';
      case 'hGetAll': {
        const h = this.live(o.key)?.value;
        return h instanceof Map ? Object.fromEntries(h) : {};
      }
      case 'lRange': {
        const list = this.live(o.key)?.value;
        if (!Array.isArray(list)) return [];
        const len = list.length;
        const from = o.start < 0 ? Math.max(len + o.start, 0) : o.start;
        const to = o.stop < 0 ? len + o.stop : Math.min(o.stop, len - 1);
        return from > to ? [] : list.slice(from, to + 1);
      }
      case 'expire': {
        const e = this.live(o.key);
        if (e) e.expiresAt = this.deadline(o.ttlSeconds);
        return !!e;
      }
      case 'rPush': {
        const list = this.ensure(o.key, () => [] as string[]) as string[];
        list.push(...o.values);
        return list.length;
      }
      case 'lTrim': {
        const list = this.live(o.key)?.value;
        if (!Array.isArray(list)) return 'OK';
        const len = list.length;
        const from = o.start < 0 ? Math.max(len + o.start, 0) : o.start;
        const to = o.stop < 0 ? len + o.stop : Math.min(o.stop, len - 1);
        const kept = from > to ? [] : list.slice(from, to + 1);
        if (kept.length) list.splice(0, list.length, ...kept);
        else this.data.delete(o.key);
        return 'OK';
      }
      case 'hSet': {
        const h = this.ensure(o.key, () => new Map()) as Map<string, string>;
        let added = 0;
        for (const [f, v] of Object.entries(o.fields)) {
          if (!h.has(f)) added++;
          h.set(f, v);
        }
        return added;
      }
      case 'hIncrBy': {
        const h = this.ensure(o.key, () => new Map()) as Map<string, string>;
        const value = Number(h.get(o.field) ?? 0) + Math.trunc(o.by);
        h.set(o.field, String(value));
        return value;
      }
    }
  }

  async incrBy(key: string, amount: number, ttlMs?: number) {
    const e = this.live(key);
    const value = Number(e?.value ?? 0) + amount;
    const expiresAt = e?.expiresAt ?? (ttlMs ? this.now() + ttlMs : undefined);
    this.data.set(key, { value: String(value), expiresAt });
    return { value, ttlMs: expiresAt === undefined ? -1 : expiresAt - this.now() };
  }

  async scanKeys(pattern: string, max = 10_000) {
    const re = globToRegExp(pattern);
    const out: string[] = [];
    for (const k of this.data.keys()) {
      if (out.length >= max) break;
      if (re.test(k) && this.live(k)) out.push(k);
    }
    return out;
  }

  private deadline(ttlSeconds?: number) {
    return ttlSeconds ? this.now() + ttlSeconds * 1000 : undefined;
  }

  private live(key: string): Entry | undefined {
    const e = this.data.get(key);
    if (e?.expiresAt !== undefined && e.expiresAt <= this.now()) {
      this.data.delete(key);
      return undefined;
    }
    return e;
  }

  private ensure(key: string, make: () => Value): Value {
    const e = this.live(key);
    if (e) return e.value;
    const fresh = { value: make() };
    this.data.set(key, fresh);
    return fresh.value;
  }

  private sweep() {
    for (const k of this.data.keys()) this.live(k);
  }
}
