import { BASE_PROMPT, ChatPlugin } from './chat-plugin';

export const ACCOUNT_PLUGIN: ChatPlugin = {
  name: 'account',
  description: 'Contabilidad y ventas: asientos, impuestos, pagos, conciliación, F29',
  // Sales end in customer invoices and receivables, so the sale hint lands here.
  moduleHints: ['account', 'account_accountant', 'sale', 'sale_management', 'l10n_cl_reports'],
  keywords: [
    'asiento', 'asientos', 'contabilidad', 'contable', 'plan de cuentas', 'cuenta contable', 'conciliación', 'conciliacion',
    'conciliar', 'balance', 'estado de resultados', 'diario', 'impuesto', 'impuestos', 'iva', 'f29', 'formulario 29', 'ppm',
    'pago', 'pagos', 'cobro', 'cobranza', 'cliente', 'clientes', 'vencimiento', 'extracto bancario', 'banco', 'cierre',
    'activo fijo', 'depreciación', 'depreciacion', 'venta', 'ventas', 'pedido de venta', 'presupuesto', 'cotización de venta',
    'cotizacion de venta', 'moneda', 'tipo de cambio',
  ],
  knowledgeModules: ['account', 'l10n_cl_dte', 'general'],
  systemPrompt: [
    BASE_PROMPT,
    'Especialidad: contabilidad chilena en Odoo y el ciclo de ventas: plan de cuentas, diarios, asientos, impuestos (IVA débito y',
    'crédito fiscal, PPM, retenciones), declaración F29, pagos y conciliación bancaria, cuentas por cobrar y por pagar, cierre',
    'de período, pedidos de venta y su facturación.',
  ].join('\n'),
};
