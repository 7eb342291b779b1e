import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestFetch } from '../../src/pipeline/fetch.ts';
import { rawPosting } from '../fakes/memory-source.ts';
import { FAILURES, type TelegramCall } from '../fakes/telegram.ts';
import { dm, MIRA, startTelegramApp, type TelegramTestApp, until } from '../helpers/telegram.ts';

/**
 * A chat platform that answers 5xx to an alert (Telegram's "Internal Server Error: restart"): the
 * alert is sent again after a pause, arrives once, and its delivery is recorded once.
 */

let t: TelegramTestApp;
beforeAll(async () => {
  t = await startTelegramApp({ mode: 'webhook' });
});
afterAll(async () => {
  await t?.stop();
});

const alertTo = (c: TelegramCall) =>
  c.method === 'sendMessage' &&
  Number(c.params.chat_id) === MIRA.id &&
  String(c.params.text).startsWith('🔔');

describe('a chat platform failing with 5xx', () => {
  it('an alert answered 500 twice is retried and delivered exactly once', async () => {
    const answer = await t.post(
      t.fake.textUpdate(MIRA, dm(MIRA), '/prefs set keywords=rust alerts=instant threshold=0'),
    );
    expect(answer.status).toBe(200);
    t.fake.fail('sendMessage', FAILURES.internal, {
      times: 2,
      when: (p) => Number(p.chat_id) === MIRA.id && String(p.text).startsWith('🔔'),
    });
    t.board.push(rawPosting({ title: 'Senior Rust Engineer', company: 'Ferrous Ltd', tags: ['rust'] }));
    await requestFetch(t.app.bot, { trigger: 'api', userId: null, query: null });

    // The notify job is done (not just the message sent): nothing more will be tried.
    await until(async () => {
      const { rows } = await t.db.pool.query(
        `select count(*) filter (where state <> 'completed')::int as open, count(*)::int as n
         from pgboss.job where name = 'notify'`,
      );
      return rows[0].n > 0 && rows[0].open === 0;
    }, 30_000);

    const attempts = t.fake.calls.filter(alertTo);
    expect(attempts.map((c) => c.status)).toEqual([500, 500, 200]);
    expect(new Set(attempts.map((c) => c.params.text)).size).toBe(1); // the same alert each time
    const inChat = t.fake.chat(MIRA.id).filter((m) => m.text.startsWith('🔔'));
    expect(inChat).toHaveLength(1);
    expect(inChat[0]!.text).toMatch(/^🔔 New match \(\d+\): Senior Rust Engineer at Ferrous Ltd\n/);
    const { rows } = await t.db.pool.query(`select status, message_ref as ref from deliveries`);
    expect(rows).toEqual([
      { status: 'sent', ref: { chatId: String(MIRA.id), messageId: String(inChat[0]!.messageId) } },
    ]);
  }, 60_000);
});
