/**
 * A table keyed by names that come from outside (a provider's model name, an Odoo field value, an
 * LLM's answer). It has no prototype, so a name such as `constructor`, `toString` or `__proto__`
 * is simply absent (or an ordinary entry) instead of reaching Object.prototype.
 */
export function lookupTable<T>(entries: Readonly<Record<string, T>> = {}): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}

/** The same, frozen: for constant tables. */
export const constantTable = <T>(entries: Readonly<Record<string, T>>): Readonly<Record<string, T>> =>
  Object.freeze(lookupTable(entries));
