import { isAbsent, parseAmount, parseIsoDate, parsePositiveInt } from './parse-values';
import { CODIGO_REF, EXPORT_REF_TYPES, MODIFIABLE_REF_TYPES } from './dte-types';
import { dteType } from './identity.rules';
import { DteData, Finding, finding, listTooLong, MAX_LIST_ITEMS, RuleContext, RuleOutcome, shown } from './rule.types';

type Ref = Record<string, unknown>;

/** Odoo may send one reference as an object instead of a list. */
function referenceList(dte: DteData): Ref[] | null {
  const refs = dte.referencias;
  if (isAbsent(refs)) return [];
  if (Array.isArray(refs)) return refs.filter((r): r is Ref => !!r && typeof r === 'object' && !Array.isArray(r));
  if (typeof refs === 'object') return [refs as Ref];
  return null;
}

/**
 * Credit and debit notes (56, 61 and the export ones 111, 112) must reference the tax document they
 * modify: tipo_doc_ref (a modifiable tax document; export notes modify export documents and
 * domestic notes domestic ones), folio_ref, fecha_ref (not after the note), codigo_ref (1 anula,
 * 2 corrige texto, 3 corrige montos) and razon_ref. razon_ref is optional in the SII schema, so its
 * absence is only a warning. Other references (801 orden de compra, HES…) may come along; they are
 * not checked, since their folios are free text.
 */
export function checkReferencias(dte: DteData, ctx: RuleContext): RuleOutcome {
  const type = dteType(dte);
  if (Array.isArray(dte.referencias) && dte.referencias.length > MAX_LIST_ITEMS)
    return { ok: '', findings: [listTooLong('referencias', 'referencias')] };
  const refs = referenceList(dte);
  if (refs === null)
    return {
      ok: '',
      findings: [
        finding(
          'referencias',
          'referencias',
          'error',
          `Las referencias (referencias) deben ser una lista, no ${shown(dte.referencias)}.`,
        ),
      ],
    };
  if (!type?.note)
    return {
      ok: type
        ? `Un documento tipo ${type.code} no requiere referencia a otro documento.`
        : 'Sin referencias requeridas.',
      findings: [],
    };

  const taxRefs = refs
    .map((ref, index) => ({ ref, index, tipo: parsePositiveInt(ref.tipo_doc_ref) }))
    .filter((r) => r.tipo !== null && MODIFIABLE_REF_TYPES.has(r.tipo));
  if (!taxRefs.length)
    return {
      ok: '',
      findings: [
        finding(
          'referencias',
          'referencias',
          'error',
          `La ${type.name.toLowerCase()} (tipo ${type.code}) debe referenciar el documento que modifica (referencias con tipo_doc_ref, folio_ref, fecha_ref, codigo_ref y razon_ref).`,
        ),
      ],
    };

  const findings: Finding[] = [];
  for (const { ref, index, tipo } of taxRefs) {
    const at = (f: string) => `referencias[${index}].${f}`;
    if (!!type.export !== EXPORT_REF_TYPES.has(tipo!))
      findings.push(
        finding(
          'referencias',
          at('tipo_doc_ref'),
          'error',
          type.export
            ? `Una nota de exportación (tipo ${type.code}) debe modificar un documento de exportación (110, 111, 112), no el tipo ${tipo}.`
            : `Una nota tipo ${type.code} no puede modificar un documento de exportación (tipo ${tipo}); use la nota de exportación 111 o 112.`,
        ),
      );
    if (parsePositiveInt(ref.folio_ref) === null)
      findings.push(
        finding(
          'referencias',
          at('folio_ref'),
          'error',
          `El folio del documento referenciado (${at('folio_ref')}) ${shown(ref.folio_ref)} debe ser un entero positivo.`,
        ),
      );
    findings.push(...refDateFindings(dte, ref, at('fecha_ref'), ctx));
    const codigo = parsePositiveInt(ref.codigo_ref);
    if (codigo === null || !CODIGO_REF[codigo])
      findings.push(
        finding(
          'referencias',
          at('codigo_ref'),
          'error',
          `El código de referencia (${at('codigo_ref')}) ${shown(ref.codigo_ref)} debe ser 1 (anula), 2 (corrige texto) o 3 (corrige montos).`,
        ),
      );
    else if (codigo === 2 && (parseAmount(dte.monto_total) as { value?: number }).value)
      findings.push(
        finding(
          'referencias',
          'monto_total',
          'warning',
          'Una nota que solo corrige texto (codigo_ref 2) normalmente tiene monto_total 0.',
        ),
      );
    if (typeof ref.razon_ref !== 'string' || !ref.razon_ref.trim())
      findings.push(
        finding(
          'referencias',
          at('razon_ref'),
          'warning',
          `Falta la razón de la referencia (${at('razon_ref')}); el receptor no sabrá por qué se modifica el documento.`,
        ),
      );
  }
  const first = taxRefs[0];
  const folio = parsePositiveInt(first.ref.folio_ref);
  return { ok: `La nota referencia el documento tipo ${first.tipo}${folio ? ` folio ${folio}` : ''}.`, findings };
}

function refDateFindings(dte: DteData, ref: Ref, field: string, ctx: RuleContext): Finding[] {
  if (isAbsent(ref.fecha_ref))
    return [finding('referencias', field, 'error', `Falta la fecha del documento referenciado (${field}).`)];
  const date = parseIsoDate(ref.fecha_ref);
  if (!date)
    return [
      finding(
        'referencias',
        field,
        'error',
        `La fecha del documento referenciado (${field}) ${shown(ref.fecha_ref)} no es una fecha válida (use AAAA-MM-DD).`,
      ),
    ];
  const emitted = parseIsoDate(dte.fecha_emision);
  if (emitted && date > emitted)
    return [
      finding(
        'referencias',
        field,
        'error',
        `El documento referenciado (${field} ${date}) es posterior a la nota (fecha_emision ${emitted}): una nota no puede modificar un documento emitido después.`,
      ),
    ];
  if (date > ctx.today)
    return [
      finding('referencias', field, 'error', `La fecha del documento referenciado (${field}) ${date} es futura.`),
    ];
  return [];
}
