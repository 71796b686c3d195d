import { RedisScript } from './redis-script';
import type { StoreOp } from './store.port';

/**
 * KeyValueStore.batch in Redis: one Lua script that runs a list of whitelisted commands, one key
 * each, in order. A script is atomic and is one command for the client: the chat turn's session
 * read (4 commands) and history append (7) each cost the client a fifth of what the same
 * commands cost as a pipeline or MULTI, and Redis runs them without interleaving others.
 * ARGV holds, per operation: the command, the number of its arguments, then the arguments.
 * REQUIRE (field, 1|0) checks HEXISTS and, when it does not match, ends the batch right there:
 * the reply is shorter than the list of operations.
 *
 * KEYS[1] and ARGV[1] are the memory gate. Redis (noeviction) refuses a script's write at
 * maxmemory only if it is the script's first write: after a DEL or EXPIRE, every later HSET or
 * RPUSH goes through and Redis grows past its limit (measured: 4.9 MB with maxmemory 2 MB). So a
 * batch that may grow memory starts with SETRANGE gate 0 "" — a write that never creates the key —
 * and is refused whole with OOM when Redis is full.
 */
export const BATCH = new RedisScript(`
local allowed = { HGETALL = true, LRANGE = true, EXPIRE = true, RPUSH = true, LTRIM = true, HSET = true,
  HINCRBY = true, HDEL = true, DEL = true, SET = true }
if ARGV[1] == '1' then redis.call('SETRANGE', KEYS[1], 0, '') end
local out = {}
local a = 2
for i = 2, #KEYS do
  local cmd = ARGV[a]
  local n = tonumber(ARGV[a + 1])
  if cmd == 'REQUIRE' then
    if redis.call('HEXISTS', KEYS[i], ARGV[a + 2]) ~= tonumber(ARGV[a + 3]) then
      out[i - 1] = 0
      return out
    end
    out[i - 1] = 1
  else
    if not allowed[cmd] then return redis.error_reply('batch: unsupported command ' .. tostring(cmd)) end
    local r = redis.call(cmd, KEYS[i], unpack(ARGV, a + 2, a + 1 + n))
    if type(r) == 'table' and r.ok then r = r.ok end
    out[i - 1] = r
  end
  a = a + 2 + n
end
return out`);

/** Never created (SETRANGE with an empty value writes nothing); only there to be the first write. */
export const MEMORY_GATE_KEY = 'store:memory-gate';
const GROWS = new Set<StoreOp['op']>(['rPush', 'hSet', 'hIncrBy', 'set']);

export function batchArguments(ops: readonly StoreOp[]): { keys: string[]; args: (string | number)[] } {
  const keys: string[] = [MEMORY_GATE_KEY];
  const args: (string | number)[] = [ops.some((o) => GROWS.has(o.op)) ? 1 : 0];
  const push = (cmd: string, ...rest: (string | number)[]) => args.push(cmd, rest.length, ...rest);
  for (const o of ops) {
    keys.push(o.key);
    switch (o.op) {
      case 'requireField':
        push('REQUIRE', o.field, o.present ? 1 : 0);
        break;
      case 'hGetAll':
        push('HGETALL');
        break;
      case 'lRange':
        push('LRANGE', o.start, o.stop);
        break;
      case 'expire':
        push('EXPIRE', o.ttlSeconds);
        break;
      case 'rPush':
        if (!o.values.length) throw new Error('batch: rPush needs at least one value');
        push('RPUSH', ...o.values);
        break;
      case 'lTrim':
        push('LTRIM', o.start, o.stop);
        break;
      case 'hSet': {
        const flat = Object.entries(o.fields).flat();
        if (!flat.length) throw new Error('batch: hSet needs at least one field');
        push('HSET', ...flat);
        break;
      }
      case 'hIncrBy':
        push('HINCRBY', o.field, Math.trunc(o.by));
        break;
      case 'hDel':
        if (!o.fields.length) throw new Error('batch: hDel needs at least one field');
        push('HDEL', ...o.fields);
        break;
      case 'del':
        push('DEL');
        break;
      case 'set':
        if (o.ttlSeconds) push('SET', o.value, 'EX', Math.trunc(o.ttlSeconds));
        else push('SET', o.value);
        break;
      default:
        throw new Error(`batch: unsupported operation ${(o as { op: string }).op}`);
    }
  }
  return { keys, args };
}

/**
 * Redis replies → the port's result shapes (HGETALL's flat list becomes an object, EXPIRE and
 * REQUIRE booleans); steps after a failed requirement have no reply and read as null.
 */
export function batchResults(ops: readonly StoreOp[], replies: unknown[]): unknown[] {
  return ops.map((o, i) => {
    if (i >= replies.length) return null;
    const r = replies[i];
    if (o.op === 'requireField') return Number(r) === 1;
    if (o.op === 'hGetAll') {
      const flat = (r as string[]) ?? [];
      const fields: Record<string, string> = {};
      for (let j = 0; j + 1 < flat.length; j += 2) fields[flat[j]] = flat[j + 1];
      return fields;
    }
    if (o.op === 'lRange') return (r as string[]) ?? [];
    if (o.op === 'expire') return Number(r) === 1;
    if (o.op === 'lTrim' || o.op === 'set') return 'OK';
    return Number(r);
  });
}
