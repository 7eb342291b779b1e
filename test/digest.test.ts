import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleSafely } from '../src/bots/handlers.ts';
import { decodeAction } from '../src/core/actions.ts';
import type { RawPosting } from '../src/core/types.ts';
import { memoryBoards, rawPosting } from './fakes/memory-source.ts';
import { dispatch, fetchAll, watchMessages } from './helpers/alerts.ts';
import { consoleActor, startTestApp, type TestApp } from './helpers/app.ts';
import { manualClock } from './helpers/clock.ts';

/**
 * Digests end to end with a fixed clock around the end of summer time in Berlin (Sunday 26
 * October 2025, 03:00 → 02:00): one message a day per user at their local time, weekdays only
 * when asked, compact cards with a "More" button that pages through the same digest, and never
 * the same match twice.
 */

let t: TestApp;
const clock = manualClock('2025-10-24T05:00:00Z'); // Friday, 07:00 in Berlin (summer time)
const { boards, kind } = memoryBoards();
const erin = consoleActor('erin');
const fay = consoleActor('fay');

function job(id: string, title: string): RawPosting {
  return rawPosting({
    externalId: id,
    title,
    company: `Company ${id}`,
    tags: [],
    description: `<p>${title}.</p>`,
    postedAt: new Date(clock.now().getTime() - 3_600_000).toISOString(),
  });
}

function addJobs(...jobs: RawPosting[]) {
  boards.set('memory:a', [...((boards.get('memory:a') as RawPosting[]) ?? []), ...jobs]);
}

async function dispatchAt(iso: string) {
  t.alerts.length = 0;
  clock.set(iso);
  return dispatch(t);
}

beforeAll(async () => {
  t = await startTestApp({ clock, sourceKinds: [kind] });
  watchMessages(t);
  await t.db.pool.query(`update sources set enabled = false`);
  await t.db.pool.query(`insert into sources (id, kind) values ('memory:a', 'memory')`);
  const e = await t.say(
    erin,
    '/prefs set alerts=digest digest=08:30 digest_days=weekdays tz=Europe/Berlin keywords=haskell threshold=0',
  );
  expect(e.reply.text).toContain('digest: 08:30 on weekdays');
  await t.say(fay, '/prefs set alerts=digest digest=8:30 tz=Europe/Berlin keywords=ocaml threshold=0');
  addJobs(
    ...[1, 2, 3, 4, 5, 6, 7].map((n) => job(`h${n}`, `Haskell Engineer ${n}`)),
    job('o1', 'OCaml Engineer 1'),
  );
  await fetchAll(t);
});
afterAll(async () => {
  await t?.stop();
});

describe('digests', () => {
  it('go out at the local digest time, once, as compact cards with a More button', async () => {
    expect(t.alerts).toEqual([]); // digest users get no instant alerts
    expect((await dispatchAt('2025-10-24T06:29:00Z')).digests).toBe(0);
    expect((await dispatchAt('2025-10-24T06:30:00Z')).digests).toBe(2);
    const byUser = Object.fromEntries(t.alerts.map((a) => [a.target, a.reply]));
    expect(byUser.fay?.cards?.map((c) => c.title)).toEqual(['OCaml Engineer 1']);
    const digest = byUser.erin!;
    expect(digest.text).toBe('Your digest for 2025-10-24: 7 new matches (page 1 of 2)');
    expect(digest.compact).toBe(true);
    expect(digest.cards).toHaveLength(5);
    expect(digest.buttons?.map((b) => b.label)).toEqual(['More ▶']);

    const more = decodeAction(digest.buttons![0]!.action);
    expect(more).toMatchObject({ name: 'digest.page', page: 2 });
    const page2 = await handleSafely(t.app.bot, erin, more!);
    expect(page2.cards).toHaveLength(2);
    const all = [...digest.cards!, ...page2.cards!].map((c) => c.title).sort();
    expect(all).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => `Haskell Engineer ${n}`));
    expect(page2.buttons?.map((b) => b.label)).toEqual(['◀ Previous']);
    const stranger = await handleSafely(t.app.bot, fay, more!);
    expect(stranger.text).toBe('That digest belongs to someone else.');

    expect((await dispatchAt('2025-10-24T06:45:00Z')).digests).toBe(0);
    expect(t.alerts).toEqual([]);
  });

  it('skip the weekend with weekdays; daily ones follow the local clock across the DST change', async () => {
    clock.set('2025-10-25T05:00:00Z');
    addJobs(job('h8', 'Haskell Engineer 8'), job('o2', 'OCaml Engineer 2'));
    await fetchAll(t);
    expect((await dispatchAt('2025-10-25T06:30:00Z')).digests).toBe(1); // Saturday: only fay
    expect(t.alerts.map((a) => [a.target, a.reply.cards?.map((c) => c.title)])).toEqual([
      ['fay', ['OCaml Engineer 2']],
    ]);

    clock.set('2025-10-26T05:00:00Z');
    addJobs(job('o3', 'OCaml Engineer 3'));
    await fetchAll(t);
    // Sunday: winter time from 03:00, so 08:30 in Berlin is 07:30 UTC, not 06:30.
    expect((await dispatchAt('2025-10-26T06:30:00Z')).digests).toBe(0);
    expect((await dispatchAt('2025-10-26T07:30:00Z')).digests).toBe(1);
    expect(t.alerts.map((a) => [a.target, a.reply.cards?.map((c) => c.title)])).toEqual([
      ['fay', ['OCaml Engineer 3']],
    ]);

    // Monday: erin's digest lists only what Friday's did not.
    expect((await dispatchAt('2025-10-27T07:30:00Z')).digests).toBe(1);
    expect(t.alerts.map((a) => [a.target, a.reply.text])).toEqual([
      ['erin', 'Your digest for 2025-10-27: 1 new match'],
    ]);
    const { rows } = await t.db.pool.query<{ n: number }>(
      `select count(*)::int as n from (select match_id from deliveries where kind = 'digest' group by match_id
       having count(*) > 1) twice`,
    );
    expect(rows[0]!.n).toBe(0);
  });
});
