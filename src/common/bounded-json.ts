/**
 * How much of a JSON value from a request the service keeps before any rule, regex or prompt
 * builder looks at it. Whatever the caller sent (1 MiB of one string, 200,000 array elements,
 * 80,000 keys), the copy is small, so every later scan is cheap.
 */
export interface JsonBudget {
  /** Longer strings are cut to this many UTF-16 units. */
  maxStringChars: number;
  /** Longer keys are cut to this many UTF-16 units. */
  maxKeyChars: number;
  /** Longer arrays keep this many elements. */
  maxArrayItems: number;
  /** Objects keep this many keys (plus every key in `alwaysKeep`). */
  maxObjectKeys: number;
  /** Values nested deeper than this become null. */
  maxDepth: number;
  /** Keys of the top-level object kept even beyond `maxObjectKeys` (the fields the rules read). */
  alwaysKeep?: ReadonlySet<string>;
}

/**
 * A copy of `value` within `budget`. Walks at most what it keeps, so its own cost is bounded by
 * the budget, not by the input. The copy's objects have a null prototype: keys such as
 * `toString` or `constructor` are plain data there.
 */
export function boundJson(value: unknown, budget: JsonBudget): unknown {
  return copy(value, budget, 0);
}

function copy(value: unknown, budget: JsonBudget, depth: number): unknown {
  if (typeof value === 'string') return cutString(value, budget.maxStringChars);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= budget.maxDepth) return null;
  if (Array.isArray(value)) {
    const n = Math.min(value.length, budget.maxArrayItems);
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) out[i] = copy(value[i], budget, depth + 1);
    return out;
  }
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = Object.create(null);
  const put = (key: string) => (out[cutString(key, budget.maxKeyChars)] = copy(source[key], budget, depth + 1));
  const keep = depth === 0 ? budget.alwaysKeep : undefined;
  if (keep) for (const key of keep) if (Object.hasOwn(source, key)) put(key);
  let kept = 0;
  for (const key in source) {
    if (kept >= budget.maxObjectKeys) break;
    if (!Object.hasOwn(source, key) || keep?.has(key)) continue;
    put(key);
    kept++;
  }
  return out;
}

/** Cuts without splitting a surrogate pair. */
export function cutString(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text[max - 1]) ? max - 1 : max;
  return text.slice(0, end);
}
