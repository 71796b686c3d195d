import { Transform } from 'class-transformer';

/** Odoo sends Python's False/None (and sometimes '') for fields it has no value for: read as absent. */
export const OdooEmptyAsAbsent = () =>
  Transform(({ value }: { value: unknown }) => (value === false || value === null || value === '' ? undefined : value));
