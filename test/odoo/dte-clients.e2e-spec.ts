import { sleep } from '../helpers/ports';
import { AIApiClient, DteAiClient } from './dte-clients';
import { OdooHarness, startOdooHarness, VARIANTS } from './odoo-harness';
import { odooCreditNote, odooDteData, RUT_EMISOR_BAD_DV } from './odoo-payloads';
import { f } from './python-wire';

/** Each broken once; the addon must get `valid: false` and an issue naming what is wrong. */
const BAD_DTES: [string, () => Record<string, unknown>, RegExp][] = [
  ['wrong RUT check digit', () => odooDteData({ rut_emisor: RUT_EMISOR_BAD_DV }), /rut_emisor/],
  ['IVA off (18.000 on 100.000)', () => odooDteData({ monto_iva: f(18000), monto_total: f(118000) }), /monto_iva/],
  ['credit note 61 without reference (empty list)', () => odooCreditNote({ referencias: [] }), /referencia/i],
  ["credit note 61 without reference (Odoo's False)", () => odooCreditNote({ referencias: false }), /referencia/i],
  ['amount "abc"', () => odooDteData({ monto_total: 'abc' }), /monto_total/],
];

/**
 * The DTE pre-validation as Odoo's two clients call it: `dte.ai.client` (envelope, own `dte.*`
 * parameters, fail-open mapping) and the older `AIApiClient` (bare DTE body, JSON returned as is).
 */
describe.each(VARIANTS)('DTE clients against /api/ai/validate (%s)', (variant) => {
  let h: OdooHarness;
  let client: DteAiClient;
  let legacy: AIApiClient;

  beforeAll(async () => {
    h = await startOdooHarness(variant);
    // A well-formed review from the model: it may only add warnings or lower the confidence.
    h.anthropic?.reply('{"warnings": [], "confidence": 95}');
    client = new DteAiClient(h.odoo());
    legacy = new AIApiClient(h.odoo());
  });
  afterAll(() => h?.close());
  beforeEach(() => (h.exchanges.length = 0));

  it('dte.ai.client: a good factura 33 as Odoo builds it (floats, "33", False, extra keys) is valid', async () => {
    const verdict = await client.validateDteWithAi(odooDteData());
    expect(h.exchanges[0].status).toBe(200);
    const sent = h.exchanges[0].requestBody!;
    expect(sent).toMatch(/^\{"dte_data": \{"tipo_dte": "33", /);
    expect(sent).toContain('"monto_total": 119000.0');
    expect(sent).toContain('"history": [], "company_id": 1}');
    expect(h.exchanges[0].requestHeaders.Authorization).toBe(`Bearer ${h.svc.key}`);
    expect(verdict).toEqual({
      valid: true,
      confidence: expect.any(Number),
      issues: [],
      suggestions: expect.any(Array),
    });
    // Confidence 0 is what the addon shows when the service failed: a real verdict must not look like one.
    expect(verdict.confidence).toBeGreaterThan(0);
  });

  it('dte.ai.client: a good nota de crédito 61 with its reference is valid', async () => {
    expect(await client.validateDteWithAi(odooCreditNote())).toMatchObject({ valid: true, issues: [] });
  });

  it.each(BAD_DTES)('dte.ai.client: %s → 200 and valid=false, with an issue naming it', async (_name, dte, names) => {
    const verdict = await client.validateDteWithAi(dte());
    expect(h.exchanges[0].status).toBe(200);
    expect(verdict.valid).toBe(false);
    expect(verdict.issues.length).toBeGreaterThan(0);
    expect(verdict.issues.join(' ')).toMatch(names);
  });

  it('dte.ai.client reception mode (`mode: "reception"`, vendor history): accepted keys, same verdicts', async () => {
    const history = [{ folio: 4311, recommendation: 'reject', errors: ['IVA mal calculado'] }];
    expect(await client.validateReceivedDte(odooDteData(), history)).toMatchObject({
      valid: true,
      recommendation: 'accept',
    });
    expect(await client.validateReceivedDte(odooDteData({ rut_emisor: RUT_EMISOR_BAD_DV }), history)).toMatchObject({
      valid: false,
      recommendation: 'reject',
    });
    expect(h.exchanges.map((e) => e.status)).toEqual([200, 200]);
  });

  it('AIApiClient: the bare DTE dict as the body → 200 and the verdict JSON as the addon returns it', async () => {
    const good = await legacy.validateDte(odooDteData());
    expect(h.exchanges[0].requestBody).toMatch(/^\{"tipo_dte": "33", /);
    expect(h.exchanges[0].requestHeaders['User-Agent']).toBe('Odoo-AI-Client/1.0');
    expect(h.exchanges[0].status).toBe(200);
    expect(good).not.toEqual(AIApiClient.NEUTRAL);
    expect(good).toMatchObject({
      errors: [],
      recommendation: expect.stringMatching(/^(send|review)$/),
      llm_used: variant === 'fakes' ? 'anthropic' : 'offline',
    });
    expect(good.confidence).toBeGreaterThan(0);
    expect(Array.isArray(good.warnings)).toBe(true);
    expect(good.checks.length).toBeGreaterThan(5);

    const bad = await legacy.validateDte(odooDteData({ rut_emisor: RUT_EMISOR_BAD_DV }));
    expect(bad).toMatchObject({ recommendation: 'reject' });
    expect(bad.errors.join(' ')).toMatch(/rut_emisor/);
  });

  // The addon's dte.ai_service_timeout defaults to 10 s and a timeout reads as "valid": the verdict
  // must come back in time even when the model is slow (still within LLM_TIMEOUT_MS, 30 s).
  (variant === 'fakes' ? it : it.skip)(
    'a slow model (first byte after 12 s) still gives a wrong DTE valid=false within the default 10 s',
    async () => {
      const slowMs = 12_000;
      const started = Date.now();
      h.anthropic!.latency({ firstByteMs: slowMs });
      h.openai!.latency({ firstByteMs: slowMs });
      try {
        const verdict = await client.validateDteWithAi(odooDteData({ rut_emisor: RUT_EMISOR_BAD_DV }));
        expect(verdict.suggestions.join(' ')).not.toMatch(/timed out/);
        expect(verdict).toMatchObject({ valid: false });
        expect(h.exchanges[0].elapsedMs).toBeLessThan(10_000);
      } finally {
        h.anthropic!.latency({});
        h.openai!.latency({});
        // Let the fakes' delayed answers finish, so no timer outlives the suite.
        await sleep(Math.max(0, started + slowMs + 500 - Date.now()));
      }
    },
    30_000,
  );

  it('AIApiClient: an older dict with `tipo` (a number) instead of `tipo_dte` is read the same', async () => {
    const { tipo_dte: _t, ...rest } = odooDteData();
    const verdict = await legacy.validateDte({ tipo: 33, ...rest });
    expect(h.exchanges[0].status).toBe(200);
    expect(verdict.errors).toEqual([]);
    expect(verdict.recommendation).not.toBe('reject');
    const wrongType = await legacy.validateDte({ ...rest, tipo: 99 });
    expect(wrongType.recommendation).toBe('reject');
  });
});
