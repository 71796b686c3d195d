const obj = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.slice(0, 400).trim() ? v : undefined);

/**
 * The universal wizard's `context` ({user, odoo, session_id, active_record_data, module}) as a
 * session user_context: every key it sent is kept, and the profile fields the rest of the chat
 * reads (company_name, user_name, language) are lifted from `user` when not given explicitly.
 * `session_id` is dropped: it is the session's own key, not something to remember.
 */
export function userContextFromWizard(context: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!context) return {};
  const { session_id: _sessionId, ...rest } = context;
  const user = obj(context.user) ?? {};
  const lifted: Record<string, unknown> = {};
  const company = text(user.company_name);
  const name = text(user.name);
  const language = text(user.language);
  if (company && rest.company_name === undefined) lifted.company_name = company;
  if (name && rest.user_name === undefined) lifted.user_name = name;
  if (language && rest.language === undefined) lifted.language = language;
  return { ...rest, ...lifted };
}

/** The module hint of a request's context, if any (`user_context.module` / `context.module`). */
export function moduleHint(context: Record<string, unknown> | undefined): string | undefined {
  const m = typeof context?.module === 'string' ? context.module.slice(0, 64).trim() : '';
  return m ? m.toLowerCase() : undefined;
}
