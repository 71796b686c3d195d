/**
 * How much each analysed query term counts, on top of MiniSearch's BM25 (passed as its
 * `boostTerm`). Accountants write the action they want and the state the document is in —
 * "anular una factura que el SII ya aceptó" — and the action is what picks the document: the
 * state words ("aceptada", "SII", "factura") appear in many documents and, with a title or tag
 * hit, used to outweigh the intent. Three small rules, each a pure function of the term:
 *
 * - intent words (anular, corregir, reclamar, cobrar…) count double;
 * - state words (aceptada, enviada…) count half: they say where the document is, not what to do;
 * - a term found in many documents counts less (it tells documents apart poorly): BM25's IDF
 *   already lowers it, but a title or tag hit (×3, ×2.5) multiplies it back up.
 */

/** Stems (Snowball Spanish, accent-folded) of verbs and nouns that name what the user wants done. */
const INTENT_STEMS: ReadonlySet<string> = new Set([
  'anul', // anular, anulo, anulación
  'correg', // corregir
  'corrij', // corrijo
  'equivoc', // equivocado
  'equivoqu', // me equivoqué
  'error',
  'reclam', // reclamar, reclamo
  'cobr', // cobrar, cobrarle, cobro
  'rebaj', // rebajar
  'devolv', // devolver
  'devolucion',
  'reten', // retener, retención
  'reteng', // retengo
  'retencion',
  'venc', // vencen, vence
  'import', // importar, importación
  'intereses',
  'interes',
  'mor', // mora
  'atras', // atraso
  'flet', // flete
]);

/** Stems that describe a document's state rather than the task. */
const STATE_STEMS: ReadonlySet<string> = new Set(['acept', 'aceptad', 'envi', 'emitid', 'recib']);

export const INTENT_WEIGHT = 2;
export const STATE_WEIGHT = 0.4;

/**
 * Share of the documents that contain a term → its weight: up to a quarter of the base, 1; up to
 * half, 0.75; more than half, 0.5 ("factura", "IVA" and "Odoo" are in most documents).
 */
export function coverageWeight(documentsWithTerm: number, documentCount: number): number {
  if (!documentCount || !documentsWithTerm) return 1;
  const share = documentsWithTerm / documentCount;
  return share > 0.5 ? 0.5 : share > 0.25 ? 0.75 : 1;
}

export function termWeight(term: string, documentsWithTerm: number, documentCount: number): number {
  const role = INTENT_STEMS.has(term) ? INTENT_WEIGHT : STATE_STEMS.has(term) ? STATE_WEIGHT : 1;
  return role * coverageWeight(documentsWithTerm, documentCount);
}
