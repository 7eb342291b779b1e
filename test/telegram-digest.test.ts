import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawPosting } from './fakes/memory-source.ts';
import type { TelegramCall } from './fakes/telegram.ts';
import type { Button, StoredMessage } from './fakes/telegram-updates.ts';
import { dispatch, fetchAll, watchMessages } from './helpers/alerts.ts';
import { manualClock } from './helpers/clock.ts';
import { dm, MIRA, startTelegramApp, type TelegramTestApp } from './helpers/telegram.ts';

/**
 * A digest on Telegram, end to end through grammY and the fake Bot API: one message with the top
 * matches as compact cards, a row of buttons per card, and More / Previous turning the page of
 * that same message. Dismiss on a row asks why, with the reasons as buttons.
 */

let t: TelegramTestApp;
const clock = manualClock('2025-06-02T07:00:00Z'); // a Monday

async function send(update: object): Promise<TelegramCall[]> {
  const before = t.fake.calls.length;
  expect((await t.post(update)).status).toBe(200);
  return t.fake.since(before);
}
const say = (text: string) => send(t.fake.textUpdate(MIRA, dm(MIRA), text));
const toast = (calls: TelegramCall[]) => calls.find((c) => c.method === 'answerCallbackQuery')?.params.text;
const sent = (calls: TelegramCall[]) => calls.filter((c) => c.method === 'sendMessage');

/** The buttons of card `n` on the page (its rows start with "n · …"). */
function rowOf(message: StoredMessage, n: number): Button[] {
  const rows = message.markup?.inline_keyboard ?? [];
  const first = rows.findIndex((r) => r[0]?.text.startsWith(`${n} · `));
  if (first < 0) throw new Error(`no row for card ${n}: ${JSON.stringify(message.markup)}`);
  const next = rows.findIndex((r, i) => i > first && /^\d+ · /.test(r[0]?.text ?? ''));
  return rows.slice(first, next < 0 ? undefined : next).flat();
}
const labelsOf = (message: StoredMessage, n: number) =>
  rowOf(message, n)
    .map((b) => b.text)
    .filter((l) => !/[◀▶]/.test(l));
function pressRow(message: StoredMessage, n: number, label: string) {
  const button = rowOf(message, n).find((b) => b.text === label || b.text === `${n} · ${label}`);
  if (!button?.callback_data) throw new Error(`no "${label}" for card ${n}`);
  return send(t.fake.callbackUpdate(MIRA, message, button.callback_data));
}
/** The card lines of the page: "1. Title · ⭐ Saved", … */
const titleLines = (message: StoredMessage) => message.text.split('\n').filter((l) => /^\d+\. /.test(l));
const matchStatus = async (title: string) =>
  (
    await t.db.pool.query(
      `select m.status, m.dismiss_reason as reason from matches m join postings p on p.id = m.posting_id
       where p.title = $1`,
      [title],
    )
  ).rows[0];

beforeAll(async () => {
  t = await startTelegramApp({ mode: 'webhook', clock });
  watchMessages(t);
  await say('/prefs set keywords=typescript alerts=digest digest=08:30 tz=UTC threshold=0');
  const postedAt = new Date(clock.now().getTime() - 3_600_000).toISOString();
  for (let n = 1; n <= 7; n++)
    t.board.push(
      rawPosting({
        title: `TypeScript Engineer ${n} <R&D>`,
        company: `Acme & Sons ${n}`,
        postedAt,
      }),
    );
  await fetchAll(t);
});
afterAll(async () => {
  await t?.stop();
});

describe('Telegram digest', () => {
  let digest: StoredMessage;

  it('arrives as one message listing the top five as compact cards, each with its own buttons', async () => {
    const before = t.fake.calls.length;
    clock.set('2025-06-02T08:30:00Z');
    expect((await dispatch(t)).digests).toBe(1);
    const messages = sent(t.fake.since(before));
    expect(messages).toHaveLength(1);
    digest = t.fake.chat(MIRA.id).at(-1)!;
    const [headline] = digest.text.split('\n');
    expect(headline).toBe('📬 Your digest for 2025-06-02: 7 new matches (page 1 of 2)');
    const lines = titleLines(digest);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^1\. TypeScript Engineer \d <R&D>$/);
    expect(digest.text).toContain('Acme & Sons');
    expect(digest.text.length).toBeLessThanOrEqual(4096);
    // Each title is the link to its posting.
    expect(digest.links.filter((l) => l.startsWith('https://jobs.example/'))).toHaveLength(5);
    for (let n = 1; n <= 5; n++) expect(labelsOf(digest, n)).toEqual([`${n} · Save`, 'Dismiss', 'Applied']);
    expect(digest.markup!.inline_keyboard!.at(-1)!.map((b) => b.text)).toEqual(['More ▶']);
    const { rows } = await t.db.pool.query(`select message_ref as ref from digests`);
    expect(rows[0].ref).toEqual({ chatId: String(MIRA.id), messageId: String(digest.messageId) });
  });

  it('More turns the page of that same message; Previous turns it back', async () => {
    const firstPage = titleLines(digest);
    const calls = await send(t.fake.pressUpdate(MIRA, digest, 'More ▶'));
    expect(sent(calls)).toEqual([]);
    expect(digest.edits).toBe(1);
    expect(digest.text.split('\n')[0]).toBe('📬 Your digest for 2025-06-02: 7 new matches (page 2 of 2)');
    const secondPage = titleLines(digest);
    expect(secondPage).toHaveLength(2);
    const titles = [...firstPage, ...secondPage].map((l) => l.replace(/^\d+\. /, '')).sort();
    expect(titles).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => `TypeScript Engineer ${n} <R&D>`));
    expect(digest.markup!.inline_keyboard!.at(-1)!.map((b) => b.text)).toEqual(['◀ Previous']);
    await send(t.fake.pressUpdate(MIRA, digest, '◀ Previous'));
    expect(titleLines(digest)).toEqual(firstPage);
  });

  it('Save on a row saves that job and redraws the page with its new state', async () => {
    const title = titleLines(digest)[1]!.replace(/^2\. /, '');
    const calls = await pressRow(digest, 2, 'Save');
    expect(toast(calls)).toMatch(new RegExp(`^Saved: ${title.replace(/[()<>&]/g, '.')} at Acme & Sons`));
    expect(sent(calls)).toEqual([]);
    expect(titleLines(digest)[1]).toBe(`2. ${title} · ⭐ Saved`);
    expect(labelsOf(digest, 2)).toEqual(['2 · Applied', 'Dismiss', 'Undo']);
    expect(labelsOf(digest, 1)).toEqual(['1 · Save', 'Dismiss', 'Applied']);
    expect(await matchStatus(title)).toEqual({ status: 'saved', reason: null });
  });

  it('Dismiss on a row asks why with the reasons as buttons, and records the one chosen', async () => {
    const title = titleLines(digest)[2]!.replace(/^3\. /, '');
    const calls = await pressRow(digest, 3, 'Dismiss');
    expect(toast(calls)).toMatch(/^Dismissed: .*\nWhy\? \(optional: it tunes your future scores\)$/);
    expect(labelsOf(digest, 3)).toEqual([
      '3 · Not relevant',
      'Too junior',
      'Too senior',
      'Location',
      'Salary',
      'Company',
      'Undo',
    ]);
    expect(digest.text).toContain(`3. ${title} · 🚫 Dismissed`);
    expect(digest.text).toContain('Why? (optional: it tunes your future scores)');
    expect(labelsOf(digest, 2)).toEqual(['2 · Applied', 'Dismiss', 'Undo']);

    const noted = await pressRow(digest, 3, 'Too junior');
    expect(toast(noted)).toMatch(/^Noted: too junior \(/);
    expect(await matchStatus(title)).toEqual({ status: 'dismissed', reason: 'too_junior' });
    expect(labelsOf(digest, 3)).toEqual(['3 · Undo']);
    expect(digest.text).not.toContain('Why?');
    expect(t.fake.chat(MIRA.id).at(-1)).toBe(digest); // no message besides the digest
  });

  it('Undo while asking why takes the Dismiss back', async () => {
    await pressRow(digest, 4, 'Dismiss');
    const title = titleLines(digest)[3]!
      .replace(/^4\. /, '')
      .replace(/ · 🚫 Dismissed$/, '');
    await pressRow(digest, 4, 'Undo');
    expect(await matchStatus(title)).toEqual({ status: 'new', reason: null });
    expect(labelsOf(digest, 4)).toEqual(['4 · Save', 'Dismiss', 'Applied']);
  });

  it('a row press on someone else’s digest changes nothing', async () => {
    const shown = digest.text;
    const edits = digest.edits;
    const button = rowOf(digest, 1)[0]!;
    const stranger = { ...MIRA, id: 555000111, first_name: 'Eve', username: 'eve' };
    const calls = await send(t.fake.callbackUpdate(stranger, digest, button.callback_data!));
    expect(toast(calls)).toBe('That card belongs to someone else.');
    expect(digest.text).toBe(shown);
    expect(digest.edits).toBe(edits);
  });
});
