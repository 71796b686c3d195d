import { constantTable } from '../../common/lookup-table';

/** SII document type codes (Resolución Ex. SII N° 45/2003 and later) → the name users know. */
const DTE_DOCUMENT_TYPES: Readonly<Record<string, string>> = constantTable({
  '29': 'Factura de Inicio',
  '30': 'Factura',
  '32': 'Factura de Venta Bienes y Servicios No Afectos o Exentos de IVA',
  '33': 'Factura Electrónica',
  '34': 'Factura No Afecta o Exenta Electrónica',
  '35': 'Boleta',
  '38': 'Boleta Exenta',
  '39': 'Boleta Electrónica',
  '40': 'Liquidación Factura',
  '41': 'Boleta No Afecta o Exenta Electrónica',
  '43': 'Liquidación Factura Electrónica',
  '45': 'Factura de Compra',
  '46': 'Factura de Compra Electrónica',
  '48': 'Comprobante de Pago Electrónico',
  '50': 'Guía de Despacho',
  '52': 'Guía de Despacho Electrónica',
  '55': 'Nota de Débito',
  '56': 'Nota de Débito Electrónica',
  '60': 'Nota de Crédito',
  '61': 'Nota de Crédito Electrónica',
  '103': 'Liquidación',
  '110': 'Factura de Exportación Electrónica',
  '111': 'Nota de Débito de Exportación Electrónica',
  '112': 'Nota de Crédito de Exportación Electrónica',
  '801': 'Orden de Compra',
  '802': 'Nota de Pedido',
  '803': 'Contrato',
  '804': 'Resolución',
  '914': 'Declaración de Ingreso (DIN)',
});

/** The name of a DTE code (33, "33", " 033 "), or undefined when it is not a known code. */
export function dteTypeName(code: unknown): string | undefined {
  if (typeof code !== 'string' && typeof code !== 'number') return undefined;
  const normalized = String(code)
    .slice(0, 16)
    .trim()
    .replace(/^0+(?=\d)/, '');
  return DTE_DOCUMENT_TYPES[normalized];
}

/** Finds a DTE code inside a label such as "(33) Factura Electrónica" or "33 - Factura". */
export function dteCodeInLabel(label: string): string | undefined {
  const match = label.match(/(?:^|[^\d])(\d{2,3})(?:[^\d]|$)/);
  return match && dteTypeName(match[1]) ? match[1] : undefined;
}
