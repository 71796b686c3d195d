import { defineScript } from 'redis';

/**
 * The store's Lua scripts, registered with node-redis (`createClient({ scripts })`), which sends
 * EVALSHA and falls back to EVAL when Redis does not know a script yet. A script is atomic and is
 * one command for the client: a chat turn's session read (4 Redis commands) and its append (8)
 * cost the client one command each.
 *
 * The memory gate: under noeviction, Redis refuses a script's write at maxmemory only if it is the
 * script's first write; after a DEL or EXPIRE every later HSET or RPUSH goes through and Redis
 * grows past its limit (measured: 4.9 MB with maxmemory 2 MB). So every script that may grow
 * memory starts with `SETRANGE gate 0 ""`, a write that never creates the key, and is refused
 * whole with OOM when Redis is full. Reads, TTL refreshes and deletes are never refused: that is
 * how a full Redis drains.
 */

const args = (...values: (string | number)[]) => values.map(String);
const CREATED = 'created_at';

/** KEYS: counter. ARGV: amount, window ms. INCRBY, and a new counter expires after the window. → [value, ms left] */
const WINDOW_HIT = defineScript({
  NUMBER_OF_KEYS: 1,
  SCRIPT: `
local v = redis.call('INCRBY', KEYS[1], ARGV[1])
local t = redis.call('PTTL', KEYS[1])
if tonumber(ARGV[2]) > 0 and t == -1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  t = tonumber(ARGV[2])
end
return {v, t}`,
  transformArguments: (key: string, amount: number, windowMs: number) => [key, ...args(amount, windowMs)],
  transformReply: (reply: number[]) => reply,
});

/** KEYS: context, history. ARGV: ttl, messages. → [context fields (flat), last messages] */
const SESSION_OPEN = defineScript({
  NUMBER_OF_KEYS: 2,
  SCRIPT: `
local fields = redis.call('HGETALL', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[1])
local n = tonumber(ARGV[2])
local messages = {}
if n > 0 then messages = redis.call('LRANGE', KEYS[2], -n, -1) end
return {fields, messages}`,
  transformArguments: (context: string, history: string, ttl: number, messages: number) => [
    context,
    history,
    ...args(ttl, messages),
  ],
  transformReply: (reply: [string[], string[]]) => reply,
});

/** KEYS: gate, context, history. ARGV: ttl, field, value, … → 1 created, 0 a live session holds the id */
const SESSION_CREATE = defineScript({
  NUMBER_OF_KEYS: 3,
  SCRIPT: `
redis.call('SETRANGE', KEYS[1], 0, '')
if redis.call('HEXISTS', KEYS[2], '${CREATED}') == 1 then return 0 end
redis.call('DEL', KEYS[3])
redis.call('DEL', KEYS[2])
redis.call('HSET', KEYS[2], unpack(ARGV, 2))
redis.call('EXPIRE', KEYS[2], ARGV[1])
return 1`,
  transformArguments: (gate: string, context: string, history: string, ttl: number, fields: string[]) => [
    gate,
    context,
    history,
    String(ttl),
    ...fields,
  ],
  transformReply: (reply: number) => reply === 1,
});

/**
 * KEYS: gate, context. ARGV: number of fields to remove, those fields, then field, value, … to set.
 * HDEL in chunks of 500 stays far below Lua's unpack limit when an old, oversized context is trimmed.
 * → 1 written, 0 the session does not exist
 */
const SESSION_UPDATE = defineScript({
  NUMBER_OF_KEYS: 2,
  SCRIPT: `
local n = tonumber(ARGV[1])
local sets = #ARGV > 1 + n
if sets then redis.call('SETRANGE', KEYS[1], 0, '') end
if redis.call('HEXISTS', KEYS[2], '${CREATED}') == 0 then return 0 end
for i = 2, 1 + n, 500 do
  redis.call('HDEL', KEYS[2], unpack(ARGV, i, math.min(i + 499, 1 + n)))
end
if sets then redis.call('HSET', KEYS[2], unpack(ARGV, 2 + n)) end
return 1`,
  transformArguments: (gate: string, context: string, remove: readonly string[], set: string[]) => [
    gate,
    context,
    String(remove.length),
    ...remove,
    ...set,
  ],
  transformReply: (reply: number) => reply === 1,
});

/**
 * KEYS: gate, context, history. ARGV: ttl, most messages kept, last activity, messages…
 * → 1 appended, 0 the session does not exist (nothing written)
 */
const SESSION_APPEND = defineScript({
  NUMBER_OF_KEYS: 3,
  SCRIPT: `
redis.call('SETRANGE', KEYS[1], 0, '')
if redis.call('HEXISTS', KEYS[2], '${CREATED}') == 0 then return 0 end
redis.call('RPUSH', KEYS[3], unpack(ARGV, 4))
redis.call('LTRIM', KEYS[3], -tonumber(ARGV[2]), -1)
redis.call('EXPIRE', KEYS[3], ARGV[1])
redis.call('HINCRBY', KEYS[2], 'message_count', #ARGV - 3)
redis.call('HSET', KEYS[2], 'last_activity', ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[1])
return 1`,
  transformArguments: (
    gate: string,
    context: string,
    history: string,
    ttl: number,
    maxMessages: number,
    lastActivity: string,
    messages: readonly string[],
  ) => [gate, context, history, ...args(ttl, maxMessages), lastActivity, ...messages],
  transformReply: (reply: number) => reply === 1,
});

/** KEYS: gate, record, index, seen. ARGV: keep seconds, index length, record, id. */
const SII_SAVE = defineScript({
  NUMBER_OF_KEYS: 4,
  SCRIPT: `
redis.call('SETRANGE', KEYS[1], 0, '')
redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[1])
redis.call('RPUSH', KEYS[3], ARGV[4])
redis.call('LTRIM', KEYS[3], -tonumber(ARGV[2]), -1)
redis.call('SET', KEYS[4], '1', 'EX', ARGV[1])
return 1`,
  transformArguments: (
    gate: string,
    record: string,
    index: string,
    seen: string,
    keepSeconds: number,
    indexLength: number,
    json: string,
    id: string,
  ) => [gate, record, index, seen, ...args(keepSeconds, indexLength), json, id],
  transformReply: (reply: number) => reply,
});

/** KEYS: lease. ARGV: holder. Deletes the lease only while `holder` has it. → 1 released */
const LEASE_RELEASE = defineScript({
  NUMBER_OF_KEYS: 1,
  SCRIPT: `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`,
  transformArguments: (key: string, holder: string) => [key, holder],
  transformReply: (reply: number) => reply === 1,
});

/** KEYS: lease. ARGV: holder, seconds. Sets the lease's TTL only while `holder` has it. → 1 extended */
const LEASE_EXTEND = defineScript({
  NUMBER_OF_KEYS: 1,
  SCRIPT: `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return 0`,
  transformArguments: (key: string, holder: string, seconds: number) => [key, holder, String(seconds)],
  transformReply: (reply: number) => reply === 1,
});

export const STORE_SCRIPTS = {
  windowHit: WINDOW_HIT,
  sessionOpen: SESSION_OPEN,
  sessionCreate: SESSION_CREATE,
  sessionUpdate: SESSION_UPDATE,
  sessionAppend: SESSION_APPEND,
  siiSave: SII_SAVE,
  leaseRelease: LEASE_RELEASE,
  leaseExtend: LEASE_EXTEND,
};
