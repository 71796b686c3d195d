import { isAbsent, parsePositiveInt } from './parse-values';
import { DTE_TYPE_CODES, DTE_TYPES, DteType } from './dte-types';
import { formatRut, parseRut, RUT_CONSUMIDOR_FINAL, RUT_EXTRANJERO } from './rut';
import { DteData, finding, RuleOutcome, shown } from './rule.types';

/** The document type, or null when missing/unknown (the other rules then skip type-specific parts). */
export function dteType(dte: DteData): DteType | null {
  const code = parsePositiveInt(dte.tipo_dte);
  return code === null ? null : (DTE_TYPES.get(code) ?? null);
}

export function checkTipoDte(dte: DteData): RuleOutcome {
  const ok = 'El tipo de documento (tipo_dte) es un código válido del SII.';
  if (isAbsent(dte.tipo_dte))
    return { ok, findings: [finding('tipo_dte', 'tipo_dte', 'error', 'Falta el tipo de documento (tipo_dte).')] };
  const type = dteType(dte);
  if (!type)
    return {
      ok,
      findings: [
        finding(
          'tipo_dte',
          'tipo_dte',
          'error',
          `El tipo de documento (tipo_dte) ${shown(dte.tipo_dte)} no es un DTE válido; los códigos admitidos son ${DTE_TYPE_CODES.join(', ')}.`,
        ),
      ],
    };
  return { ok: `El tipo de documento (tipo_dte) ${type.code} corresponde a ${type.name}.`, findings: [] };
}

/** Folios are positive integers of at most 10 digits (the SII's F element). */
export function checkFolio(dte: DteData): RuleOutcome {
  const ok = 'El folio es un entero positivo.';
  if (isAbsent(dte.folio))
    return { ok, findings: [finding('folio', 'folio', 'error', 'Falta el folio del documento (folio).')] };
  const folio = parsePositiveInt(dte.folio);
  if (folio === null || folio > 9_999_999_999)
    return {
      ok,
      findings: [
        finding(
          'folio',
          'folio',
          'error',
          `El folio (folio) ${shown(dte.folio)} debe ser un entero positivo de hasta 10 dígitos.`,
        ),
      ],
    };
  return { ok: `El folio ${folio} es válido.`, findings: [] };
}

function rutFinding(field: 'rut_emisor' | 'rut_receptor', who: string, value: unknown) {
  const parsed = parseRut(value);
  if (parsed.ok) return null;
  if (parsed.reason === 'dv')
    return finding(
      field,
      field,
      'error',
      `El RUT del ${who} (${field}) ${shown(value)} tiene dígito verificador incorrecto: el correcto es ${formatRut(parsed.body, parsed.expectedDv)}.`,
    );
  return finding(
    field,
    field,
    'error',
    `El RUT del ${who} (${field}) ${shown(value)} no tiene un formato válido (p. ej. 76.086.428-5 o 76086428-5).`,
  );
}

export function checkRutEmisor(dte: DteData): RuleOutcome {
  const ok = 'El RUT del emisor (rut_emisor) tiene formato y dígito verificador válidos.';
  if (isAbsent(dte.rut_emisor))
    return { ok, findings: [finding('rut_emisor', 'rut_emisor', 'error', 'Falta el RUT del emisor (rut_emisor).')] };
  const f = rutFinding('rut_emisor', 'emisor', dte.rut_emisor);
  return { ok, findings: f ? [f] : [] };
}

/**
 * Boletas may omit the receptor (consumidor final, 66.666.666-6); naming a real one is legal but
 * suspicious (the buyer may have needed a factura). Exports name the foreign buyer with 55.555.555-5.
 */
export function checkRutReceptor(dte: DteData): RuleOutcome {
  const ok = 'El RUT del receptor (rut_receptor) tiene formato y dígito verificador válidos.';
  const type = dteType(dte);
  if (isAbsent(dte.rut_receptor)) {
    if (type?.boleta) return { ok: 'Boleta sin receptor identificado (consumidor final).', findings: [] };
    return {
      ok,
      findings: [finding('rut_receptor', 'rut_receptor', 'error', 'Falta el RUT del receptor (rut_receptor).')],
    };
  }
  const f = rutFinding('rut_receptor', 'receptor', dte.rut_receptor);
  if (f) return { ok, findings: [f] };
  const rut = (parseRut(dte.rut_receptor) as { normalized: string }).normalized;
  if (type?.boleta && rut !== RUT_CONSUMIDOR_FINAL)
    return {
      ok,
      findings: [
        finding(
          'rut_receptor',
          'rut_receptor',
          'warning',
          `La boleta identifica un receptor (rut_receptor ${shown(dte.rut_receptor)}); si el comprador es contribuyente y necesita crédito fiscal, corresponde emitir factura.`,
        ),
      ],
    };
  if (type?.export && rut !== RUT_EXTRANJERO)
    return {
      ok,
      findings: [
        finding(
          'rut_receptor',
          'rut_receptor',
          'warning',
          `En documentos de exportación el receptor extranjero se informa con RUT 55.555.555-5; rut_receptor es ${shown(dte.rut_receptor)}.`,
        ),
      ],
    };
  return { ok, findings: [] };
}

/**
 * Emisor and receptor must differ, except in a guía de despacho (52) for a transfer that is not a
 * sale: traslado interno (ind_traslado 5) or otros traslados no venta (6). Boletas to oneself are
 * legal but odd (autoconsumo), so a warning.
 */
export function checkEmisorReceptor(dte: DteData): RuleOutcome {
  const ok = 'El emisor y el receptor son contribuyentes distintos.';
  if (isAbsent(dte.rut_receptor) && dteType(dte)?.boleta)
    return { ok: 'Boleta a consumidor final: sin receptor identificado.', findings: [] };
  const emisor = parseRut(dte.rut_emisor);
  const receptor = parseRut(dte.rut_receptor);
  if (!emisor.ok || !receptor.ok)
    return { ok, findings: [], skipped: 'No evaluado: falta un RUT válido de emisor o receptor.' };
  if (emisor.normalized !== receptor.normalized) return { ok, findings: [] };
  const type = dteType(dte);
  if (type?.code === 52) {
    const ind = parsePositiveInt(dte.ind_traslado);
    if (ind !== null && ind !== 5 && ind !== 6)
      return {
        ok,
        findings: [
          finding(
            'emisor_receptor',
            'rut_receptor',
            'warning',
            `Guía de despacho con emisor igual al receptor, pero ind_traslado ${ind} no es traslado interno (5) ni otro traslado no venta (6).`,
          ),
        ],
      };
    return { ok: 'Guía de despacho de traslado interno: emisor y receptor pueden coincidir.', findings: [] };
  }
  if (type?.boleta)
    return {
      ok,
      findings: [
        finding(
          'emisor_receptor',
          'rut_receptor',
          'warning',
          'La boleta tiene el mismo RUT como emisor y receptor (rut_receptor); verifique si es autoconsumo.',
        ),
      ],
    };
  return {
    ok,
    findings: [
      finding(
        'emisor_receptor',
        'rut_receptor',
        'error',
        `El RUT del receptor (rut_receptor) es igual al del emisor (rut_emisor); ${type ? `un documento tipo ${type.code}` : 'este documento'} no puede emitirse al propio emisor.`,
      ),
    ],
  };
}
