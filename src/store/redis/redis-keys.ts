/**
 * Every Redis key the service writes besides the response cache's `cache:*` (docs/architecture.md
 * §7 shows them with their types and TTLs). Session ids reach a key only after matching
 * `^[A-Za-z0-9_-]{1,128}$`, so no caller can shape one.
 */
export const KEYS = {
  sessionContext: (id: string) => `chat:session:${id}:context`,
  sessionHistory: (id: string) => `chat:session:${id}:history`,
  costDayPrefix: 'cost_tracker:day:',
  costDay: (day: string) => `cost_tracker:day:${day}`,
  rateCounter: (counter: string) => `ratelimit:${counter}`,
  breaker: (provider: string) => `llm:breaker:${provider}`,
  breakerFailures: (provider: string) => `llm:breaker:${provider}:failures`,
  breakerProbe: (provider: string) => `llm:breaker:${provider}:probe`,
  siiSeen: (fingerprint: string) => `sii:seen:${fingerprint}`,
  siiNews: (id: string) => `sii:news:${id}`,
  siiIndex: 'sii:news',
  siiLastRun: 'sii:last_run',
  siiLock: 'sii:lock',
  /**
   * Never created (SETRANGE with an empty value writes nothing): the first write of every script
   * that may grow memory, so that a full Redis refuses the whole script (see scripts.ts).
   */
  memoryGate: 'store:memory-gate',
} as const;
