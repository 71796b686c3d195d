import { BASE_PROMPT, ChatPlugin } from './chat-plugin';

export const PAYROLL_PLUGIN: ChatPlugin = {
  name: 'hr_payroll',
  description: 'Remuneraciones chilenas: liquidaciones de sueldo, cotizaciones previsionales, Previred',
  moduleHints: ['hr_payroll', 'l10n_cl_hr_payroll', 'hr', 'hr_contract'],
  keywords: [
    'liquidación de sueldo', 'liquidacion de sueldo', 'sueldo', 'sueldos', 'remuneración', 'remuneracion', 'remuneraciones',
    'nómina', 'nomina', 'afp', 'isapre', 'fonasa', 'previred', 'gratificación', 'gratificacion', 'imponible',
    'finiquito', 'vacaciones', 'horas extra', 'seguro de cesantía', 'seguro de cesantia', 'impuesto único', 'impuesto unico',
    'cotización previsional', 'cotizacion previsional', 'cotizaciones', 'empleado', 'empleados', 'trabajador',
    'trabajadores', 'contrato de trabajo', 'licencia médica', 'licencia medica', 'haberes', 'descuentos legales', 'uf', 'utm',
  ],
  knowledgeModules: ['hr_payroll', 'general'],
  systemPrompt: [
    BASE_PROMPT,
    'Especialidad: remuneraciones en Chile con Odoo: liquidaciones de sueldo, haberes imponibles y no imponibles,',
    'gratificación legal, cotizaciones de AFP, salud (Fonasa/Isapre) y seguro de cesantía, impuesto único de segunda categoría,',
    'topes imponibles en UF, archivo Previred, finiquitos y vacaciones. Indica siempre que los valores de UF, UTM y topes cambian',
    'periódicamente y deben verificarse en la fuente oficial.',
  ].join('\n'),
};
