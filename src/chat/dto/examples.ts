/** Request bodies as Odoo sends them (the seed's curl examples and the universal wizard). */
export const NEW_SESSION_EXAMPLE = {
  user_context: { company_name: 'Test Company', company_rut: '12345678-9', user_role: 'Administrador' },
};

export const MESSAGE_EXAMPLE = {
  session_id: '3f1c2a9e-8b7d-4c6e-9a51-2d0f7b4e6c13',
  message: '¿Cómo genero un DTE 33?',
  user_context: { company_name: 'Test Company' },
};

export const WIZARD_EXAMPLE = {
  message: '¿Qué tipo de documento es este y cuál es su total?',
  session_id: 'chat_2_a1b2c3d4',
  stream: false,
  context: {
    user: {
      id: 2,
      name: 'Mitchell Admin',
      login: 'admin',
      company_id: 1,
      company_name: 'Test Company',
      language: 'es_CL',
    },
    odoo: { active_model: 'account.move', active_id: 42, active_record_name: 'FAC 000123' },
    session_id: 'chat_2_a1b2c3d4',
    module: 'l10n_cl_dte',
    active_record_data: {
      name: 'FAC 000123',
      move_type: 'out_invoice',
      l10n_latam_document_type_id: { id: 5, name: '(33) Factura Electrónica' },
      partner_id: { id: 7, name: 'Cliente Ejemplo SpA' },
      amount_untaxed: 100000,
      amount_tax: 19000,
      amount_total: 119000,
      currency_id: { id: 45, name: 'CLP' },
      state: 'posted',
      invoice_date: '2025-10-22',
    },
  },
};

export const ANSWER_EXAMPLE = {
  message: 'Para generar una Factura Electrónica (DTE 33) en Odoo…',
  sources: ['Generación de DTEs - Wizard Paso a Paso', 'Tipos de DTEs'],
  references: [
    {
      title: 'Generación de DTEs - Wizard Paso a Paso',
      sources: ['Resolución Exenta SII N° 45, de 2003 (normas de operación de los DTE)'],
      reviewed: '2026-12-06',
    },
    {
      title: 'Tipos de DTEs',
      sources: ['DL 825 (Ley sobre Impuesto a las Ventas y Servicios), arts. 52 a 57'],
      reviewed: '2026-12-06',
    },
  ],
  confidence: 92.5,
  session_id: '3f1c2a9e-8b7d-4c6e-9a51-2d0f7b4e6c13',
  llm_used: 'anthropic',
  tokens_used: { input_tokens: 1234, output_tokens: 567, total_tokens: 1801 },
  plugin: 'l10n_cl_dte',
  cost_usd: 0.012207,
};
