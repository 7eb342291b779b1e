import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGNING_SECRET } from '../fakes/slack.ts';
import { type SlackHarness, startSlackHarness } from '../helpers/slack.ts';
import { startTelegramApp, type TelegramTestApp, WEBHOOK_SECRET } from '../helpers/telegram.ts';

/**
 * Hostile requests at the two public webhook endpoints: bodies far over the limit, bytes that are
 * not UTF-8, JSON that is not an update. Each gets a clear 4xx and changes nothing; the service
 * keeps answering.
 */

let slack: SlackHarness;
let telegram: TelegramTestApp;

beforeAll(async () => {
  [slack, telegram] = await Promise.all([startSlackHarness(), startTelegramApp({ mode: 'webhook' })]);
});
afterAll(async () => {
  await slack?.stop();
  await telegram?.stop();
});

function slackHeaders(body: Buffer | string) {
  const ts = String(Math.floor(Date.now() / 1000));
  const sig = createHmac('sha256', SIGNING_SECRET)
    .update(Buffer.concat([Buffer.from(`v0:${ts}:`), Buffer.from(body)]))
    .digest('hex');
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': ts,
    'x-slack-signature': `v0=${sig}`,
  };
}

async function count(
  db: { pool: { query: (q: string) => Promise<{ rows: { n: number }[] }> } },
  table: string,
) {
  return (await db.pool.query(`select count(*)::int as n from ${table}`)).rows[0]!.n;
}

describe('hostile HTTP input', () => {
  it('Slack: an oversize body gets 413 before it is read; the endpoint keeps working', async () => {
    const big = `command=%2Fjobs&text=${'a'.repeat(2 * 1024 * 1024)}`;
    const res = await fetch(slack.url, { method: 'POST', headers: slackHeaders(big), body: big });
    expect(res.status).toBe(413);
    expect(await count(slack.t.db, 'users')).toBe(0);
    const ok = await slack.user('U1').command('/help');
    expect(ok.res.status).toBe(200);
  });

  it('Slack: a correctly signed body that is not UTF-8 changes nothing', async () => {
    const body = Buffer.concat([
      Buffer.from('command=%2Fjobs&user_id=UX&team_id=TX&text='),
      Buffer.from([0xff, 0xfe, 0xc3]),
    ]);
    const res = await fetch(slack.url, { method: 'POST', headers: slackHeaders(body), body });
    expect(res.status).toBeGreaterThanOrEqual(200);
    expect(res.status).toBeLessThan(500);
    const { rows } = await slack.t.db.pool.query(
      `select count(*)::int as n from identities where external_id like 'TX:%'`,
    );
    expect(rows[0].n).toBe(0);
  });

  it('Telegram: oversize, non-UTF-8 and malformed updates get 4xx and touch nothing', async () => {
    const url = `${telegram.app.url}/telegram/webhook`;
    const headers = { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET };
    const big = JSON.stringify({ update_id: 1, message: { text: 'x'.repeat(2 * 1024 * 1024) } });
    expect((await fetch(url, { method: 'POST', headers, body: big })).status).toBe(413);
    const notUtf8 = Buffer.concat([
      Buffer.from('{"update_id": 2, "message": {"text": "'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}}'),
    ]);
    const res = await fetch(url, { method: 'POST', headers, body: notUtf8 });
    expect(res.status).toBeLessThan(500);
    expect(
      (await fetch(url, { method: 'POST', headers, body: '{"update_id": "three", "message": 7}' })).status,
    ).toBeLessThan(500);
    expect((await fetch(url, { method: 'POST', headers, body: 'not json at all' })).status).toBe(400);
    expect(await count(telegram.db, 'users')).toBe(0);
    expect(telegram.fake.calls.filter((c) => c.method.toLowerCase() === 'sendmessage')).toHaveLength(0);
  });
});
