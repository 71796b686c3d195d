/** DI token of the store's health probe. */
export const STORE_HEALTH = Symbol('STORE_HEALTH');

/** `memory`: there is no Redis to ask (embedded mode), which is neither up nor down. */
export interface StoreStatus {
  status: 'up' | 'down' | 'memory';
  latency_ms: number | null;
}

export interface StoreHealth {
  /** Answering commands now (always, in memory). */
  ready(): boolean;
  /** A PING that must answer within `timeoutMs`. */
  probe(timeoutMs: number): Promise<StoreStatus>;
}
