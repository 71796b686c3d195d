import { BASE_PROMPT, ChatPlugin } from './chat-plugin';

export const DEFAULT_PLUGIN: ChatPlugin = {
  name: 'default',
  description: 'Asistente general de Odoo y facturación electrónica chilena',
  // `general` and `project` hints name no specialization: keyword scoring decides, then this plugin.
  moduleHints: [],
  keywords: [],
  knowledgeModules: undefined,
  systemPrompt: [
    BASE_PROMPT,
    'Especialidad: orientación general sobre Odoo y la facturación electrónica chilena. Si la pregunta corresponde a un área',
    'específica (DTE, contabilidad, remuneraciones, inventario o compras), respóndela igualmente con lo que sepas.',
  ].join('\n'),
};
