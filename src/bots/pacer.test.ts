import { describe, expect, it } from 'vitest';
import { createPacer } from './pacer.ts';

/** A clock that stands still: each turn reports how long it would have waited. */
function frozen(at = 0) {
  const waits: number[] = [];
  return {
    waits,
    clock: { now: () => at, sleep: async (ms: number) => void waits.push(Math.round(ms)) },
  };
}

describe('pacer', () => {
  it('lets a burst out at the overall rate, in the order asked', async () => {
    const { waits, clock } = frozen();
    const pacer = createPacer({ perSecond: 30, chatIntervalMs: 1000 }, clock);
    for (let i = 0; i < 61; i++) await pacer.turn(`chat-${i}`);
    // The first goes at once; the 31st a second later, the 61st two seconds later.
    expect(waits).toHaveLength(60);
    expect(waits[29]).toBe(1000);
    expect(waits.at(-1)).toBe(2000);
  });

  it('spaces messages to one chat and fills the gap with other chats', async () => {
    const { waits, clock } = frozen();
    const pacer = createPacer({ perSecond: 10, chatIntervalMs: 1000 }, clock);
    await pacer.turn('a');
    await pacer.turn('a');
    await pacer.turn('b');
    await pacer.turn('a');
    // a at 0, a at 1000, b in the first free slot (100), a at 2000.
    expect(waits).toEqual([1000, 100, 2000]);
  });

  it('forgets turns that are long past', async () => {
    let now = 0;
    const waits: number[] = [];
    const pacer = createPacer(
      { perSecond: 1, chatIntervalMs: 1000 },
      { now: () => now, sleep: async (ms) => void waits.push(ms) },
    );
    await pacer.turn('a');
    now = 5000;
    await pacer.turn('a');
    expect(waits).toEqual([]);
  });
});
