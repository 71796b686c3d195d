import { join } from 'node:path';
import { relevantHits, toPassages } from '../../src/chat/prompt/knowledge-context';
import { loadKnowledgeBase } from '../../src/knowledge/loading/knowledge-loader';
import { KnowledgeIndex } from '../../src/knowledge/search/knowledge-index';
import { extractiveAnswer } from '../../src/llm/providers/extractive-answer';

/**
 * The offline answer on the real knowledge base, built the way a chat turn builds it (search →
 * relevant hits → passages → extractive answer): it leads with the best passage of the best
 * document, never with a heading or fragment alone, and lists the sources it used.
 */
const KB_DIR = join(__dirname, '..', '..', 'knowledge-base');

describe('offline answer over the real knowledge base', () => {
  let index: KnowledgeIndex;
  beforeAll(async () => {
    index = new KnowledgeIndex((await loadKnowledgeBase(KB_DIR)).documents);
  });
  const answer = (question: string) => {
    const hits = relevantHits(index.search(question, { topK: 3 }));
    return { text: extractiveAnswer(question, toPassages(hits)), hits };
  };
  const bullets = (text: string) => text.split('\n').filter((l) => l.startsWith('- '));

  it.each([
    ['quiero anular una factura que el SII ya aceptó', 'dte-anular-corregir-documento', /nota de crédito/i],
    ['me equivoqué en el monto de una factura ya aceptada', 'dte-anular-corregir-documento', /código 3|corrige/i],
    ['vendo servicios exentos de IVA, qué documento emito', 'dte-34-factura-exenta', /exent/i],
    ['cobrar intereses por atraso en el pago', 'dte-56-nota-debito', /intereses/i],
  ])('"%s" leads with %s and a sentence that answers it', (question, expected, content) => {
    const { text, hits } = answer(question);
    expect(hits[0].id).toBe(expected);
    const firstDocument = text.split('\n').find((l) => /^\*\*.+\*\*$/.test(l));
    expect(firstDocument).toBe(`**${hits[0].title}**`);
    const first = bullets(text)[0];
    expect(first).toMatch(content);
    // Never a lone heading such as "El documento aún no se envía al SII."
    for (const line of bullets(text)) {
      expect(line).not.toMatch(/^- (\d+\. )?El documento aún no se envía al SII\.?$/);
      expect(line.replace(/^- (\*[^*]+:\* )?/, '').length).toBeGreaterThanOrEqual(25);
    }
    expect(text).toContain('**Fuentes**');
    expect(text).toContain(`- ${hits[0].title}: ${hits[0].sources[0]}`);
  });
});
