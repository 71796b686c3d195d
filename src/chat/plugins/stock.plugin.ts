import { BASE_PROMPT, ChatPlugin } from './chat-plugin';

export const STOCK_PLUGIN: ChatPlugin = {
  name: 'stock',
  description: 'Inventario y compras: bodegas, transferencias, guías de despacho, órdenes de compra',
  moduleHints: ['stock', 'purchase', 'purchase_stock', 'stock_account', 'mrp'],
  keywords: [
    'inventario', 'stock', 'bodega', 'bodegas', 'almacén', 'almacen', 'producto', 'productos', 'transferencia',
    'recepción', 'recepcion', 'entrega', 'despacho', 'orden de compra', 'ordenes de compra', 'órdenes de compra', 'compra',
    'compras', 'proveedor', 'proveedores', 'lote', 'lotes', 'número de serie', 'numero de serie', 'ajuste de inventario',
    'reabastecimiento', 'valorización', 'valorizacion', 'existencias', 'ubicación', 'ubicacion',
  ],
  knowledgeModules: ['stock', 'purchase', 'l10n_cl_dte', 'general'],
  systemPrompt: [
    BASE_PROMPT,
    'Especialidad: inventario y compras en Odoo: solicitudes de presupuesto y órdenes de compra, recepciones y entregas,',
    'bodegas y ubicaciones, lotes y números de serie, ajustes y valorización de inventario, y la guía de despacho',
    'electrónica (DTE 52) que acompaña el traslado de mercaderías, incluido su indicador de traslado.',
  ].join('\n'),
};
