import { DomainError, ErrorCode } from '../../common/domain-error';
import type { CostRecorder } from '../../cost/cost.port';
import type { LlmProvider } from '../llm-provider.interface';
import type { LlmMetrics } from '../llm.metrics';
import { RequestLedger } from './request-ledger';

/** A provider whose worst case is whatever the test says (the estimate is the CostRecorder's). */
const provider = { name: 'anthropic', model: 'm', maxTokens: 600, paid: true } as unknown as LlmProvider;
const ledger = (worstUsd: number, limitUsd: number) =>
  new RequestLedger(
    'op-1',
    { operation: 'chat', system: 's', messages: [{ role: 'user', content: 'hola' }] },
    { estimate: () => worstUsd } as unknown as CostRecorder,
    {} as LlmMetrics,
    limitUsd,
  );
const refusal = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (e) {
    return e as DomainError;
  }
  throw new Error('not refused');
};

describe('RequestLedger', () => {
  it('refuses an attempt whose worst case alone is above the limit, in Spanish', () => {
    const e = refusal(() => ledger(0.75, 0.5).reserve(provider));
    expect(e.code).toBe(ErrorCode.COST_LIMIT_EXCEEDED);
    expect(e.detail).toMatch(/se estimó en US\$ 0.75, sobre el límite de US\$ 0.5 por solicitud/);
  });

  it('reserves every attempt, and refuses one that no longer fits beside the earlier ones', () => {
    const l = ledger(0.6, 1);
    expect(l.reserve(provider)).toBe(0.6);
    l.settle(null); // a timeout: what it cost is unknown
    const e = refusal(() => l.reserve(provider));
    expect(e.code).toBe(ErrorCode.COST_LIMIT_EXCEEDED);
    expect(e.detail).toMatch(/sumado a US\$ 0,6000 ya reservados para esta solicitud, supera el límite de US\$ 1,0000/);
  });

  it('an attempt settled at what it cost frees the rest of its reservation', () => {
    const l = ledger(0.6, 1);
    l.reserve(provider);
    l.settle(0.02);
    expect(l.reserve(provider)).toBe(0.6);
  });
});
