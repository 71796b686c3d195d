import { isAbsent, parseAmount, pesos } from './parse-values';
import { inForeignCurrency, readAmounts } from './read-amounts';
import { dteType } from './identity.rules';
import { DteData, finding, listTooLong, MAX_LIST_ITEMS, RuleOutcome } from './rule.types';

const IVA_RATE_PERCENT = 19;
/** Above this total (in pesos) a document is legal but worth a second look. */
const LARGE_TOTAL_CLP = 1_000_000_000;

const MALFORMED = 'No evaluado: hay montos con formato inválido.';

/** Every amount is a non-negative integer in pesos, and monto_total is present. */
export function checkMontos(dte: DteData): RuleOutcome {
  const { findings } = readAmounts(dte);
  if (isAbsent(dte.monto_total))
    findings.unshift(finding('montos', 'monto_total', 'error', 'Falta el monto total del documento (monto_total).'));
  const ok = inForeignCurrency(dte)
    ? 'Los montos son números no negativos (moneda extranjera: se admiten decimales).'
    : 'Los montos son enteros no negativos en pesos.';
  return { ok, findings };
}

/**
 * IVA: 19% of the net amount, rounded, within ±1 peso. Exempt documents (34, 41, exports) carry
 * neither IVA nor a taxable net amount. In facturas (33, 43, 46) the net amount and IVA are
 * mandatory parts of the totals; boletas and guías may omit them.
 */
export function checkIva(dte: DteData): RuleOutcome {
  const type = dteType(dte);
  const ok = 'El IVA corresponde al 19% del monto neto.';
  if (!type) return { ok, findings: [], skipped: 'No evaluado: tipo de documento inválido.' };
  const { amounts: a, findings: malformed } = readAmounts(dte);
  if (malformed.length) return { ok, findings: [], skipped: MALFORMED };

  if (type.tax === 'exento') {
    const findings = [];
    if (a.iva)
      findings.push(
        finding(
          'iva',
          'monto_iva',
          'error',
          `Un documento tipo ${type.code} (${type.name}) es exento y no lleva IVA, pero monto_iva es ${pesos(a.iva)}.`,
        ),
      );
    if (a.neto)
      findings.push(
        finding(
          'iva',
          'monto_neto',
          'error',
          `Un documento tipo ${type.code} (${type.name}) es exento: los montos van en monto_exento, pero monto_neto es ${pesos(a.neto)}.`,
        ),
      );
    return { ok: `Documento exento (tipo ${type.code}): sin IVA.`, findings };
  }

  if (a.neto === undefined && a.iva === undefined) {
    if (type.netMandatory)
      return {
        ok,
        findings: [
          finding(
            'iva',
            'monto_neto',
            'warning',
            `La factura (tipo ${type.code}) no informa monto_neto ni monto_iva; no se pudo verificar el IVA.`,
          ),
        ],
      };
    return { ok, findings: [], skipped: 'No verificado: no se informan monto_neto ni monto_iva.', unverified: true };
  }
  if (a.iva === undefined) {
    if (!a.neto) return { ok, findings: [] };
    if (type.netMandatory || type.note)
      return {
        ok,
        findings: [
          finding(
            'iva',
            'monto_iva',
            'error',
            `Falta el IVA (monto_iva): con monto neto ${pesos(a.neto)} corresponde ${pesos(expectedIva(a.neto))}.`,
          ),
        ],
      };
    return { ok, findings: [], skipped: 'No verificado: se informa monto_neto sin monto_iva.', unverified: true };
  }
  if (a.neto === undefined) {
    if (!a.iva) return { ok, findings: [] };
    return {
      ok,
      findings: [
        finding(
          'iva',
          'monto_neto',
          'error',
          `Se informa IVA (monto_iva ${pesos(a.iva)}) sin monto neto (monto_neto).`,
        ),
      ],
    };
  }
  const expected = expectedIva(a.neto);
  if (Math.abs(a.iva - expected) > 1)
    return {
      ok,
      findings: [
        finding(
          'iva',
          'monto_iva',
          'error',
          `El IVA (monto_iva) ${pesos(a.iva)} no corresponde al ${IVA_RATE_PERCENT}% del monto neto ${pesos(a.neto)}: se esperaba ${pesos(expected)} (±1 peso).`,
        ),
      ],
    };
  return {
    ok: `El IVA ${pesos(a.iva)} corresponde al ${IVA_RATE_PERCENT}% del monto neto ${pesos(a.neto)}.`,
    findings: [],
  };
}

const expectedIva = (neto: number) => Math.round((neto * IVA_RATE_PERCENT) / 100);

/** monto_total = neto + IVA + exento + other taxes − IVA withheld, exactly (each term is already whole pesos). */
export function checkTotal(dte: DteData): RuleOutcome {
  const ok = 'El monto total cuadra con sus componentes.';
  const { amounts: a, findings: malformed } = readAmounts(dte);
  if (malformed.length) return { ok, findings: [], skipped: MALFORMED };
  if (a.total === undefined) return { ok, findings: [], skipped: 'No evaluado: falta monto_total.' };
  if (a.neto === undefined && a.iva === undefined && a.exento === undefined)
    return {
      ok,
      findings: [],
      skipped: 'No verificado: no se informan montos parciales (neto, IVA, exento).',
      unverified: true,
    };
  const expected = (a.neto ?? 0) + (a.iva ?? 0) + (a.exento ?? 0) + (a.otros ?? 0) - (a.retenido ?? 0);
  const tolerance = inForeignCurrency(dte) ? 0.01 : 0;
  if (Math.abs(a.total - expected) > tolerance + 1e-9) {
    const parts = [`neto ${pesos(a.neto ?? 0)}`, `IVA ${pesos(a.iva ?? 0)}`, `exento ${pesos(a.exento ?? 0)}`];
    if (a.otros) parts.push(`otros impuestos ${pesos(a.otros)}`);
    const minus = a.retenido ? ` − IVA retenido ${pesos(a.retenido)}` : '';
    return {
      ok,
      findings: [
        finding(
          'total',
          'monto_total',
          'error',
          `El monto total (monto_total) ${pesos(a.total)} no cuadra: ${parts.join(' + ')}${minus} = ${pesos(expected)}.`,
        ),
      ],
    };
  }
  return { ok: `El monto total ${pesos(a.total)} cuadra con sus componentes.`, findings: [] };
}

const ITEM_AMOUNT_KEYS = ['monto_item', 'monto', 'subtotal', 'price_subtotal'];

/**
 * When lines are given, their amounts should add up to the net + exempt amounts (to the total in
 * boletas, whose lines include IVA). Only a warning: discounts and surcharges may explain it.
 */
export function checkItems(dte: DteData): RuleOutcome {
  const ok = 'La suma de los ítems cuadra con los montos del documento.';
  if (isAbsent(dte.items)) return { ok: 'El documento no informa detalle de ítems.', findings: [] };
  if (!Array.isArray(dte.items))
    return {
      ok,
      findings: [finding('items', 'items', 'warning', 'El detalle (items) no es una lista; no se pudo revisar.')],
    };
  if (dte.items.length > MAX_LIST_ITEMS) return { ok, findings: [listTooLong('items', 'items', 'warning')] };
  const { amounts: a, findings: malformed } = readAmounts(dte);
  if (malformed.length) return { ok, findings: [], skipped: MALFORMED };
  const decimals = inForeignCurrency(dte);
  let sum = 0;
  for (const [i, item] of dte.items.entries()) {
    const record = item && typeof item === 'object' ? (item as Record<string, unknown>) : {};
    const key = ITEM_AMOUNT_KEYS.find((k) => !isAbsent(record[k]));
    const parsed = key ? parseAmount(record[key], { decimals }) : null;
    if (!parsed || parsed.kind !== 'ok')
      return {
        ok,
        findings: [
          finding(
            'items',
            `items[${i}]`,
            'warning',
            `El ítem ${i + 1} (items[${i}]) no tiene un monto válido (monto_item); no se pudo sumar el detalle.`,
          ),
        ],
      };
    sum += parsed.value;
  }
  const boleta = dteType(dte)?.boleta;
  const base = boleta
    ? a.total
    : a.neto === undefined && a.exento === undefined
      ? undefined
      : (a.neto ?? 0) + (a.exento ?? 0);
  if (base === undefined)
    return { ok, findings: [], skipped: 'No verificado: faltan los montos con que comparar el detalle.' };
  if (Math.abs(sum - base) > Math.max(1, dte.items.length))
    return {
      ok,
      findings: [
        finding(
          'items',
          'items',
          'warning',
          `La suma de los ítems (items) ${pesos(sum)} no coincide con ${boleta ? 'el monto total' : 'el monto neto más el exento'} ${pesos(base)}.`,
        ),
      ],
    };
  return { ok: `La suma de los ${dte.items.length} ítems cuadra con el documento.`, findings: [] };
}

/** Legal but suspicious totals: zero in a sale document, or very large. */
export function checkMontoRazonable(dte: DteData): RuleOutcome {
  const ok = 'El monto total está en un rango habitual.';
  const type = dteType(dte);
  const total = parseAmount(dte.monto_total, { decimals: inForeignCurrency(dte) });
  if (total.kind !== 'ok') return { ok, findings: [], skipped: 'No evaluado: monto_total ausente o inválido.' };
  if (total.value === 0 && type && type.code !== 52 && !type.note)
    return {
      ok,
      findings: [
        finding(
          'monto_razonable',
          'monto_total',
          'warning',
          `El monto total (monto_total) es 0 en un documento tipo ${type.code}.`,
        ),
      ],
    };
  if (!inForeignCurrency(dte) && total.value > LARGE_TOTAL_CLP)
    return {
      ok,
      findings: [
        finding(
          'monto_razonable',
          'monto_total',
          'warning',
          `El monto total (monto_total) ${pesos(total.value)} supera ${pesos(LARGE_TOTAL_CLP)} pesos; confirme que no haya un error de digitación.`,
        ),
      ],
    };
  return { ok, findings: [] };
}
