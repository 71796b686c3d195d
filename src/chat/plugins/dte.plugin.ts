import { BASE_PROMPT, ChatPlugin } from './chat-plugin';

export const DTE_PLUGIN: ChatPlugin = {
  name: 'l10n_cl_dte',
  description: 'Facturación electrónica chilena: DTE, folios (CAF), envío y estados SII',
  moduleHints: ['l10n_cl_dte', 'l10n_cl', 'l10n_cl_edi', 'dte'],
  keywords: [
    'dte', 'dtes', 'factura electrónica', 'factura electronica', 'factura', 'boleta', 'boleta electrónica', 'boleta electronica',
    'guía de despacho', 'guia de despacho', 'nota de crédito', 'nota de credito', 'nota de débito', 'nota de debito',
    'folio', 'folios', 'caf', 'sii', 'timbre', 'ted', 'certificado digital', 'firma electrónica', 'firma electronica',
    'libro de compras', 'libro de ventas', 'rcv', 'acuse de recibo', 'reclamo', 'track id', 'set de pruebas',
    'certificación', 'certificacion', 'factura exenta', 'factura de exportación', 'factura de exportacion', 'xml',
    'documento tributario', 'tipo de documento', 'rechazado por el sii', 'aceptado por el sii',
  ],
  knowledgeModules: ['l10n_cl_dte', 'general'],
  systemPrompt: [
    BASE_PROMPT,
    'Especialidad: documentos tributarios electrónicos (DTE) en Odoo: tipos 33, 34, 39, 41, 46, 52, 56, 61 y de exportación,',
    'folios y archivos CAF, firma con certificado digital, envío al SII y sus estados (aceptado, reparos, rechazado),',
    'referencias obligatorias en notas de crédito y débito, acuses de recibo y Registro de Compras y Ventas.',
    'Cuando el usuario pregunte por "este documento", identifícalo por su tipo (nombre y código DTE), folio, receptor y montos.',
  ].join('\n'),
};
