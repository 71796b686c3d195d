/** One clock token for the whole service (date rules: "not in the future", "not too old"): see src/common/clock.ts. */
export { CLOCK, systemClock } from '../common/clock';
export type { Clock } from '../common/clock';
