import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MENU_COMMANDS } from '../src/bots/telegram/index.ts';
import { rawPosting } from './fakes/memory-source.ts';
import type { StoredMessage, TelegramCall, TelegramChat, TelegramUser } from './fakes/telegram.ts';
import {
  BOB,
  dm,
  GROUP,
  MIRA,
  startTelegramApp,
  type TelegramTestApp,
  until,
  WEBHOOK_SECRET,
} from './helpers/telegram.ts';

/**
 * Telegram in webhook mode, end to end: updates POSTed to /telegram/webhook as Telegram sends them,
 * a real grammY bot answering through a fake Bot API, real PostgreSQL and pg-boss behind.
 */

let t: TelegramTestApp;

const HOSTILE = [
  { title: 'TypeScript Dev <3 & R&D <script', company: 'AT&T "Labs" <i' },
  { title: '&amp;lt;script&amp;gt; TypeScript dev', company: 'Tom &amp;amp; Jerry' },
  { title: 'TypeScript < Rust > Go & Node', company: 'Quote"Co', url: 'https://jobs.example/a"b<c>&d=1' },
];
// What users must see: the titles as the pipeline stored them (markup in titles is text by then).
const SHOWN = [
  'TypeScript Dev <3 & R&D <script',
  '&lt;script&gt; TypeScript dev',
  'TypeScript < Rust > Go & Node',
];

beforeAll(async () => {
  t = await startTelegramApp({ mode: 'webhook' });
  t.board.push(...HOSTILE.map((h) => rawPosting(h)));
  for (let i = 0; i < 7; i++) t.board.push(rawPosting({ title: `TypeScript Engineer ${i + 1}` }));
});
afterAll(async () => {
  await t?.stop();
});

async function send(update: object): Promise<TelegramCall[]> {
  const before = t.fake.calls.length;
  const res = await t.post(update);
  expect(res.status).toBe(200);
  return t.fake.since(before);
}
const say = (user: TelegramUser, text: string, chat: TelegramChat = dm(user)) =>
  send(t.fake.textUpdate(user, chat, text));
const press = (user: TelegramUser, message: StoredMessage, label: string) =>
  send(t.fake.pressUpdate(user, message, label));
const texts = (calls: TelegramCall[], method = 'sendMessage') =>
  calls
    .filter((c) => c.method === method && c.status === 200)
    .map(
      (c) =>
        t.fake.messages.get(`${c.params.chat_id}:${(c.body.result as { message_id: number }).message_id}`)!
          .text,
    );
const toast = (calls: TelegramCall[]) => calls.find((c) => c.method === 'answerCallbackQuery')?.params.text;
const lastIn = (chatId: number, n = 1) => t.fake.chat(chatId).slice(-n);
const labels = (m: StoredMessage) => m.markup?.inline_keyboard?.flat().map((b) => b.text);
const REASONS = ['Not relevant', 'Too junior', 'Too senior', 'Location', 'Salary', 'Company'];

describe('Telegram webhook', () => {
  it('sets the webhook with its secret and the command menu at start', () => {
    expect(t.fake.webhook).toEqual({
      url: 'https://jobping.example/telegram/webhook',
      secret_token: WEBHOOK_SECRET,
    });
    const commands = t.fake.calls.find((c) => c.method === 'setMyCommands')!.params.commands;
    expect(commands).toEqual(MENU_COMMANDS);
    expect((commands as { command: string }[]).map((c) => c.command)).toEqual([
      'jobs',
      'prefs',
      'help',
      'start',
    ]);
  });

  it('answers 401 to a wrong or missing secret and touches nothing', async () => {
    const before = t.fake.calls.length;
    const update = t.fake.textUpdate(MIRA, dm(MIRA), '/start');
    expect((await t.post(update, 'wrong-secret_0123456789abcdef')).status).toBe(401);
    expect((await t.post(update, null)).status).toBe(401);
    expect((await t.post(update, `${WEBHOOK_SECRET}x`)).status).toBe(401);
    expect(t.fake.calls.length).toBe(before);
    const { rows } = await t.db.pool.query(
      `select (select count(*)::int from users) as users, (select count(*)::int from processed_events) as events`,
    );
    expect(rows[0]).toEqual({ users: 0, events: 0 });
  });

  it('drops a malformed update (right secret) without effect, and keeps serving', async () => {
    const before = t.fake.calls.length;
    expect((await t.post({ update_id: 'x', message: { text: '/start' } })).status).toBe(200);
    expect((await t.post({ update_id: 5, message: { chat: { id: 'nope' }, text: '/help' } })).status).toBe(
      200,
    );
    expect(t.fake.calls.length).toBe(before);
    const { rows } = await t.db.pool.query('select count(*)::int as n from processed_events');
    expect(rows[0].n).toBe(0);
  });

  it('/start greets, creates the user with their DM chat and offers preferences', async () => {
    const calls = await say(MIRA, '/start');
    expect(texts(calls)[0]).toMatch(/^Welcome to JobPing!/);
    // A few lines, not the whole help.
    expect(texts(calls)[0]!.split('\n').length).toBeLessThanOrEqual(6);
    expect(labels(lastIn(MIRA.id)[0]!)).toEqual(['Set my preferences']);
    const { rows } = await t.db.pool.query(`select external_id, dm_channel, display_name from identities`);
    expect(rows).toEqual([
      { external_id: String(MIRA.id), dm_channel: String(MIRA.id), display_name: 'Mira' },
    ]);
  });

  it('a repeated update_id has no second effect', async () => {
    const update = t.fake.textUpdate(MIRA, dm(MIRA), '/help');
    const first = await send(update);
    const again = await send(update);
    expect(texts(first)).toHaveLength(1);
    expect(again).toEqual([]);
  });

  it('/help and unknown commands answer in the chat; /jobs@OtherBot in a group is not for us', async () => {
    expect(texts(await say(MIRA, '/help'))[0]).toContain('/jobs fetch [query]');
    expect(texts(await say(MIRA, '/jbos'))[0]).toBe('Unknown command /jbos. Try /help.\nUsage: /help');
    expect(texts(await say(MIRA, 'hello there'))[0]).toBe('I answer commands. Send /help to see them.');
    expect(await say(MIRA, '/jobs@OtherBot', GROUP)).toEqual([]);
    expect(await say(MIRA, 'chatting in the group', GROUP)).toEqual([]);
  });

  it('/prefs set saves a good value and explains a bad one without saving anything', async () => {
    const good = texts(await say(MIRA, '/prefs set keywords=typescript alerts=off'));
    expect(good[0]).toContain('keywords: typescript');
    const bad = texts(await say(MIRA, '/prefs set remote=sometimes keywords=go'));
    expect(bad[0]).toMatch(/^Nothing was saved\. remote: expected yes, hybrid, onsite, flexible or any/);
    const { rows } = await t.db.pool.query(`select keywords, remote from preferences`);
    expect(rows).toEqual([{ keywords: ['typescript'], remote: 'any' }]);
  });

  it('/jobs fetch replies at once, shows progress, then one escaped card per match', async () => {
    const before = t.fake.calls.length;
    const started = performance.now();
    expect((await t.post(t.fake.textUpdate(MIRA, dm(MIRA), '/jobs fetch'))).status).toBe(200);
    const first = await t.fake.waitFor(
      (c) => c.method === 'sendMessage' && c.params.text === 'Fetching the latest postings…',
    );
    // "At once": before the fetch has even been queued (a generous bound for a loaded CI machine).
    expect(performance.now() - started).toBeLessThan(2000);
    const done = await t.fake.waitFor(
      (c) => c.method === 'editMessageText' && /10 new matches/.test(String(c.params.text)),
      20_000,
    );
    const progressId = (first.body.result as { message_id: number }).message_id;
    expect(done.params.message_id).toBe(progressId);
    const cards = await until(async () => {
      const after = t.fake.chat(MIRA.id).filter((m) => m.messageId > progressId);
      return after.length === 10 && after;
    });
    const edits = t.fake
      .since(before)
      .filter((c) => c.method === 'editMessageText' && c.params.message_id === progressId);
    expect(edits.length).toBeGreaterThan(1);
    expect(String(edits[0]!.params.text)).toMatch(/^Fetching 1 source…/);
    const titles = cards.map((m) => m.text.split('\n')[0]);
    for (const title of SHOWN) expect(titles).toContain(title);
    const quoted = cards.find((m) => m.text.startsWith('TypeScript < Rust'))!;
    expect(quoted.markup!.inline_keyboard!.flat().find((b) => b.text === 'Open')!.url).toBe(
      'https://jobs.example/a%22b%3Cc%3E&d=1',
    );
    expect(cards.find((m) => m.text.startsWith('TypeScript Dev'))!.text).toContain('AT&T "Labs" <i');
    for (const card of cards) expect(labels(card)).toEqual(['Save', 'Dismiss', 'Applied', 'Open']);
  });

  it('/jobs fetch with a query searches for it and says when nothing is new', async () => {
    const before = t.fake.calls.length;
    await t.post(t.fake.textUpdate(MIRA, dm(MIRA), '/jobs fetch rust & <go>'));
    const done = await t.fake.waitFor(
      (c) =>
        t.fake.calls.indexOf(c) >= before &&
        c.method === 'editMessageText' &&
        /Nothing new/.test(String(c.params.text)),
      20_000,
    );
    expect(String(done.params.text)).toMatch(
      /10 postings, 0 new → 0 new matches\nNothing new for you this time/,
    );
    const { rows } = await t.db.pool.query(`select query from fetch_requests order by id desc limit 1`);
    expect(rows[0].query).toBe('rust & <go>');
  });

  it('Save, Undo, Dismiss and Applied change the card in place, with a toast', async () => {
    const card = t.fake.chat(MIRA.id).findLast((m) => labels(m)?.includes('Save'))!;
    const title = card.text.split('\n')[0];
    const save = await press(MIRA, card, 'Save');
    expect(toast(save)).toBe(`Saved: ${title} at ${card.text.split('\n')[1]!.split(' · ')[0]}`);
    expect(card.text).toMatch(/⭐ Saved$/);
    expect(labels(card)).toEqual(['Applied', 'Dismiss', 'Undo', 'Open']);
    expect(toast(await press(MIRA, card, 'Undo'))).toMatch(/^Undone, back to New/);
    expect(labels(card)).toEqual(['Save', 'Dismiss', 'Applied', 'Open']);
    expect(toast(await press(MIRA, card, 'Dismiss'))).toMatch(/^Dismissed: /);
    expect(card.text).toMatch(/🚫 Dismissed\nWhy\? \(optional: it tunes your future scores\)$/);
    expect(labels(card)).toEqual([...REASONS, 'Undo', 'Open']);
    await press(MIRA, card, 'Undo');
    expect(toast(await press(MIRA, card, 'Applied'))).toMatch(/^Marked as applied: /);
    expect(card.text).toMatch(/✅ Applied$/);
    const { rows } = await t.db.pool.query(`select status from matches where status <> 'new'`);
    expect(rows).toEqual([{ status: 'applied' }]);
    expect(texts(await say(MIRA, '/jobs saved')).filter((m) => m.startsWith(`${title}\n`))).toHaveLength(1);
  });

  it('Dismiss asks why with the reasons as buttons; the one pressed is recorded, in place', async () => {
    const card = t.fake.chat(MIRA.id).find((m) => labels(m)?.includes('Save'))!;
    const dismissed = await press(MIRA, card, 'Dismiss');
    expect(toast(dismissed)).toMatch(/^Dismissed: .*\nWhy\? \(optional: it tunes your future scores\)$/);
    expect(card.markup!.inline_keyboard!.map((row) => row.map((b) => b.text))).toEqual([
      REASONS.slice(0, 3),
      REASONS.slice(3),
      ['Undo', 'Open'],
    ]);
    const before = t.fake.chat(MIRA.id).length;
    const noted = await press(MIRA, card, 'Salary');
    expect(toast(noted)).toMatch(/^Noted: salary \(.+\)\. Future scores take it into account/);
    expect(t.fake.chat(MIRA.id)).toHaveLength(before); // the card changes; nothing new is sent
    expect(card.text).toMatch(/🚫 Dismissed$/);
    expect(labels(card)).toEqual(['Undo', 'Open']);
    const matchId = Number(/m:undo:(\d+)/.exec(JSON.stringify(card.markup))![1]);
    const { rows } = await t.db.pool.query('select status, dismiss_reason from matches where id = $1', [
      matchId,
    ]);
    expect(rows).toEqual([{ status: 'dismissed', dismiss_reason: 'salary' }]);
    await press(MIRA, card, 'Undo');
  });

  it('a foreign, stale or unknown button gets a toast and changes nothing', async () => {
    const card = t.fake
      .chat(MIRA.id)
      .filter((m) => labels(m)?.includes('Save'))
      .at(-1)!;
    const shown = card.text;
    expect(toast(await press(BOB, card, 'Save'))).toBe('That card belongs to someone else.');
    const matchId = Number(/m:save:(\d+)/.exec(JSON.stringify(card.markup))![1]);
    await t.db.pool.query('delete from matches where id = $1', [matchId]);
    expect(toast(await press(MIRA, card, 'Save'))).toBe('That job is no longer available.');
    expect(toast(await send(t.fake.callbackUpdate(MIRA, card, 'job:save:8f3a21')))).toMatch(
      /no longer valid/,
    );
    expect(card.text).toBe(shown);
    expect(card.edits).toBe(0);
  });

  it('/jobs pages its list with a More button that sends the next page', async () => {
    const calls = await say(MIRA, '/jobs');
    const shown = texts(calls);
    expect(shown[0]).toMatch(/^Your matches: 8 in all \(page 1 of 2\)$/);
    expect(shown).toHaveLength(7);
    const more = lastIn(MIRA.id)[0]!;
    expect(more.text).toBe('Page 1 of 2');
    const next = texts(await press(MIRA, more, 'More ▶'));
    expect(next[0]).toBe('Your matches: 8 in all (page 2 of 2)');
    expect(next).toHaveLength(5);
    expect(labels(more)).toEqual([]);
    const back = lastIn(MIRA.id)[0]!;
    expect(labels(back)).toEqual(['◀ Previous']);
    expect(texts(await press(MIRA, back, '◀ Previous'))[0]).toBe('Your matches: 8 in all (page 1 of 2)');
  });

  it('in a group, /jobs@JobScoutBot answers in the group and cards belong to who asked', async () => {
    const shown = texts(await say(BOB, '/jobs@JobScoutBot', GROUP));
    expect(shown[0]).toMatch(/^No matches yet/);
    await say(MIRA, '/jobs@JobScoutBot', GROUP);
    const card = t.fake.chat(GROUP.id).find((m) => labels(m)?.includes('Save'))!;
    expect(toast(await press(BOB, card, 'Dismiss'))).toBe('That card belongs to someone else.');
    expect(card.edits).toBe(0);
  });

  it('my_chat_member "kicked" marks the user undeliverable; unblocking or writing makes them deliverable again', async () => {
    const deliverable = async () =>
      (await t.db.pool.query(`select deliverable from identities where external_id = $1`, [String(MIRA.id)]))
        .rows[0].deliverable;
    expect(await send(t.fake.myChatMemberUpdate(MIRA, 'member', 'kicked'))).toEqual([]);
    expect(await deliverable()).toBe(false);
    await send(t.fake.myChatMemberUpdate(MIRA, 'kicked', 'member'));
    expect(await deliverable()).toBe(true);
    // Any message from them counts too, even one that is not a command.
    await send(t.fake.myChatMemberUpdate(MIRA, 'member', 'kicked'));
    await say(MIRA, 'hi again');
    expect(await deliverable()).toBe(true);
  });
});
