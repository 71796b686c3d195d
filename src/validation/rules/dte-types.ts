/**
 * The electronic document types the SII defines (Res. Ex. SII N° 45/2003 and later), with what the
 * rules need to know about each.
 */
export interface DteType {
  code: number;
  name: string;
  /** 'afecto': IVA applies when there is a net amount; 'exento': never carries IVA. */
  tax: 'afecto' | 'exento';
  /** Boletas: receptor optional (consumidor final), lines are gross (IVA included). */
  boleta?: boolean;
  /** Credit/debit notes: must reference the document they modify. */
  note?: boolean;
  /** Export documents: foreign receptor, amounts may be in a foreign currency. */
  export?: boolean;
  /** Net amount and IVA are mandatory parts of the totals (not optional as in boletas and guías). */
  netMandatory?: boolean;
}

const TYPES: DteType[] = [
  { code: 33, name: 'Factura electrónica', tax: 'afecto', netMandatory: true },
  { code: 34, name: 'Factura no afecta o exenta electrónica', tax: 'exento' },
  { code: 39, name: 'Boleta electrónica', tax: 'afecto', boleta: true },
  { code: 41, name: 'Boleta exenta electrónica', tax: 'exento', boleta: true },
  { code: 43, name: 'Liquidación factura electrónica', tax: 'afecto', netMandatory: true },
  { code: 46, name: 'Factura de compra electrónica', tax: 'afecto', netMandatory: true },
  { code: 52, name: 'Guía de despacho electrónica', tax: 'afecto' },
  { code: 56, name: 'Nota de débito electrónica', tax: 'afecto', note: true },
  { code: 61, name: 'Nota de crédito electrónica', tax: 'afecto', note: true },
  { code: 110, name: 'Factura de exportación electrónica', tax: 'exento', export: true },
  { code: 111, name: 'Nota de débito de exportación electrónica', tax: 'exento', export: true, note: true },
  { code: 112, name: 'Nota de crédito de exportación electrónica', tax: 'exento', export: true, note: true },
];

export const DTE_TYPES: ReadonlyMap<number, DteType> = new Map(TYPES.map((t) => [t.code, t]));
export const DTE_TYPE_CODES = TYPES.map((t) => t.code);

/**
 * Tax documents a note may modify (TpoDocRef): the electronic ones above plus their paper
 * equivalents (30 factura, 32 factura exenta, 35 boleta, 38 boleta exenta, 40 liquidación,
 * 45 factura de compra, 50 guía, 55 nota de débito, 60 nota de crédito) and the export papers
 * (101, 102, 103, 104, 105, 106). References to non-tax documents (801 orden de compra, HES…)
 * may accompany them but do not count as "the document modified".
 */
export const MODIFIABLE_REF_TYPES = new Set([
  ...DTE_TYPE_CODES,
  30,
  32,
  35,
  38,
  40,
  45,
  50,
  55,
  60,
  101,
  102,
  103,
  104,
  105,
  106,
]);
export const EXPORT_REF_TYPES = new Set([110, 111, 112, 101, 102, 103, 104, 105, 106]);

/** Reference codes (CodRef): 1 anula, 2 corrige texto, 3 corrige montos. */
export const CODIGO_REF: Record<number, string> = { 1: 'anula documento', 2: 'corrige texto', 3: 'corrige montos' };
