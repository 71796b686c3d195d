import { cutString } from '../../common/bounded-json';
import { dteCodeInLabel, dteTypeName } from './dte-document-types';
import {
  DOCUMENT_TYPE_KEYS,
  FIELD_RULES,
  FieldRule,
  MODEL_LABELS,
  MOVE_TYPES,
  NOISE_FIELD,
  STATES,
} from './record-fields';

export interface RecordSummaryOptions {
  /** Odoo model of the record (`account.move`…), when known. */
  model?: string;
  /** Hard cap on the summary's length (~4 characters per token). */
  maxChars?: number;
  /** How many fields outside the known list may be added when room remains. */
  maxExtraFields?: number;
}

export const RECORD_SUMMARY_MAX_CHARS = 1400;
const MAX_VALUE_CHARS = 80;
/** Fields beyond the known ones looked at, at most (an Odoo record sends a few hundred). */
const MAX_FIELDS_EXAMINED = 1000;
/** Longer keys are not Odoo field names (and are never matched against NOISE_FIELD). */
const MAX_KEY_CHARS = 64;
const NUMBER = new Intl.NumberFormat('es-CL', { maximumFractionDigits: 2 });

/**
 * A bounded, relevant digest of the record open in Odoo (the wizard sends every field, often
 * hundreds): document type with its SII name, number/folio, partner, amounts, state and dates
 * first, then a few other short fields while room remains. Pure; never longer than `maxChars`.
 */
export function summarizeRecord(record: Record<string, unknown>, options: RecordSummaryOptions = {}): string {
  const maxChars = options.maxChars ?? RECORD_SUMMARY_MAX_CHARS;
  const lines: string[] = [];
  const used = new Set<string>();
  let length = 0;
  const push = (line: string) => {
    const bounded = line.length > 200 ? `${line.slice(0, 199)}…` : line;
    if (length + bounded.length + 1 > maxChars) return false;
    lines.push(bounded);
    length += bounded.length + 1;
    return true;
  };

  if (options.model) push(`Modelo: ${MODEL_LABELS[options.model] ?? options.model} (${options.model})`);
  const docType = documentType(record, used);
  if (docType) push(`Tipo de documento: ${docType}`);

  const currency = displayValue(record.currency_id);
  for (const rule of FIELD_RULES) {
    const key = rule.keys.find((k) => !used.has(k) && displayValue(record[k]) !== undefined);
    if (!key) continue;
    rule.keys.forEach((k) => used.add(k));
    push(`${rule.label}: ${formatValue(rule, record[key], currency)}`);
  }

  let extras = 0;
  let examined = 0;
  for (const key in record) {
    // A record has a few hundred fields; past that the rest is not worth the time to look at.
    if (extras >= (options.maxExtraFields ?? 8) || ++examined > MAX_FIELDS_EXAMINED) break;
    if (!Object.hasOwn(record, key)) continue;
    const value = record[key];
    if (used.has(key) || key.length > MAX_KEY_CHARS || NOISE_FIELD.test(key) || typeof value === 'boolean') continue;
    const shown = displayValue(value);
    if (shown === undefined) continue;
    if (push(`${key}: ${shown}`)) extras++;
  }
  return lines.join('\n');
}

/** "Factura Electrónica (DTE 33)" from whichever field carries the type. */
function documentType(record: Record<string, unknown>, used: Set<string>): string | undefined {
  for (const key of DOCUMENT_TYPE_KEYS) {
    const value = record[key];
    const label = displayValue(value);
    if (label === undefined) continue;
    DOCUMENT_TYPE_KEYS.forEach((k) => used.add(k));
    const code = dteTypeName(label) ? String(label).trim() : dteCodeInLabel(label);
    const codeField = record.l10n_latam_document_type_code ?? record.document_type_code;
    const finalCode = code ?? (dteTypeName(codeField) ? String(codeField) : undefined);
    if (finalCode) return `${dteTypeName(finalCode)} (DTE ${finalCode.replace(/^0+/, '')})`;
    return label;
  }
  return undefined;
}

function formatValue(rule: FieldRule, value: unknown, currency?: string): string {
  const shown = displayValue(value)!;
  if (rule.kind === 'amount') {
    const n = toNumber(value);
    if (n !== undefined) return `${NUMBER.format(n)}${currency ? ` ${currency}` : ''}`;
  }
  if (rule.kind === 'state') return STATES[shown] ? `${STATES[shown]} (${shown})` : shown;
  if (rule.keys[0] === 'move_type') return MOVE_TYPES[shown] ? `${MOVE_TYPES[shown]} (${shown})` : shown;
  return shown;
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.length <= 40 && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return undefined;
}

/**
 * The short text of a value as Odoo sends it: many2one `{id, name}` (or `[id, name]`) → name;
 * `false`, empty and id lists → nothing; long text → cut.
 */
export function displayValue(value: unknown): string | undefined {
  if (value === null || value === undefined || value === false || value === '') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? NUMBER.format(value) : undefined;
  if (typeof value === 'string') return clip(value);
  if (value === true) return 'sí';
  if (Array.isArray(value)) {
    if (value.length === 2 && typeof value[0] === 'number' && typeof value[1] === 'string') return clip(value[1]);
    return undefined;
  }
  if (typeof value === 'object') {
    const named = (value as Record<string, unknown>).display_name ?? (value as Record<string, unknown>).name;
    return typeof named === 'string' && named.trim() ? clip(named) : undefined;
  }
  return undefined;
}

/**
 * A value's text as shown: markup and runs of whitespace flattened, at most MAX_VALUE_CHARS. The
 * input is cut first (a value may be a whole megabyte), so the regexes only ever see a few hundred
 * characters; the tag pattern cannot start over inside a tag (`[^<>]`), so it is linear anyway.
 */
function clip(text: string): string | undefined {
  const flat = cutString(text, MAX_VALUE_CHARS * 4)
    .replace(/<[^<>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!flat) return undefined;
  return flat.length > MAX_VALUE_CHARS ? `${flat.slice(0, MAX_VALUE_CHARS - 1)}…` : flat;
}
