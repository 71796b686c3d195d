import { buildUserContextPrompt, MAX_CONTEXT_KEYS, VOLATILE_MAX_CHARS } from './user-context-prompt';
import { userContextFromWizard } from './universal-context';
import { welcomeMessage } from './welcome-message';

describe('buildUserContextPrompt', () => {
  it('describes the company, RUT, role and module', () => {
    const { text, hasRecord } = buildUserContextPrompt({
      company_name: 'Test Company',
      company_rut: '12345678-9',
      user_role: 'Administrador',
      module: 'l10n_cl_dte',
    });
    expect(text).toContain('Empresa: Test Company (RUT 12345678-9)');
    expect(text).toContain('rol: Administrador');
    expect(text).toContain('Módulo de Odoo: l10n_cl_dte');
    expect(hasRecord).toBe(false);
  });

  it('summarizes the open record of the universal wizard', () => {
    const context = userContextFromWizard({
      user: { id: 2, name: 'Mitchell Admin', company_name: 'Test Company', language: 'es_CL' },
      odoo: { active_model: 'account.move', active_id: 42, active_record_name: 'FAC 000123' },
      session_id: 'chat_2_a1b2c3d4',
      module: 'l10n_cl_dte',
      active_record_data: {
        l10n_latam_document_type_id: { id: 5, name: '(33) Factura Electrónica' },
        amount_total: 119000,
      },
    });
    const { text, hasRecord } = buildUserContextPrompt(context);
    expect(text).toContain('Empresa: Test Company');
    expect(text).toContain('Usuario: Mitchell Admin');
    expect(text).toContain('Registro abierto en Odoo (account.move id 42 "FAC 000123")');
    expect(text).toContain('Factura Electrónica (DTE 33)');
    expect(text).toContain('Total: 119.000');
    expect(hasRecord).toBe(true);
  });

  it('reads a current document that older clients put in user_context, nested or loose', () => {
    const nested = buildUserContextPrompt({
      company_name: 'A',
      invoice: { dte_type: '61', folio: 77, amount_total: 5000 },
    });
    expect(nested.text).toContain('Nota de Crédito Electrónica (DTE 61)');
    expect(nested.text).toContain('Folio: 77');
    expect(nested.hasRecord).toBe(true);
    const loose = buildUserContextPrompt({ company_name: 'A', dte_type: 33, folio: 12, amount_total: 119000 });
    expect(loose.text).toContain('Factura Electrónica (DTE 33)');
    expect(loose.hasRecord).toBe(true);
  });

  it('is empty without context and bounded with a huge one', () => {
    expect(buildUserContextPrompt({}).text).toBe('');
    const huge: Record<string, unknown> = {};
    for (let i = 0; i < 50; i++) huge[`doc_${i}`] = { name: `Doc ${i}`, amount_total: i, x: 'y'.repeat(300) };
    expect(buildUserContextPrompt(huge).text.length).toBeLessThanOrEqual(VOLATILE_MAX_CHARS);
  });
});

describe('userContextFromWizard', () => {
  it('keeps every key, lifts the profile from `user` and drops session_id', () => {
    const ctx = userContextFromWizard({
      user: { name: 'Ana', company_name: 'ACME', language: 'es_CL' },
      module: 'stock',
      extra: 1,
      session_id: 'x',
    });
    expect(ctx).toEqual({
      user: { name: 'Ana', company_name: 'ACME', language: 'es_CL' },
      module: 'stock',
      extra: 1,
      company_name: 'ACME',
      user_name: 'Ana',
      language: 'es_CL',
    });
  });
  it('handles a missing context', () => expect(userContextFromWizard(undefined)).toEqual({}));
});

describe('welcomeMessage', () => {
  it('greets in Spanish with company and role', () => {
    const text = welcomeMessage({ company_name: 'Test Company', user_role: 'Administrador', user_name: 'Pedro' });
    expect(text).toMatch(
      /^¡Hola, Pedro! Soy tu asistente especializado en facturación electrónica chilena de Test Company\./,
    );
    expect(text).toContain('Administrador');
  });
  it('greets without context', () => expect(welcomeMessage()).toMatch(/^¡Hola! Soy tu asistente/));

  it('looks at the first MAX_CONTEXT_KEYS keys for documents; the named profile keys are read wherever they are', () => {
    const context: Record<string, unknown> = {};
    for (let i = 0; i < 30_000; i++) context[`x${i}`] = i % 2 ? { toString: 1 } : true;
    context.company_name = 'Andes SpA';
    context.factura = { name: 'F-12', amount_total: 119000 };
    const prompt = buildUserContextPrompt(context);
    expect(prompt.text).toContain('Empresa: Andes SpA');
    expect(prompt.text).not.toContain('F-12');
    expect(prompt.text.length).toBeLessThanOrEqual(VOLATILE_MAX_CHARS);
    expect(MAX_CONTEXT_KEYS).toBeLessThan(30_000);
  });
});
