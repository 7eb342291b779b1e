import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstDelivery } from '../src/db/events.ts';
import { runDispatch } from '../src/pipeline/dispatch.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { manualClock } from './helpers/clock.ts';

/** Inbound event ids are kept long enough to catch every platform retry, and not forever. */

const clock = manualClock('2026-11-20T09:05:00Z');
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ clock });
});
afterAll(async () => {
  await t?.stop();
});

describe('processed inbound events', () => {
  it('a repeated event id is refused; ids older than a week are forgotten at the top of the hour', async () => {
    expect(await firstDelivery(t.db.pool, 'telegram', 'update:1')).toBe(true);
    expect(await firstDelivery(t.db.pool, 'telegram', 'update:1')).toBe(false);
    await t.db.pool.query(
      `update processed_events set created_at = '2026-11-12T09:00:00Z' where event_id = 'update:1'`,
    );
    await firstDelivery(t.db.pool, 'slack', 'ev:recent');

    await runDispatch(t.app.bot); // 09:05: not the top of the hour
    expect((await t.db.pool.query('select count(*)::int as n from processed_events')).rows[0].n).toBe(2);

    clock.set('2026-11-20T10:00:00Z');
    await runDispatch(t.app.bot);
    const { rows } = await t.db.pool.query('select event_id from processed_events order by 1');
    expect(rows).toEqual([{ event_id: 'ev:recent' }]);
  });
});
