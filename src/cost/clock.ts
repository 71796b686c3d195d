/** One clock token for the whole service: see src/common/clock.ts. */
export { CLOCK, systemClock } from '../common/clock';
export type { Clock } from '../common/clock';
