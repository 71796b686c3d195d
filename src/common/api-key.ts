import { createHash, timingSafeEqual } from 'node:crypto';

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
  for (const key of keys) ok = timingSafeEqual(candidate, digest(key)) || ok;
  return ok;
}

/** A short non-reversible id of a key, for rate-limit buckets and logs. */
export const keyFingerprint = (token: string) => digest(token).toString('hex').slice(0, 16);
