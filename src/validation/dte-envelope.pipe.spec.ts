import { DomainError } from '../common/domain-error';
import { DteEnvelopePipe } from './dte-envelope.pipe';

const pipe = new DteEnvelopePipe();
const detailOf = (body: unknown) => {
  try {
    pipe.transform(body);
  } catch (e) {
    return { field: (e as DomainError).extra.field, detail: (e as DomainError).detail };
  }
  throw new Error('expected a 400');
};

describe('validate envelope', () => {
  it("reads Odoo's envelope and keeps every extra key of dte_data", () => {
    const out = pipe.transform({
      dte_data: { tipo_dte: '33', x_custom: { a: 1 } },
      company_id: 7,
      history: [{ folio: 1 }],
    });
    expect(out).toEqual({
      dte_data: { tipo_dte: '33', x_custom: { a: 1 } },
      company_id: 7,
      history: [{ folio: 1 }],
      bare: false,
    });
  });

  it('reads a bare DTE as dte_data, with tipo and iva aliases renamed', () => {
    const out = pipe.transform({ tipo: 33, folio: 5, iva: 1900, rut_emisor: '76086428-5', extra: true });
    expect(out).toEqual({
      dte_data: { tipo_dte: 33, folio: 5, monto_iva: 1900, rut_emisor: '76086428-5', extra: true },
      company_id: null,
      history: [],
      bare: true,
    });
  });

  it('keeps the alias as an extra key when the contract name is also present', () => {
    expect(pipe.transform({ dte_data: { tipo_dte: 61, tipo: 'nc' }, company_id: 1 }).dte_data).toEqual({
      tipo_dte: 61,
      tipo: 'nc',
    });
  });

  it('lifts company_id and history from a bare body, leaving odd ones inside the DTE', () => {
    expect(pipe.transform({ folio: 1, company_id: 3, history: [] })).toMatchObject({
      company_id: 3,
      history: [],
      dte_data: { folio: 1 },
    });
    expect(pipe.transform({ folio: 1, company_id: [3, 'ACME'] })).toMatchObject({
      company_id: null,
      dte_data: { folio: 1, company_id: [3, 'ACME'] },
    });
  });

  it('ignores unknown top-level keys next to dte_data (a 400 would make Odoo accept the DTE unchecked)', () => {
    expect(pipe.transform({ dte_data: { folio: 1 }, company_id: 1, history: [], source: 'odoo' })).toEqual({
      dte_data: { folio: 1 },
      company_id: 1,
      history: [],
      bare: false,
    });
  });

  it('accepts a company_id sent as a digit string', () => {
    expect(pipe.transform({ dte_data: {}, company_id: '12' }).company_id).toBe(12);
  });

  it.each([
    ['no body', undefined, 'dte_data'],
    ['an array body', [1], 'dte_data'],
    ['a body with no DTE fields', { company_id: 1 }, 'dte_data'],
    ['dte_data null', { dte_data: null, company_id: 1 }, 'dte_data'],
    ['dte_data a list', { dte_data: [], company_id: 1 }, 'dte_data'],
    ['dte_data a string', { dte_data: 'x', company_id: 1 }, 'dte_data'],
    ['no company_id in an envelope', { dte_data: {} }, 'company_id'],
    ['company_id 0', { dte_data: {}, company_id: 0 }, 'company_id'],
    ['company_id 1.5', { dte_data: {}, company_id: 1.5 }, 'company_id'],
    ['company_id text', { dte_data: {}, company_id: 'acme' }, 'company_id'],
    ['history not a list', { dte_data: {}, company_id: 1, history: 'x' }, 'history'],
    ['history over 100 items', { dte_data: {}, company_id: 1, history: new Array(101).fill({}) }, 'history'],
    ['a bare body with history over 100', { folio: 1, history: new Array(101).fill('x') }, 'history'],
  ])('refuses %s with a 400 naming the field', (_what, body, field) => {
    const { field: named, detail } = detailOf(body);
    expect(named).toBe(field);
    expect(detail).toContain(`"${field}"`);
  });

  it.each([
    [{ dte_data: {} }, 'El campo "company_id" es obligatorio y no puede estar vacío.'],
    [{ dte_data: {}, company_id: 'acme' }, 'El campo "company_id" debe ser un número entero.'],
    [{ dte_data: {}, company_id: -2 }, 'El campo "company_id" debe ser mayor o igual a 1.'],
    [{ dte_data: 'x', company_id: 1 }, 'El campo "dte_data" debe ser un objeto JSON.'],
    [{ dte_data: {}, company_id: 1, history: 'x' }, 'El campo "history" debe ser una lista.'],
  ])('explains %p in one Spanish sentence', (body, detail) => {
    expect(detailOf(body).detail).toBe(detail);
  });
});
