import { PROFILE_KEYS } from '../context/user-context-prompt';

/** How much user context one session may hold (CHAT_CONTEXT_MAX_KEYS / CHAT_CONTEXT_MAX_BYTES). */
export interface ContextLimits {
  maxKeys: number;
  /** UTF-8 bytes of keys plus their JSON values. */
  maxBytes: number;
}

/** Keys the service reads (profile, Odoo screen, DTE state): kept before anything else. */
const KNOWN_KEYS: ReadonlySet<string> = new Set([...PROFILE_KEYS, 'dte_type', 'dte_status']);

export interface BoundedContext {
  /** The context to store (key → JSON), this turn's values over the stored ones. */
  kept: Map<string, string>;
  /** Stored or sent keys that did not fit, in the order they were given up. */
  dropped: string[];
  bytes: number;
}

const sizeOf = (key: string, value: string) => Buffer.byteLength(key) + Buffer.byteLength(value);

/**
 * Merges what a turn sent (`incoming`) over what the session holds (`stored`) within `limits`.
 * What Odoo resends replaces the stored value; when the result is over a limit, keys are kept in
 * this order until it is reached: known keys sent now, known keys from earlier turns, unknown keys
 * sent now (in the order sent), unknown keys from earlier turns. So the oldest unknown keys go
 * first, and a key too large on its own for the byte budget is never kept. Pure.
 */
export function boundContext(
  stored: ReadonlyMap<string, string>,
  incoming: ReadonlyMap<string, string>,
  limits: ContextLimits,
): BoundedContext {
  const older = [...stored.keys()].filter((k) => !incoming.has(k));
  const sent = [...incoming.keys()];
  const known = (k: string) => KNOWN_KEYS.has(k);
  const ranked = [
    ...sent.filter(known),
    ...older.filter(known),
    ...sent.filter((k) => !known(k)),
    ...older.filter((k) => !known(k)),
  ];
  const kept = new Map<string, string>();
  const dropped: string[] = [];
  let bytes = 0;
  for (const key of ranked) {
    const value = incoming.get(key) ?? stored.get(key)!;
    const size = sizeOf(key, value);
    if (kept.size >= limits.maxKeys || bytes + size > limits.maxBytes) {
      dropped.push(key);
      continue;
    }
    kept.set(key, value);
    bytes += size;
  }
  return { kept, dropped, bytes };
}
