import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredMessage, TelegramCall } from './fakes/telegram.ts';
import { dm, MIRA, startTelegramApp, type TelegramTestApp } from './helpers/telegram.ts';

/** The /prefs menu in Telegram: a button per preference, free-text answers, choice buttons. */

let t: TelegramTestApp;

beforeAll(async () => {
  t = await startTelegramApp({ mode: 'webhook' });
});
afterAll(async () => {
  await t?.stop();
});

async function send(update: object): Promise<TelegramCall[]> {
  const before = t.fake.calls.length;
  expect((await t.post(update)).status).toBe(200);
  return t.fake.since(before);
}
const say = (text: string) => send(t.fake.textUpdate(MIRA, dm(MIRA), text));
const press = (message: StoredMessage, label: string) => send(t.fake.pressUpdate(MIRA, message, label));
const last = () => t.fake.chat(MIRA.id).at(-1)!;
const toast = (calls: TelegramCall[]) => calls.find((c) => c.method === 'answerCallbackQuery')?.params.text;
const labels = (m: StoredMessage) => m.markup?.inline_keyboard?.flat().map((b) => b.text);
const prefs = async () =>
  (
    await t.db.pool.query(
      'select keywords, salary_min as "salaryMin", remote, alert_mode as "alertMode" from preferences',
    )
  ).rows[0];

describe('Telegram /prefs menu', () => {
  it('/start offers the menu; the menu has a button per preference', async () => {
    await say('/start');
    const calls = await press(last(), 'Set my preferences');
    expect(calls.find((c) => c.method === 'answerCallbackQuery')).toBeDefined();
    const menu = last();
    expect(menu.text).toMatch(/^Your preferences:\n• keywords: none \(every job\)/);
    expect(labels(menu)).toEqual([
      'Keywords',
      'Excluded words',
      'Locations',
      'Remote',
      'Salary floor',
      'Currency',
      'Seniority',
      'Blocked companies',
      'Alerts',
      'Alert threshold',
      'Digest time',
      'Digest days',
      'Time zone',
      'Quiet hours',
      'Daily cap',
      'Alerts go to',
    ]);
  });

  it('a free-text field asks for the value and saves a good answer', async () => {
    const menu = t.fake.chat(MIRA.id).findLast((m) => labels(m)?.includes('Keywords'))!;
    await press(menu, 'Keywords');
    const question = last();
    expect(question.text).toMatch(
      /^Send me your new keywords: comma-separated words a job must mention, e\.g\. typescript,node\./,
    );
    expect(question.markup).toMatchObject({ force_reply: true });
    await say('TypeScript, node');
    expect(last().text).toMatch(/^Saved\. Your preferences:\n• keywords: typescript, node/);
    expect(labels(last())).toContain('Salary floor');
    expect(await prefs()).toMatchObject({ keywords: ['typescript', 'node'] });
    // Answered: the next plain message is not taken as keywords.
    await say('rust');
    expect(last().text).toBe('I answer commands. Send /help to see them.');
  });

  it('a bad answer is explained, saves nothing, and the question stays open for another try', async () => {
    await press(t.fake.chat(MIRA.id).findLast((m) => labels(m)?.includes('Salary floor'))!, 'Salary floor');
    const { rows } = await t.db.pool.query('select field from telegram_pending_inputs');
    expect(rows).toEqual([{ field: 'salary_min' }]);
    await say('lots');
    expect(last().text).toBe(
      'Nothing was saved. salary_min: expected a yearly amount like 120000 or 120k — yearly floor, e.g. salary_min=120000 or 120k (none to clear)\nSend another value, or any command (like /prefs) to stop.',
    );
    expect(await prefs()).toMatchObject({ salaryMin: null });
    await say('120k');
    expect(last().text).toContain('salary floor: $120k USD / year');
    expect(await prefs()).toMatchObject({ salaryMin: 120000 });
  });

  it('a command cancels an open question', async () => {
    await press(t.fake.chat(MIRA.id).findLast((m) => labels(m)?.includes('Locations'))!, 'Locations');
    await say('/help');
    await say('berlin');
    expect(last().text).toBe('I answer commands. Send /help to see them.');
    expect((await t.db.pool.query('select count(*)::int as n from telegram_pending_inputs')).rows[0].n).toBe(
      0,
    );
  });

  it('choice fields offer their values as buttons, with Back', async () => {
    const menu = t.fake.chat(MIRA.id).findLast((m) => labels(m)?.includes('Remote'))!;
    await press(menu, 'Remote');
    expect(labels(menu)).toEqual(['Remote only', 'Remote or hybrid', 'Hybrid', 'On-site', 'Any', '« Back']);
    await press(menu, '« Back');
    expect(labels(menu)).toContain('Keywords');
    await press(menu, 'Remote');
    const calls = await press(menu, 'Remote only');
    expect(toast(calls)).toBe('Saved: remote');
    expect(menu.text).toMatch(/• remote: remote only/);
    expect(labels(menu)).toContain('Keywords');
    await press(menu, 'Alerts');
    await press(menu, 'Digest');
    expect(await prefs()).toMatchObject({ remote: 'remote', alertMode: 'digest' });
  });

  it('/prefs shows the menu and /prefs set is a shortcut', async () => {
    await say('/prefs');
    expect(labels(last())).toContain('Alert threshold');
    await say('/prefs set threshold=80 alerts=instant');
    expect(last().text).toContain('alerts: instant, score ≥ 80');
    await say('/prefs set threshold=140');
    expect(last().text).toMatch(/^Nothing was saved\. threshold: expected a whole number from 0 to 100/);
    expect(labels(last())).toBeUndefined();
  });
});
