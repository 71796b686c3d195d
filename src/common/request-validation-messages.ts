import { ValidationError } from 'class-validator';

export interface FieldProblem {
  field: string;
  constraint: string;
  message: string;
}

/**
 * Which broken rule to report when a field breaks several: presence first, then type, then range
 * or format — "es obligatorio" says more about a missing field than "admite como máximo 500".
 */
const CONSTRAINT_PRIORITY = [
  'whitelistValidation',
  'isDefined',
  'isNotEmpty',
  'isString',
  'isInt',
  'isNumber',
  'isBoolean',
  'isObject',
  'isArray',
  'minLength',
  'arrayNotEmpty',
  'min',
  'isPositive',
  'max',
  'maxLength',
  'arrayMaxSize',
  'isIn',
  'isUrl',
  'matches',
];
const rank = (constraint: string) => {
  const i = CONSTRAINT_PRIORITY.indexOf(constraint);
  return i === -1 ? CONSTRAINT_PRIORITY.length : i;
};

/** The most fundamental of a field's broken constraints; a missing value is always "obligatorio". */
export function pickConstraint(constraints: Record<string, string>, value?: unknown): [string, string] | null {
  const entries = Object.entries(constraints);
  if (!entries.length) return null;
  if ((value === undefined || value === null) && !('whitelistValidation' in constraints))
    return ['isDefined', entries[0][1]];
  return entries.sort(([a], [b]) => rank(a) - rank(b))[0];
}

/** Depth-first: the first field with a broken constraint, with its dotted path. */
export function firstProblem(errors: ValidationError[], parent = ''): FieldProblem | null {
  for (const e of errors) {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const picked = pickConstraint(e.constraints ?? {}, e.value);
    if (picked) {
      const [constraint, message] = picked;
      return { field, constraint, message };
    }
    const nested = firstProblem(e.children ?? [], field);
    if (nested) return nested;
  }
  return null;
}

export function allMessages(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => (parent ? `${field}: ${m}` : m));
    return [...own, ...allMessages(e.children ?? [], field)];
  });
}

const num = (message: string) => message.match(/-?\d+(\.\d+)?/)?.[0] ?? '';

/** A Spanish sentence naming the field, for the `detail` Odoo shows to its user. */
export function spanishDetail({ field, constraint, message }: FieldProblem): string {
  const f = `El campo "${field}"`;
  switch (constraint) {
    case 'whitelistValidation':
      return `${f} no está permitido en esta solicitud.`;
    case 'isDefined':
    case 'isNotEmpty':
      return `${f} es obligatorio y no puede estar vacío.`;
    case 'isString':
      return `${f} debe ser texto.`;
    case 'isInt':
      return `${f} debe ser un número entero.`;
    case 'isNumber':
      return `${f} debe ser un número.`;
    case 'isBoolean':
      return `${f} debe ser verdadero o falso.`;
    case 'isObject':
      return `${f} debe ser un objeto JSON.`;
    case 'isArray':
      return `${f} debe ser una lista.`;
    case 'min':
      return `${f} debe ser mayor o igual a ${num(message)}.`;
    case 'max':
      return `${f} debe ser menor o igual a ${num(message)}.`;
    case 'isPositive':
      return `${f} debe ser un número positivo.`;
    case 'minLength':
      return `${f} debe tener al menos ${num(message)} caracteres.`;
    case 'maxLength':
      return `${f} admite como máximo ${num(message)} caracteres.`;
    case 'arrayMaxSize':
      return `${f} admite como máximo ${num(message)} elementos.`;
    case 'isIn':
      return `${f} tiene un valor no admitido (${message.replace(/^.*following values: /, 'valores: ')}).`;
    case 'matches':
      return `${f} tiene un formato inválido.`;
    case 'isUrl':
      return `${f} debe ser una URL válida.`;
    default:
      return `${f} no es válido (${message}).`;
  }
}
