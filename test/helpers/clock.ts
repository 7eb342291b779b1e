import type { Clock } from '../../src/core/ports.ts';

/** A clock that stands still until the test moves it. */
export interface ManualClock extends Clock {
  set(instant: string | Date): void;
}

export function manualClock(start: string | Date): ManualClock {
  let now = new Date(start);
  return {
    now: () => new Date(now),
    set(instant) {
      now = new Date(instant);
    },
  };
}
