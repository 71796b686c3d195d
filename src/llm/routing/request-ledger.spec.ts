import { DomainError, ErrorCode } from '../../common/domain-error';
import { CostRecorder } from '../../cost/cost.port';
import type { LlmProvider } from '../llm-provider.interface';
import { LlmMetrics } from '../llm.metrics';
import { RequestLedger } from './request-ledger';

/** A cost port whose worst case is whatever the test says (the ledger never records here). */
class FixedEstimate extends CostRecorder {
  constructor(private readonly worstUsd: number) {
    super();
  }
  price() {
    return 0;
  }
  estimate() {
    return this.worstUsd;
  }
  record() {
    return Promise.resolve(0);
  }
}

/** A paid provider; the ledger reads its name, model and output limit and never calls it. */
const paid: LlmProvider = {
  name: 'anthropic',
  model: 'm',
  maxTokens: 600,
  paid: true,
  complete: () => Promise.reject(new Error('not called')),
  stream: () => ({ [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('not called')) }) }),
};

function ledger(worstUsd: number, limitUsd: number) {
  const request = { operation: 'chat' as const, system: 's', messages: [{ role: 'user' as const, content: 'hola' }] };
  return new RequestLedger('op-1', request, new FixedEstimate(worstUsd), LlmMetrics.detached(), limitUsd);
}

const refusal = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (e) {
    return e as DomainError;
  }
  throw new Error('not refused');
};

const LIMIT_DETAIL =
  /^El costo estimado de la consulta \(US\$ [\d.]+,\d{4}\) supera el límite de US\$ [\d.]+,\d{4} por solicitud; acorte el mensaje o pida al administrador que ajuste MAX_ESTIMATED_COST_PER_REQUEST\.$/;

describe('RequestLedger', () => {
  it('refuses an attempt whose worst case alone is above the limit, in Spanish', () => {
    const e = refusal(() => ledger(0.75, 0.5).reserve(paid));
    expect(e.code).toBe(ErrorCode.COST_LIMIT_EXCEEDED);
    expect(e.detail).toBe(
      'El costo estimado de la consulta (US$ 0,7500) supera el límite de US$ 0,5000 por solicitud; ' +
        'acorte el mensaje o pida al administrador que ajuste MAX_ESTIMATED_COST_PER_REQUEST.',
    );
  });

  it('reserves every attempt, and refuses one that no longer fits beside the earlier ones', () => {
    const l = ledger(0.6, 1);
    expect(l.reserve(paid)).toBe(0.6);
    l.settle(null); // a timeout: what it cost is unknown
    const e = refusal(() => l.reserve(paid));
    expect(e.code).toBe(ErrorCode.COST_LIMIT_EXCEEDED);
    expect(e.detail).toMatch(LIMIT_DETAIL);
  });

  it.each([
    ['worst case alone over the limit', 0.75, 0.5, false],
    ['no room left beside an attempt of unknown cost', 0.6, 1, true],
  ])('says it in one message, with Chilean number formatting: %s', (_name, worst, limit, afterTimeout) => {
    const l = ledger(worst, limit);
    if (afterTimeout) {
      l.reserve(paid);
      l.settle(null);
    }
    expect(refusal(() => l.reserve(paid)).detail).toMatch(LIMIT_DETAIL);
  });

  it('formats thousands and decimals as in Chile (US$ 1.234,5000)', () => {
    expect(refusal(() => ledger(1234.5, 1000).reserve(paid)).detail).toContain(
      '(US$ 1.234,5000) supera el límite de US$ 1.000,0000',
    );
  });

  it('an attempt settled at what it cost frees the rest of its reservation', () => {
    const l = ledger(0.6, 1);
    l.reserve(paid);
    l.settle(0.02);
    expect(l.reserve(paid)).toBe(0.6);
  });
});
