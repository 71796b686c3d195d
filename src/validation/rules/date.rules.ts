import { addMonths } from '../../common/chile-time';
import { isAbsent, parseIsoDate } from './parse-values';
import { DteData, finding, RuleContext, RuleOutcome, shown } from './rule.types';

/**
 * Emission window. A DTE cannot be dated after today (Chile's calendar). Electronic invoicing began
 * in 2003, so an earlier date is an error. Older than 6 months is legal but suspicious: a factura's
 * CAF (folio authorisation) is valid for 6 months and the IVA credit of an old document may already
 * be out of its period, so it goes to review.
 */
const OLD_AFTER_MONTHS = 6;
const DTE_EPOCH = '2003-01-01';

export function checkFechaEmision(dte: DteData, ctx: RuleContext): RuleOutcome {
  const ok = 'La fecha de emisión (fecha_emision) es válida y está dentro del plazo.';
  if (isAbsent(dte.fecha_emision))
    return {
      ok,
      findings: [finding('fecha_emision', 'fecha_emision', 'error', 'Falta la fecha de emisión (fecha_emision).')],
    };
  const date = parseIsoDate(dte.fecha_emision);
  if (!date)
    return {
      ok,
      findings: [
        finding(
          'fecha_emision',
          'fecha_emision',
          'error',
          `La fecha de emisión (fecha_emision) ${shown(dte.fecha_emision)} no es una fecha válida (use AAAA-MM-DD).`,
        ),
      ],
    };
  if (date > ctx.today)
    return {
      ok,
      findings: [
        finding(
          'fecha_emision',
          'fecha_emision',
          'error',
          `La fecha de emisión (fecha_emision) ${date} es futura; hoy es ${ctx.today} en Chile.`,
        ),
      ],
    };
  if (date < DTE_EPOCH)
    return {
      ok,
      findings: [
        finding(
          'fecha_emision',
          'fecha_emision',
          'error',
          `La fecha de emisión (fecha_emision) ${date} es anterior al inicio de la facturación electrónica (2003).`,
        ),
      ],
    };
  if (date < addMonths(ctx.today, -OLD_AFTER_MONTHS))
    return {
      ok,
      findings: [
        finding(
          'fecha_emision',
          'fecha_emision',
          'warning',
          `La fecha de emisión (fecha_emision) ${date} tiene más de ${OLD_AFTER_MONTHS} meses; verifique la vigencia del CAF y el período tributario.`,
        ),
      ],
    };
  return { ok: `La fecha de emisión ${date} es válida.`, findings: [] };
}
