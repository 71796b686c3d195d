const NANO = 1e9;
const toNano = (usd: number) => Math.max(0, Math.round(usd * NANO));

/**
 * One request's cost limit (MAX_ESTIMATED_COST_PER_REQUEST), in integer nano-USD so sums are
 * exact. Each attempt opens a reservation of its worst case before it is made and settles it once
 * when it ends: at what it cost when that is known, or at its worst case when it is not (a timeout
 * or a dropped connection may have been billed). An attempt fits only if the settled attempts, the
 * open one and its own worst case stay within the limit. Attempts of one request run one after
 * another in one process, so this lives in the request's memory: no store outage can lose or
 * double it. Pure.
 */
export class CostBudget {
  private settledNano = 0;
  private openNano = 0;
  private opened = false;

  constructor(private readonly limitUsd: number) {}

  /** USD already settled or reserved by the open attempt. */
  get committedUsd(): number {
    return (this.settledNano + this.openNano) / NANO;
  }

  /** Reserves `worstUsd` for the next attempt; false (nothing reserved) when it does not fit. */
  open(worstUsd: number): boolean {
    const worst = toNano(worstUsd);
    if (this.settledNano + this.openNano + worst > toNano(this.limitUsd)) return false;
    this.settledNano += this.openNano; // an attempt left open counts at its worst case
    this.openNano = worst;
    this.opened = true;
    return true;
  }

  /**
   * The open attempt ended: at `costUsd` when known (even above its estimate: what was spent
   * counts), at its worst case when null (unknown). Without an open attempt it does nothing.
   */
  settle(costUsd: number | null) {
    if (!this.opened) return;
    this.settledNano += costUsd === null ? this.openNano : toNano(costUsd);
    this.openNano = 0;
    this.opened = false;
  }
}
