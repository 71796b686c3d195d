/** Examples shown in Swagger (and reused by tests): RUTs with correct check digits. */
export const FACTURA_33_EXAMPLE = {
  dte_data: {
    tipo_dte: '33',
    folio: 12345,
    fecha_emision: '2026-03-10',
    rut_emisor: '76.086.428-5',
    razon_social_emisor: 'Comercial Los Andes SpA',
    rut_receptor: '96.790.240-3',
    razon_social_receptor: 'Distribuidora Pacífico Ltda.',
    monto_neto: 100000.0,
    monto_iva: 19000.0,
    monto_exento: 0,
    monto_total: 119000.0,
    items: [{ nombre: 'Servicio de mantención', cantidad: 1, precio_unitario: 100000, monto_item: 100000 }],
  },
  company_id: 1,
  history: [],
};

export const NOTA_CREDITO_61_EXAMPLE = {
  dte_data: {
    tipo_dte: 61,
    folio: 881,
    fecha_emision: '2026-03-15',
    rut_emisor: '76086428-5',
    rut_receptor: '96790240-3',
    monto_neto: 20000,
    monto_iva: 3800,
    monto_total: 23800,
    referencias: [
      {
        tipo_doc_ref: 33,
        folio_ref: 12345,
        fecha_ref: '2026-03-10',
        codigo_ref: 3,
        razon_ref: 'Descuento por volumen no aplicado',
      },
    ],
  },
  company_id: 1,
  history: [{ folio: 870, tipo_dte: 61, motivo: 'Referencia a folio inexistente', fecha: '2026-02-02' }],
};

/** Odoo's older client: the DTE itself as the body, `tipo` for `tipo_dte`, `iva` for `monto_iva`. */
export const BARE_BODY_EXAMPLE = {
  tipo: 33,
  folio: 12346,
  fecha_emision: '2026-03-11',
  rut_emisor: '76086428-5',
  rut_receptor: '96790240-3',
  monto_neto: 50000,
  iva: 9500,
  monto_total: 59500,
};
