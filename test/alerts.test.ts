import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawPosting } from '../src/core/types.ts';
import { memoryBoards, rawPosting } from './fakes/memory-source.ts';
import { dispatch, fetchAll, watchMessages } from './helpers/alerts.ts';
import { consoleActor, startTestApp, type TestApp } from './helpers/app.ts';
import { manualClock } from './helpers/clock.ts';

/**
 * Instant alerts under a delivery policy, end to end with a fixed clock: quiet hours hold alerts
 * and the dispatcher releases them when the window ends (across the night Berlin's clocks spring
 * forward); the daily cap sends the best N of a local day and leaves the rest to the digest.
 */

let t: TestApp;
const clock = manualClock('2025-03-29T22:30:00Z'); // 23:30 on Saturday in Berlin; at 02:00 it becomes 03:00
const { boards, kind } = memoryBoards();
const carol = consoleActor('carol');
const dave = consoleActor('dave');

const daysAgo = (n: number) => new Date(clock.now().getTime() - n * 86_400_000).toISOString();

function job(id: string, title: string, extra: Partial<RawPosting> = {}): RawPosting {
  return rawPosting({
    externalId: id,
    title,
    company: `Company ${id}`,
    tags: [],
    description: `<p>${title}. Build services.</p>`,
    postedAt: daysAgo(1),
    ...extra,
  });
}

beforeAll(async () => {
  t = await startTestApp({ clock, sourceKinds: [kind] });
  watchMessages(t);
  await t.db.pool.query(`update sources set enabled = false`);
  await t.db.pool.query(`insert into sources (id, kind) values ('memory:a', 'memory')`);
  boards.set('memory:a', []);
});
afterAll(async () => {
  await t?.stop();
});

describe('quiet hours', () => {
  it('an alert found at night waits until the window ends, then goes out once', async () => {
    const set = await t.say(
      carol,
      '/prefs set keywords=kotlin tz=europe/berlin quiet=22:00-08:00 threshold=0',
    );
    expect(set.reply.text).toContain('quiet hours: 22:00–08:00');
    expect(set.reply.text).toContain('time zone: Europe/Berlin');
    boards.set('memory:a', [job('k1', 'Kotlin Engineer')]);
    await fetchAll(t);
    expect(t.alerts).toEqual([]);
    const held = await t.db.pool.query(`select status, queued_at, not_before from deliveries`);
    // 08:00 on the morning the clocks went forward is 06:00 UTC, not 07:00.
    expect(held.rows).toEqual([
      { status: 'pending', queued_at: null, not_before: new Date('2025-03-30T06:00:00Z') },
    ]);

    clock.set('2025-03-30T05:59:00Z'); // 07:59 summer time
    expect((await dispatch(t)).queued).toBe(0);
    expect(t.alerts).toEqual([]);

    clock.set('2025-03-30T06:00:00Z');
    expect((await dispatch(t)).queued).toBe(1);
    expect(t.alerts.map((a) => [a.target, a.reply.cards?.[0]?.title])).toEqual([
      ['carol', 'Kotlin Engineer'],
    ]);

    clock.set('2025-03-30T06:01:00Z');
    expect((await dispatch(t)).queued).toBe(0);
    expect(t.alerts).toHaveLength(1);
  });

  it('outside the window an alert goes out at once', async () => {
    t.alerts.length = 0;
    clock.set('2025-03-30T10:00:00Z');
    boards.set('memory:a', [job('k1', 'Kotlin Engineer'), job('k2', 'Kotlin Developer')]);
    await fetchAll(t);
    expect(t.alerts.map((a) => a.reply.cards?.[0]?.title)).toEqual(['Kotlin Developer']);
  });

  it('an alert held when the user switches to digests is left to the digest', async () => {
    t.alerts.length = 0;
    clock.set('2025-03-30T21:00:00Z'); // 23:00 summer time: quiet
    boards.set('memory:a', [...(boards.get('memory:a') as RawPosting[]), job('k3', 'Kotlin Lead')]);
    await fetchAll(t);
    expect(t.alerts).toEqual([]);
    const set = await t.say(carol, '/prefs set alerts=digest');
    expect(set.reply.text).toContain('Your matches stay as they are');
    clock.set('2025-03-31T06:00:00Z'); // 08:00: quiet hours end, and it is carol's digest time
    expect(await dispatch(t)).toMatchObject({ queued: 0, digests: 1 });
    expect(t.alerts.map((a) => [a.reply.text, a.reply.cards?.map((c) => c.title)])).toEqual([
      ['Your digest for 2025-03-31: 1 new match', ['Kotlin Lead']],
    ]);
  });
});

describe('daily cap', () => {
  async function scores(user: string) {
    const { rows } = await t.db.pool.query<{ title: string; score: number; status: string | null }>(
      `select p.title, m.score, d.status from matches m join postings p on p.id = m.posting_id
       join identities i on i.user_id = m.user_id and i.external_id = $1
       left join deliveries d on d.match_id = m.id and d.kind = 'alert'
       order by m.score desc, m.id`,
      [user],
    );
    return rows;
  }

  it('releases the best N alerts held overnight, and none over the cap later that day', async () => {
    clock.set('2025-06-02T05:00:00Z'); // a Monday, in dave's quiet hours
    t.alerts.length = 0;
    await t.say(dave, '/prefs set keywords=elixir cap=2 threshold=0 tz=UTC quiet=22:00-07:00');
    boards.set('memory:a', [
      job('e1', 'Elixir Engineer', {
        salary: { min: 150000, max: 180000, currency: 'USD', interval: 'year' },
      }),
      job('e2', 'Elixir Developer', { salary: null }),
      job('e3', 'Backend Elixir Engineer', { salary: null, postedAt: daysAgo(10) }),
      job('e4', 'Elixir Platform Engineer', { salary: null, postedAt: daysAgo(30) }),
    ]);
    await fetchAll(t);
    expect(t.alerts).toEqual([]);
    clock.set('2025-06-02T07:00:00Z');
    expect(await dispatch(t)).toMatchObject({ queued: 2, overCap: 2 });
    const ranked = await scores('dave');
    // Salary stated, then fresher postings: four different scores, the best two sent.
    expect(new Set(ranked.map((r) => r.score)).size).toBe(4);
    expect(ranked.map((r) => [r.title, r.status])).toEqual([
      ['Elixir Engineer', 'sent'],
      ['Elixir Developer', 'sent'],
      ['Backend Elixir Engineer', 'skipped'],
      ['Elixir Platform Engineer', 'skipped'],
    ]);
    expect(t.alerts.map((a) => a.reply.cards?.[0]?.title).sort()).toEqual([
      'Elixir Developer',
      'Elixir Engineer',
    ]);

    // Later that day a better match: the cap is reached, so it waits too.
    clock.set('2025-06-02T15:00:00Z');
    boards.set('memory:a', [
      ...(boards.get('memory:a') as RawPosting[]),
      job('e5', 'Staff Elixir Engineer', {
        salary: { min: 200000, max: 220000, currency: 'USD', interval: 'year' },
      }),
    ]);
    await fetchAll(t);
    expect(t.alerts).toHaveLength(2);
  });

  it('the next local day starts a new count, and the digest lists what the cap held back', async () => {
    clock.set('2025-06-03T07:30:00Z');
    t.alerts.length = 0;
    boards.set('memory:a', [...(boards.get('memory:a') as RawPosting[]), job('e6', 'Elixir Consultant')]);
    await fetchAll(t);
    expect(t.alerts.map((a) => a.reply.cards?.[0]?.title)).toEqual(['Elixir Consultant']);

    t.alerts.length = 0;
    clock.set('2025-06-03T08:00:00Z'); // dave's digest time (the default 08:00, UTC)
    expect((await dispatch(t)).digests).toBe(1);
    expect(t.alerts).toHaveLength(1);
    const digest = t.alerts[0]!;
    expect(digest.target).toBe('dave');
    expect(digest.reply.text).toMatch(/^Your digest for 2025-06-03: 3 new matches/);
    expect(digest.reply.compact).toBe(true);
    expect(digest.reply.cards?.map((c) => c.title).sort()).toEqual(
      ['Backend Elixir Engineer', 'Elixir Platform Engineer', 'Staff Elixir Engineer'].sort(),
    );

    clock.set('2025-06-03T08:05:00Z');
    expect((await dispatch(t)).digests).toBe(0);
    expect(t.alerts).toHaveLength(1);
  });
});
