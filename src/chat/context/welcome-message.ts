/** At most 120 characters of a text field (cut before trimming: a value may be a megabyte of spaces). */
const text = (v: unknown): string | undefined =>
  (typeof v === 'string' && v.slice(0, 400).trim().slice(0, 120)) || undefined;

/** The first thing Odoo shows in a new conversation: Spanish, with the company and role when known. */
export function welcomeMessage(context: Record<string, unknown> = {}): string {
  const user = (context.user && typeof context.user === 'object' ? context.user : {}) as Record<string, unknown>;
  const name = text(context.user_name) ?? text(user.name);
  const company = text(context.company_name) ?? text(user.company_name);
  const role = text(context.user_role);
  const greeting = name ? `¡Hola, ${name}!` : '¡Hola!';
  const forCompany = company ? ` de ${company}` : '';
  const asRole = role ? ` Veo que tu rol es ${role}, así que adaptaré mis respuestas a tus tareas.` : '';
  return (
    `${greeting} Soy tu asistente especializado en facturación electrónica chilena${forCompany}.${asRole} ` +
    'Puedo ayudarte con DTE (facturas, boletas, notas de crédito y débito, guías de despacho), ' +
    'el SII, la contabilidad, las remuneraciones y el inventario en Odoo. ¿En qué te ayudo hoy?'
  );
}
