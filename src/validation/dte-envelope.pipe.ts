import { Injectable, PipeTransform } from '@nestjs/common';
import { validateSync } from 'class-validator';
import { boundJson, JsonBudget } from '../common/bounded-json';
import { DomainError, ErrorCode } from '../common/domain-error';
import { RequestValidationError } from '../common/request-validation.error';
import { ValidateRequestDto } from './dto/validate.request.dto';
import { MAX_LIST_ITEMS } from './rules/rule.types';

/** What the controller receives: a well-formed envelope with a normalised `dte_data`. */
export interface DteEnvelope {
  dte_data: Record<string, unknown>;
  /** null only for the older client's bare body, which carries no company. */
  company_id: number | null;
  history: unknown[];
  /** True when the DTE came bare (Odoo's older AIApiClient). */
  bare: boolean;
}

/** Top-level keys that mark a body with no `dte_data` as a bare DTE. */
const DTE_FIELD_KEYS = [
  'tipo_dte',
  'tipo',
  'folio',
  'fecha_emision',
  'rut_emisor',
  'rut_receptor',
  'razon_social_emisor',
  'monto_neto',
  'monto_iva',
  'iva',
  'monto_exento',
  'monto_total',
  'referencias',
  'items',
];
/** Every field the rules or the LLM summary read by name: kept whatever else the DTE carries. */
const READ_FIELDS = new Set([
  ...DTE_FIELD_KEYS,
  'giro_emisor',
  'razon_social_receptor',
  'giro_receptor',
  'monto_otros_impuestos',
  'impuestos_adicionales',
  'iva_retenido',
  'moneda',
  'tipo_moneda',
  'ind_traslado',
  'forma_pago',
]);

/**
 * What of `dte_data` and `history` the rules, the cache key and the LLM summary ever see. Far above
 * any real DTE (the SII's own text fields are at most 1000 characters), so a real document is
 * untouched; a list keeps one element past MAX_LIST_ITEMS so the rules can tell it was longer.
 */
const DTE_BUDGET: JsonBudget = {
  maxStringChars: 1000,
  maxKeyChars: 100,
  maxArrayItems: MAX_LIST_ITEMS + 1,
  maxObjectKeys: 100,
  maxDepth: 8,
  alwaysKeep: READ_FIELDS,
};

/** Aliases Odoo's clients use, renamed to the documented names (docs/api.md) when those are absent. */
const ALIASES: Record<string, string> = { tipo: 'tipo_dte', iva: 'monto_iva' };

const isPlainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const MISSING_DTE =
  'El campo "dte_data" es obligatorio: envíe {"dte_data": {...}, "company_id": N, "history": []} o el DTE como objeto JSON.';

/**
 * Splits the body into envelope and DTE. With a `dte_data` key it is the envelope (other top-level
 * keys are ignored: a 400 would make Odoo, which fails open, accept the DTE unchecked). Without one,
 * a body carrying DTE fields is the DTE itself; a top-level `company_id` (positive integer) and
 * `history` (list) are then read as the envelope's, anything else stays in the DTE.
 */
function splitEnvelope(body: unknown): { raw: Record<string, unknown>; bare: boolean } {
  if (!isPlainObject(body)) throw new DomainError(ErrorCode.INVALID_REQUEST, MISSING_DTE, { field: 'dte_data' });
  if ('dte_data' in body)
    return { raw: { dte_data: body.dte_data, company_id: body.company_id, history: body.history }, bare: false };
  if (!DTE_FIELD_KEYS.some((k) => k in body))
    throw new DomainError(ErrorCode.INVALID_REQUEST, MISSING_DTE, { field: 'dte_data' });
  const { company_id, history, ...rest } = body;
  const dte: Record<string, unknown> = { ...rest };
  const raw: Record<string, unknown> = { dte_data: dte };
  if (company_id !== undefined) {
    if (positiveIntLike(company_id)) raw.company_id = company_id;
    else dte.company_id = company_id;
  }
  if (history !== undefined) {
    if (Array.isArray(history)) raw.history = history;
    else dte.history = history;
  }
  return { raw, bare: true };
}

const positiveIntLike = (v: unknown) =>
  (typeof v === 'number' && Number.isInteger(v) && v > 0) || (typeof v === 'string' && /^[1-9]\d{0,15}$/.test(v));

/** Renames aliases (`tipo`, `iva`) when the documented field is absent; every other key is kept as sent. */
function normaliseDteData(dte: Record<string, unknown>): Record<string, unknown> {
  const out = { ...dte };
  for (const [alias, name] of Object.entries(ALIASES)) {
    if (alias in out && (out[name] === undefined || out[name] === null)) {
      out[name] = out[alias];
      delete out[alias];
    }
  }
  return out;
}

/**
 * Runs on POST /api/ai/validate only, where the route's body is declared untyped so the global
 * (strict) ValidationPipe lets it through: normalises the bare body first, then validates the
 * envelope with the same class-validator DTO and the same Spanish 400s naming the field.
 */
@Injectable()
export class DteEnvelopePipe implements PipeTransform<unknown, DteEnvelope> {
  transform(body: unknown): DteEnvelope {
    const { raw, bare } = splitEnvelope(body);
    if (typeof raw.company_id === 'string' && positiveIntLike(raw.company_id)) raw.company_id = Number(raw.company_id);
    // Only the envelope's own keys are copied: class-transformer would walk the open dte_data and
    // crash on keys such as "constructor", and this pipe never reads the transformed values anyway.
    const dto = Object.assign(new ValidateRequestDto(), {
      dte_data: raw.dte_data,
      company_id: raw.company_id,
      history: raw.history,
    });
    // The older client's bare body carries no company: there company_id is checked only when present.
    const errors = validateSync(dto, { stopAtFirstError: true, forbidUnknownValues: false }).filter(
      (e) => !(bare && e.property === 'company_id' && raw.company_id === undefined),
    );
    if (errors.length) throw new RequestValidationError(errors);
    // The values themselves come from the parsed body, untouched by class-transformer.
    // Everything later (rules, cache key, prompt) reads a bounded copy, whatever size was sent.
    return {
      dte_data: normaliseDteData(boundJson(raw.dte_data, DTE_BUDGET) as Record<string, unknown>),
      company_id: (raw.company_id as number | undefined) ?? null,
      history: boundJson(raw.history ?? [], { ...DTE_BUDGET, alwaysKeep: undefined }) as unknown[],
      bare,
    };
  }
}
