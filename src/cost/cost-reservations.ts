import { DomainError, ErrorCode } from '../common/domain-error';
import type { KeyValueStore } from '../store/store.port';
import { toNano } from './cost-ledger.format';

export const RESERVATION_KEY_PREFIX = 'cost_tracker:reservation:';
/** Long enough for every attempt of one request (timeouts × retries × fallbacks); settle deletes it sooner. */
export const RESERVATION_TTL_SECONDS = 15 * 60;
const MAX_LOCAL_RESERVATIONS = 10_000;

const usdText = (usd: number) => `US$ ${usd.toFixed(4).replace('.', ',')}`;

export function costLimitExceeded(requestedUsd: number, alreadyUsd: number, limitUsd: number) {
  const already = alreadyUsd > 0 ? `, sumado a ${usdText(alreadyUsd)} ya reservados para esta solicitud,` : '';
  return new DomainError(
    ErrorCode.COST_LIMIT_EXCEEDED,
    `El costo estimado de la consulta (${usdText(requestedUsd)})${already} supera el límite de ${usdText(limitUsd)} por solicitud; ` +
      'acorte el mensaje o pida al administrador que ajuste MAX_ESTIMATED_COST_PER_REQUEST.',
  );
}

const isLimitError = (e: unknown) => e instanceof DomainError && e.code === ErrorCode.COST_LIMIT_EXCEEDED;

/**
 * Per-request cost limit. Every attempt of a request (retries, fallbacks) reserves its worst-case
 * estimate under the request's operation id, atomically (INCRBY only if the sum stays within the
 * limit), so concurrent or successive attempts of one request can never together exceed it.
 * While the store is down the same check runs in process memory: a request is never blocked just
 * because Redis is down, and the limit still holds. What was reserved locally also counts against
 * the store's limit if it comes back in the middle of a request.
 */
export class CostReservations {
  private readonly local = new Map<string, { nano: number; expiresAt: number }>();

  constructor(
    private readonly store: KeyValueStore,
    private readonly limitUsd: () => number,
    private readonly onStoreDown: (error: unknown) => void,
    private readonly now: () => number = Date.now,
  ) {}

  async reserve(operationId: string, usd: number): Promise<void> {
    const limitUsd = this.limitUsd();
    const amount = Math.max(0, toNano(usd));
    const limit = toNano(limitUsd);
    const localNano = this.localNano(operationId);
    if (amount + localNano > limit) throw costLimitExceeded(usd, localNano / 1e9, limitUsd);
    try {
      const r = await this.store.incrWithinLimit(
        this.key(operationId),
        amount,
        limit - localNano,
        RESERVATION_TTL_SECONDS,
      );
      if (!r.allowed) throw costLimitExceeded(usd, (r.total + localNano) / 1e9, limitUsd);
    } catch (e) {
      if (isLimitError(e)) throw e;
      this.onStoreDown(e);
      this.reserveLocally(operationId, amount);
    }
  }

  async settle(operationId: string): Promise<void> {
    this.local.delete(operationId);
    await this.store.del(this.key(operationId)).catch(() => undefined);
  }

  private key(operationId: string) {
    return `${RESERVATION_KEY_PREFIX}${operationId}`;
  }

  private localNano(operationId: string): number {
    const r = this.local.get(operationId);
    if (!r) return 0;
    if (r.expiresAt <= this.now()) {
      this.local.delete(operationId);
      return 0;
    }
    return r.nano;
  }

  private reserveLocally(operationId: string, amount: number) {
    const now = this.now();
    if (this.local.size >= MAX_LOCAL_RESERVATIONS) {
      for (const [id, r] of this.local) if (r.expiresAt <= now) this.local.delete(id);
      // Still full: forget the oldest (Map keeps insertion order); it expires soon anyway.
      if (this.local.size >= MAX_LOCAL_RESERVATIONS) this.local.delete(this.local.keys().next().value!);
    }
    const current = this.localNano(operationId);
    this.local.set(operationId, { nano: current + amount, expiresAt: now + RESERVATION_TTL_SECONDS * 1000 });
  }
}
