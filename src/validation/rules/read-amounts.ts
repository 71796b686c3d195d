import { isAbsent, parseAmount } from './parse-values';
import { dteType } from './identity.rules';
import { DteData, Finding, finding, listTooLong, MAX_LIST_ITEMS, shown } from './rule.types';

/**
 * The amount fields read from `dte_data` (every one optional except monto_total):
 * - monto_neto, monto_iva (alias iva, renamed on entry), monto_exento, monto_total;
 * - other taxes added to the total: monto_otros_impuestos (one amount) and impuestos_adicionales
 *   (one amount, or a list of {codigo, tasa, monto} as in the SII's ImptoReten);
 * - iva_retenido: IVA withheld by the receptor (e.g. factura de compra 46), subtracted from the total.
 */
const SINGLE_AMOUNT_FIELDS = [
  'monto_neto',
  'monto_iva',
  'monto_exento',
  'monto_total',
  'monto_otros_impuestos',
  'iva_retenido',
] as const;
type AmountField = (typeof SINGLE_AMOUNT_FIELDS)[number];

const PESO_CODES = new Set(['CLP', 'PESO CL', 'PESO CHILENO', 'PESOS', '$']);

export interface Amounts {
  neto?: number;
  iva?: number;
  exento?: number;
  total?: number;
  /** monto_otros_impuestos + impuestos_adicionales. */
  otros?: number;
  retenido?: number;
}

/** Exports in a foreign currency may carry decimals; everything else is whole pesos. */
export function inForeignCurrency(dte: DteData): boolean {
  if (!dteType(dte)?.export) return false;
  const currency = !isAbsent(dte.moneda) ? dte.moneda : dte.tipo_moneda;
  return typeof currency === 'string' && currency.trim() !== '' && !PESO_CODES.has(currency.trim().toUpperCase());
}

/** Reads every amount; `findings` lists each malformed one naming its field. */
export function readAmounts(dte: DteData): { amounts: Amounts; findings: Finding[] } {
  const decimals = inForeignCurrency(dte);
  const findings: Finding[] = [];
  const values: Partial<Record<AmountField, number>> = {};
  const bad = (field: string, value: unknown, reason: string) =>
    findings.push(finding('montos', field, 'error', `El campo ${field} ${shown(value)} ${reason}.`));

  for (const field of SINGLE_AMOUNT_FIELDS) {
    const parsed = parseAmount(dte[field], { decimals });
    if (parsed.kind === 'ok') values[field] = parsed.value;
    else if (parsed.kind === 'invalid') bad(field, dte[field], parsed.reason);
  }

  let adicionales: number | undefined;
  const extra = dte.impuestos_adicionales;
  if (Array.isArray(extra) && extra.length > MAX_LIST_ITEMS) {
    findings.push(listTooLong('montos', 'impuestos_adicionales'));
  } else if (Array.isArray(extra)) {
    adicionales = 0;
    (extra as unknown[]).forEach((tax, i) => {
      const raw =
        tax && typeof tax === 'object'
          ? ((tax as Record<string, unknown>).monto ?? (tax as Record<string, unknown>).monto_impuesto)
          : tax;
      const parsed = parseAmount(raw, { decimals });
      if (parsed.kind === 'ok') adicionales! += parsed.value;
      else bad(`impuestos_adicionales[${i}].monto`, raw, parsed.kind === 'absent' ? 'falta' : parsed.reason);
    });
  } else {
    const parsed = parseAmount(extra, { decimals });
    if (parsed.kind === 'ok') adicionales = parsed.value;
    else if (parsed.kind === 'invalid') bad('impuestos_adicionales', extra, parsed.reason);
  }

  const otros =
    values.monto_otros_impuestos === undefined && adicionales === undefined
      ? undefined
      : (values.monto_otros_impuestos ?? 0) + (adicionales ?? 0);
  return {
    amounts: {
      neto: values.monto_neto,
      iva: values.monto_iva,
      exento: values.monto_exento,
      total: values.monto_total,
      otros,
      retenido: values.iva_retenido,
    },
    findings,
  };
}
