import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '../src/bots/handlers.ts';
import type { Reply } from '../src/core/reply.ts';
import type { Actor, RawPosting } from '../src/core/types.ts';
import { memoryBoards, rawPosting } from './fakes/memory-source.ts';
import { fetchAll, watchMessages } from './helpers/alerts.ts';
import { consoleActor, startTestApp, type TestApp } from './helpers/app.ts';
import { manualClock } from './helpers/clock.ts';

/**
 * One person on two platforms: `/link` gives a short-lived one-time code, `/link CODE` on the
 * other platform merges the two users (preferences of the one who asked for the code, every
 * match once with the more advanced status, history kept), and alerts go where the user says.
 */

let t: TestApp;
const clock = manualClock('2025-06-02T12:00:00Z');
const { boards, kind } = memoryBoards();
const ivyConsole = consoleActor('ivy');
const ivyTelegram: Actor = { platform: 'telegram', externalId: '777001', displayName: 'Ivy' };
const jay: Actor = { platform: 'telegram', externalId: '777002', displayName: 'Jay' };
const telegramInbox: { target: string; reply: Reply }[] = [];

function job(id: string, title: string): RawPosting {
  return rawPosting({
    externalId: id,
    title,
    tags: [],
    description: `<p>${title}.</p>`,
    postedAt: '2025-06-01T12:00:00Z',
  });
}

async function act(actor: Actor, title: string, action: 'save' | 'dismiss' | 'applied') {
  const { rows } = await t.db.pool.query<{ id: number }>(
    `select m.id from matches m join postings p on p.id = m.posting_id
     join identities i on i.user_id = m.user_id where i.platform = $1 and i.external_id = $2 and p.title = $3`,
    [actor.platform, actor.externalId, title],
  );
  await handleCommand(t.app.bot, actor, { name: 'match.action', action, matchId: rows[0]!.id });
}

async function say(actor: Actor, text: string) {
  return (await t.say(actor, text)).reply;
}

const codeIn = (reply: Reply) => /link code: ([A-Z0-9]{8})/.exec(reply.text)![1]!;

beforeAll(async () => {
  t = await startTestApp({ clock, sourceKinds: [kind] });
  watchMessages(t);
  t.app.messengers.set('telegram', {
    platform: 'telegram',
    async send(target, reply) {
      telegramInbox.push({ target: target.externalId, reply });
      return { ref: { chat: target.externalId } };
    },
  });
  await t.db.pool.query(`update sources set enabled = false`);
  await t.db.pool.query(`insert into sources (id, kind) values ('memory:a', 'memory')`);
  await say(ivyConsole, '/prefs set keywords=rust tz=Europe/Berlin threshold=0');
  await say(ivyTelegram, '/prefs set keywords=golang threshold=0');
  boards.set('memory:a', [
    job('r1', 'Rust and Golang Engineer'),
    job('r2', 'Rust Engineer'),
    job('g1', 'Golang Engineer'),
  ]);
  await fetchAll(t);
  await act(ivyConsole, 'Rust and Golang Engineer', 'save');
  await act(ivyConsole, 'Rust Engineer', 'dismiss');
  await act(ivyTelegram, 'Rust and Golang Engineer', 'applied');
  await act(ivyTelegram, 'Golang Engineer', 'save');
});
afterAll(async () => {
  await t?.stop();
});

describe('/link', () => {
  it('a code works once: the two users become one, keeping both histories without duplicate matches', async () => {
    const alertsBefore = await t.db.pool.query<{ title: string }>(
      `select distinct p.title from deliveries d join matches m on m.id = d.match_id
       join postings p on p.id = m.posting_id where d.kind = 'alert' order by 1`,
    );
    expect(alertsBefore.rows.length).toBe(3);
    const start = await say(ivyConsole, '/link');
    const code = codeIn(start);
    expect(start.text).toContain('within 10 minutes');
    const stored = await t.db.pool.query('select code_hash from link_codes');
    expect(stored.rows[0].code_hash).not.toContain(code);

    expect((await say(ivyTelegram, '/link ZZZZ2222')).text).toMatch(/^That link code is not valid\./);
    const linked = await say(ivyTelegram, `/link ${code.toLowerCase()}`);
    expect(linked.text).toMatch(
      /^Linked: this telegram account and your console account are now one JobPing user/,
    );

    const users = await t.db.pool.query(
      `select u.id, array_agg(i.platform order by i.platform) as platforms from users u
       join identities i on i.user_id = u.id where i.external_id in ('ivy', '777001') group by u.id`,
    );
    expect(users.rows).toEqual([{ id: expect.any(Number), platforms: ['console', 'telegram'] }]);
    const matches = await t.db.pool.query(
      `select p.title, m.status from matches m join postings p on p.id = m.posting_id
       where m.user_id = $1 order by p.title`,
      [users.rows[0].id],
    );
    expect(matches.rows).toEqual([
      { title: 'Golang Engineer', status: 'saved' },
      { title: 'Rust Engineer', status: 'dismissed' },
      { title: 'Rust and Golang Engineer', status: 'applied' },
    ]);
    const alertsAfter = await t.db.pool.query<{ title: string }>(
      `select p.title from deliveries d join matches m on m.id = d.match_id
       join postings p on p.id = m.posting_id where d.kind = 'alert' order by 1`,
    );
    expect(alertsAfter.rows).toEqual(alertsBefore.rows);
    // The preferences are those of the account that asked for the code.
    expect((await say(ivyTelegram, '/prefs')).text).toContain('keywords: rust');
    expect((await say(ivyTelegram, '/jobs saved')).cards?.map((c) => c.title).sort()).toEqual([
      'Golang Engineer',
      'Rust and Golang Engineer',
    ]);

    const again = await say(jay, `/link ${code}`);
    expect(again.tone).toBe('error');
    expect(again.text).toMatch(/^That link code was already used\./);
  });

  it('a code expires after ten minutes', async () => {
    const code = codeIn(await say(ivyConsole, '/link'));
    clock.set('2025-06-02T12:10:01Z');
    const late = await say(jay, `/link ${code}`);
    expect(late.text).toMatch(/^That link code has expired/);
    const jayUser = await t.db.pool.query(
      `select count(distinct user_id)::int as n from identities where external_id in ('ivy', '777002')`,
    );
    expect(jayUser.rows[0].n).toBe(2);
  });

  it('alerts go to the platform chosen with alerts_on', async () => {
    const bad = await say(ivyConsole, '/prefs set alerts_on=slack');
    expect(bad.text).toMatch(/^Nothing was saved\. You have no slack account linked yet/);
    const ok = await say(ivyConsole, '/prefs set alerts_on=telegram');
    expect(ok.text).toContain('alerts go to: telegram');
    telegramInbox.length = 0;
    t.alerts.length = 0;
    boards.set('memory:a', [...(boards.get('memory:a') as RawPosting[]), job('r3', 'Rust Developer')]);
    await fetchAll(t);
    expect(telegramInbox.map((a) => [a.target, a.reply.cards?.[0]?.title])).toEqual([
      ['777001', 'Rust Developer'],
    ]);
    expect(t.alerts).toEqual([]);
  });
});
