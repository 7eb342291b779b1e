import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawPosting } from '../src/core/types.ts';
import { type FakeDiscord, type SentInteraction, startFakeDiscord } from './fakes/discord.ts';
import { APPLICATION_ID, type Json } from './fakes/discord-payloads.ts';
import { memoryBoards, rawPosting } from './fakes/memory-source.ts';
import { dispatch, fetchAll, watchMessages } from './helpers/alerts.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { manualClock } from './helpers/clock.ts';

/**
 * A digest on Discord, end to end: the user asks for one with `/prefs set` in their DM with the
 * bot, the dispatcher sends it at their local time, and it arrives as ONE message (compact cards,
 * a menu per card action, the paging row: five rows at most). Picks in the menus change the cards
 * in place, a dismissal asks why, and More ▶ / ◀ Previous turn the same message's page.
 */

const TOKEN = 'MTI2MjMzNjAzNjI5ODU1NTM5Mg.GhT4aQ.fake-token-for-local-tests-only-0000000000';
const clock = manualClock('2025-10-24T05:00:00Z'); // Friday, 07:00 in Berlin
const { boards, kind } = memoryBoards();
let fake: FakeDiscord;
let t: TestApp;
let fay: Json;
let dm: string;
let digestMessageId: string;

function job(n: number): RawPosting {
  return rawPosting({
    externalId: `h${n}`,
    title: `Haskell Engineer ${n}`,
    company: `Company ${n}`,
    tags: [],
    description: `<p>Haskell Engineer ${n}.</p>`,
    postedAt: new Date(clock.now().getTime() - 3_600_000).toISOString(),
  });
}

beforeAll(async () => {
  fake = await startFakeDiscord({ token: TOKEN, heartbeatIntervalMs: 1000 });
  t = await startTestApp({
    clock,
    sourceKinds: [kind],
    env: { DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APPLICATION_ID, DISCORD_API_URL: fake.apiUrl },
  });
  watchMessages(t);
  await t.db.pool.query(`update sources set enabled = false`);
  await t.db.pool.query(`insert into sources (id, kind) values ('memory:a', 'memory')`);
  boards.set(
    'memory:a',
    [1, 2, 3, 4, 5, 6, 7].map((n) => job(n)),
  );
  fay = fake.user('fay');
  dm = fake.dmChannelOf(fay);
});
afterAll(async () => {
  await t?.stop();
  await fake?.close();
});

const callbackOf = (sent: SentInteraction) =>
  fake.waitFor((r) => r.path === `/interactions/${sent.id}/${sent.token}/callback`);
const menus = (message: Json) =>
  Object.fromEntries(
    message.components
      .filter((row: Json) => row.components[0].type === 3)
      .map((row: Json) => [row.components[0].custom_id.split(':')[1], row.components[0]]),
  );
const optionIds = (menu: Json | undefined) => (menu?.options ?? []).map((o: Json) => o.value);
const pagingRow = (message: Json) =>
  message.components
    .filter((row: Json) => row.components[0].type === 2)
    .map((row: Json) => row.components.map(({ label, custom_id }: Json) => ({ label, custom_id })));
async function statusOf(matchId: string) {
  const { rows } = await t.db.pool.query('select status, dismiss_reason from matches where id = $1', [
    matchId,
  ]);
  return rows[0];
}

describe('a digest on Discord', () => {
  it('is asked for with /prefs set in the DM with the bot', async () => {
    const values = 'alerts=digest digest=08:30 tz=Europe/Berlin keywords=haskell threshold=0';
    const cb = await callbackOf(fake.slash(fay, 'dm', 'prefs', 'set', { values }));
    expect(cb.body.data.content).toContain('• alerts: one digest a day, score ≥ 0');
    expect(cb.body.data.content).toContain('• digest: 08:30 every day');
    expect(cb.body.data.flags ?? 0).toBe(0);
  });

  it('arrives as one message: five compact cards, a menu per action, the paging row', async () => {
    await fetchAll(t);
    clock.set('2025-10-24T06:31:00Z'); // 08:31 in Berlin
    expect((await dispatch(t)).digests).toBe(1);
    const posts = fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${dm}/messages`);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.status).toBe(200);
    const message = fake.messages.get(posts[0]!.response.id);
    digestMessageId = message.id;
    expect(message.content).toBe('Your digest for 2025-10-24: 7 new matches (page 1 of 2)');
    expect(message.embeds.map((e: Json) => e.title)).toEqual(
      [1, 2, 3, 4, 5].map((n) => expect.stringMatching(new RegExp(`^${n}\\. Haskell Engineer \\d$`))),
    );
    for (const embed of message.embeds) {
      expect(embed.url).toMatch(/^https:\/\/jobs\.example\//); // the title opens the posting
      expect(embed.description).toMatch(/^\*\*Company \d\*\* · Remote · /);
      expect(embed.description).toMatch(/\nScore \d+\/100/);
    }
    expect(message.components.length).toBeLessThanOrEqual(5);
    const byAction = menus(message);
    expect(Object.keys(byAction)).toEqual(['save', 'dismiss', 'applied']);
    for (const action of ['save', 'dismiss', 'applied']) {
      expect(byAction[action].options.map((o: Json) => o.label)).toEqual(
        message.embeds.map((e: Json) => e.title),
      );
      for (const id of optionIds(byAction[action])) expect(id).toMatch(new RegExp(`^m:${action}:\\d+$`));
    }
    expect(pagingRow(message)).toEqual([[expect.objectContaining({ label: 'More ▶' })]]);
  });

  it('a pick in the Save menu saves that job and shows it on the same message', async () => {
    const message = fake.messages.get(digestMessageId);
    const save = menus(message).save;
    const value: string = save.options[1].value;
    const matchId = value.split(':')[2]!;
    const cb = await callbackOf(fake.select(fay, 'dm', digestMessageId, save.custom_id, [value]));
    expect(cb.body.type).toBe(7);
    const after = fake.messages.get(digestMessageId);
    expect(after.content).toBe(message.content);
    expect(after.embeds[1].description).toContain('\n**Saved**\n');
    expect(after.embeds[0].description).not.toContain('**Saved**');
    const byAction = menus(after);
    expect(optionIds(byAction.save)).not.toContain(value);
    expect(optionIds(byAction.undo)).toEqual([`m:undo:${matchId}`]);
    expect(optionIds(byAction.applied)).toContain(`m:applied:${matchId}`);
    expect(after.components.length).toBeLessThanOrEqual(5);
    expect(pagingRow(after)).toEqual(pagingRow(message));
    expect((await statusOf(matchId)).status).toBe('saved');
  });

  it('a pick in the Dismiss menu asks why; the reason is recorded', async () => {
    const dismiss = menus(fake.messages.get(digestMessageId)).dismiss;
    const value: string = dismiss.options[2].value;
    const matchId = value.split(':')[2]!;
    const sent = fake.select(fay, 'dm', digestMessageId, dismiss.custom_id, [value]);
    expect((await callbackOf(sent)).body.type).toBe(7);
    expect(fake.messages.get(digestMessageId).embeds[2].description).toContain('**Dismissed**');
    const question = await fake.waitFor(
      (r) => r.method === 'POST' && r.path === `/webhooks/${APPLICATION_ID}/${sent.token}`,
    );
    expect(question.body.content).toMatch(/\nWhy\? \(optional: it tunes your future scores\)$/);
    const answer = await callbackOf(fake.click(fay, 'dm', question.response.id, `r:location:${matchId}`));
    expect(answer.body.data.content).toMatch(/^Noted: location \(Haskell Engineer \d at Company \d\)/);
    expect(await statusOf(matchId)).toEqual({ status: 'dismissed', dismiss_reason: 'location' });
  });

  it('More ▶ turns the same message to the next page, and ◀ Previous back, with the cards as they are now', async () => {
    const more = fake.click(
      fay,
      'dm',
      digestMessageId,
      pagingRow(fake.messages.get(digestMessageId))[0][0].custom_id,
    );
    expect((await callbackOf(more)).body.type).toBe(7);
    const page2 = fake.messages.get(digestMessageId);
    expect(page2.content).toBe('Your digest for 2025-10-24: 7 new matches (page 2 of 2)');
    expect(page2.embeds).toHaveLength(2);
    expect(Object.keys(menus(page2))).toEqual(['save', 'dismiss', 'applied']);
    expect(pagingRow(page2)).toEqual([[expect.objectContaining({ label: '◀ Previous' })]]);
    expect(fake.callsOf(more).filter((r) => r.method === 'POST' && r.path.startsWith('/webhooks'))).toEqual(
      [],
    );

    const back = fake.click(fay, 'dm', digestMessageId, pagingRow(page2)[0][0].custom_id);
    expect((await callbackOf(back)).body.type).toBe(7);
    const page1 = fake.messages.get(digestMessageId);
    expect(page1.content).toBe('Your digest for 2025-10-24: 7 new matches (page 1 of 2)');
    expect(page1.embeds[1].description).toContain('**Saved**');
    expect(page1.embeds[2].description).toContain('**Dismissed**');
    // Still one message in the DM channel: paging never posted another.
    const posts = fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${dm}/messages`);
    expect(posts).toHaveLength(1);
  });
});
