import { DEFAULT_PLUGIN } from './default.plugin';
import { SPECIALIZED_PLUGINS } from './plugin-registry';
import { keywordScore, normalizeText, selectPlugin } from './plugin-scoring';

const pick = (message: string, hint?: string) => selectPlugin(message, hint, SPECIALIZED_PLUGINS, DEFAULT_PLUGIN);

describe('selectPlugin', () => {
  it.each([
    // message, hint, plugin, reason
    ['¿Cómo genero un DTE 33?', undefined, 'l10n_cl_dte', 'keywords'],
    ['¿Cómo anulo una nota de credito?', undefined, 'l10n_cl_dte', 'keywords'],
    ['Necesito cargar un CAF de folios', undefined, 'l10n_cl_dte', 'keywords'],
    ['¿Cómo calculo la gratificación de un trabajador?', undefined, 'hr_payroll', 'keywords'],
    ['liquidacion de sueldo con AFP e isapre', undefined, 'hr_payroll', 'keywords'],
    ['¿Cómo hago la conciliación bancaria?', undefined, 'account', 'keywords'],
    ['¿Dónde veo el asiento contable del pago?', undefined, 'account', 'keywords'],
    ['¿Cómo hago un ajuste de inventario en la bodega?', undefined, 'stock', 'keywords'],
    ['Crear una orden de compra a un proveedor', undefined, 'stock', 'keywords'],
    ['Hola, ¿cómo estás?', undefined, 'default', 'default'],
    ['Hola, ¿cómo estás?', 'l10n_cl_dte', 'l10n_cl_dte', 'module_hint'],
    ['¿Cómo genero un DTE 33?', 'hr_payroll', 'hr_payroll', 'module_hint'],
    ['¿Qué es esto?', 'account', 'account', 'module_hint'],
    ['¿Qué es esto?', 'sale', 'account', 'module_hint'],
    ['¿Qué es esto?', 'purchase', 'stock', 'module_hint'],
    ['¿Qué es esto?', 'stock', 'stock', 'module_hint'],
    ['¿Qué es esto?', 'STOCK', 'stock', 'module_hint'],
    ['¿Qué es esto?', 'project', 'default', 'default'],
    ['¿Qué es esto?', 'general', 'default', 'default'],
    ['¿Cómo emito una factura electrónica?', 'general', 'l10n_cl_dte', 'keywords'],
    ['¿Cómo emito una factura electrónica?', 'unknown_module', 'l10n_cl_dte', 'keywords'],
  ])('%p with hint %p → %p (%p)', (message, hint, plugin, reason) => {
    const s = pick(message, hint);
    expect(s.plugin.name).toBe(plugin);
    expect(s.reason).toBe(reason);
  });
});

describe('keywordScore', () => {
  it.each([
    ['NOTA DE CRÉDITO', ['nota de credito'], 3],
    ['nota de credito', ['nota de crédito'], 3],
    ['guias de despacho', ['guía de despacho'], 3],
    ['facturas', ['factura'], 1],
    ['facturación', ['factura'], 0],
    ['sii sii sii', ['sii'], 1],
    ['', ['sii'], 0],
    ['caffeine', ['caf'], 0],
  ])('%p with %p scores %p', (message, keywords, score) => expect(keywordScore(message, keywords)).toBe(score));

  it('normalizes accents, case and punctuation', () =>
    expect(normalizeText('¿Guía de DESPACHO?')).toBe('guia de despacho'));

  it('every plugin lists its accented keywords also without accents', () => {
    for (const plugin of SPECIALIZED_PLUGINS) {
      const plain = new Set(plugin.keywords.map((k) => k.toLowerCase()));
      for (const k of plugin.keywords) {
        if (/[áéíóúñ]/i.test(k)) expect(plain.has(normalizeText(k))).toBe(true);
      }
    }
  });
});
