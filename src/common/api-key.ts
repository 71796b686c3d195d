import { createHash, timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Extracts the token of an `Authorization: Bearer <token>` header. */
export function bearerToken(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value?.match(/^Bearer\s+(\S+)\s*$/i);
  return match ? match[1] : null;
}

/**
 * Constant-time check against every accepted key (several during a rotation). Hashing first gives
 * equal-length buffers, and every key is compared so timing does not reveal which one matched.
 */
export function matchesAnyKey(token: string, keys: readonly string[]): boolean {
  const candidate = digest(token);
  let ok = false;
  for (const key of keyDigests(keys)) ok = timingSafeEqual(candidate, key) || ok;
  return ok;
}

/** The configured keys' digests, computed once per key list (it is fixed for the life of the process). */
const digestsByList = new WeakMap<readonly string[], Buffer[]>();
function keyDigests(keys: readonly string[]): Buffer[] {
  let digests = digestsByList.get(keys);
  if (!digests) digestsByList.set(keys, (digests = keys.map(digest)));
  return digests;
}

/** Fingerprints of the keys seen lately (only accepted keys reach the rate limiter): a few per rotation. */
const fingerprints = new LRUCache<string, string>({ max: 256 });

/** A short non-reversible id of a key, for rate-limit buckets and logs. */
export function keyFingerprint(token: string): string {
  let fp = fingerprints.get(token);
  if (fp === undefined) fingerprints.set(token, (fp = digest(token).toString('hex').slice(0, 16)));
  return fp;
}

/** Who a request counts against: its API key (fingerprinted, never the key itself), else its address. */
export function callerTracker(headers: Record<string, string | string[] | undefined>, ip: string): string {
  const token = bearerToken(headers.authorization);
  return token ? `key:${keyFingerprint(token)}` : `ip:${ip}`;
}
