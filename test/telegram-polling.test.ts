import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionsFor, type Card, type Reply } from '../src/core/reply.ts';
import { createLogger } from '../src/log.ts';
import { requestFetch } from '../src/pipeline/fetch.ts';
import { rawPosting } from './fakes/memory-source.ts';
import { FAILURES, type TelegramCall, type TelegramUser } from './fakes/telegram.ts';
import { BOB, dm, MIRA, startTelegramApp, type TelegramTestApp, until } from './helpers/telegram.ts';

/**
 * Telegram with long polling (no PUBLIC_URL): updates come from the fake's getUpdates through
 * @grammyjs/runner. Also alerts (DMs through the messenger), 429 and 403 handling, and the
 * worker role, which only sends.
 */

let t: TelegramTestApp;

const cardOf = (title: string): Card => ({
  matchId: 1,
  title,
  url: 'https://jobs.example/1',
  company: 'Acme',
  location: null,
  remote: 'remote',
  salary: null,
  score: 80,
  reasons: [],
  source: 'Memory board',
  attribution: null,
  postedAt: null,
  status: 'new',
  actions: actionsFor('new'),
});

beforeAll(async () => {
  t = await startTelegramApp({ mode: 'polling' });
});
afterAll(async () => {
  await t?.stop();
});

const toChat = (user: TelegramUser) => (c: TelegramCall) =>
  c.method === 'sendMessage' && Number(c.params.chat_id) === user.id;
const ok = (c: TelegramCall) => c.status === 200;

/** Queues updates for getUpdates; resolves once the bot answered the last one in that chat. */
async function sayAll(user: TelegramUser, texts: string[]): Promise<TelegramCall[]> {
  const before = t.fake.calls.length;
  const updates = texts.map((text) => t.fake.textUpdate(user, dm(user), text));
  for (const u of updates) t.fake.push(u);
  const replies = () => t.fake.since(before).filter((c) => toChat(user)(c) && ok(c));
  return until(async () => replies().length >= texts.length && replies());
}

const identity = async (user: TelegramUser) =>
  (
    await t.db.pool.query(
      'select deliverable, undeliverable_reason as reason from identities where external_id = $1',
      [String(user.id)],
    )
  ).rows[0];

describe('Telegram long polling', () => {
  it('clears any webhook before polling, so getUpdates is not refused', async () => {
    await t.fake.waitFor((c) => c.method === 'getUpdates');
    const methods = t.fake.calls.map((c) => c.method);
    expect(methods.indexOf('deleteWebhook')).toBeGreaterThan(-1);
    expect(methods.indexOf('deleteWebhook')).toBeLessThan(methods.indexOf('getUpdates'));
    expect(methods).toContain('setMyCommands');
  });

  it("answers a chat's messages in the order they were sent", async () => {
    const replies = await sayAll(MIRA, ['/help', '/jobs', '/prefs', '/jobs saved']);
    expect(replies.map((c) => String(c.params.text).split('\n')[0])).toEqual([
      'Welcome to JobPing! Tell me what you look for, then fetch:',
      'No matches yet. Try /jobs fetch, or widen your preferences with /prefs set.',
      'Your preferences:',
      'Nothing saved yet. Press Save on a job card to keep it here.',
    ]);
  });

  it('an update delivered twice is handled once', async () => {
    const before = t.fake.calls.length;
    const update = t.fake.textUpdate(MIRA, dm(MIRA), '/help');
    t.fake.push(update);
    t.fake.push(update);
    const marker = t.fake.textUpdate(MIRA, dm(MIRA), '/jobs saved');
    t.fake.push(marker);
    await until(async () =>
      t.fake.since(before).some((c) => toChat(MIRA)(c) && /^Nothing saved/.test(String(c.params.text))),
    );
    expect(
      t.fake
        .since(before)
        .filter(toChat(MIRA))
        .map((c) => String(c.params.text).slice(0, 20)),
    ).toEqual(['JobPing finds jobs t', 'Nothing saved yet. P']);
  });

  it('a 429 is waited out as Telegram asks (retry_after), then the message goes through', async () => {
    t.fake.fail('sendMessage', FAILURES.tooManyRequests(1), { when: (p) => Number(p.chat_id) === BOB.id });
    const before = t.fake.calls.length;
    await sayAll(BOB, ['/prefs set alerts=off']);
    const attempts = t.fake.since(before).filter(toChat(BOB));
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(990);
    expect(String(attempts[1]!.params.text)).toMatch(/^Saved\. Your preferences:/);
  });

  it('a new match is sent as a DM card; its buttons work there and keep the bell line', async () => {
    await sayAll(MIRA, ['/prefs set keywords=typescript alerts=instant threshold=0']);
    t.board.push(rawPosting({ title: 'Staff TypeScript Engineer', company: 'Initech & Sons' }));
    await requestFetch(t.app.bot, { trigger: 'api', userId: null, query: null });
    const sent = await t.fake.waitFor(
      (c) => toChat(MIRA)(c) && ok(c) && String(c.params.text).startsWith('🔔'),
      20_000,
    );
    const alert = t.fake
      .chat(MIRA.id)
      .find((m) => m.messageId === (sent.body.result as { message_id: number }).message_id)!;
    expect(alert.text.split('\n').slice(0, 2)).toEqual([
      expect.stringMatching(/^🔔 New match \(\d+\): Staff TypeScript Engineer at Initech & Sons$/),
      'Staff TypeScript Engineer',
    ]);
    const delivery = await until(async () => {
      const { rows } = await t.db.pool.query(`select status, message_ref as ref from deliveries`);
      return rows[0]?.status === 'sent' && rows[0];
    });
    expect(delivery.ref).toEqual({ chatId: String(MIRA.id), messageId: String(alert.messageId) });

    const press = t.fake.pressUpdate(MIRA, alert, 'Save');
    t.fake.push(press);
    await t.fake.waitFor((c) => c.method === 'editMessageText' && c.params.message_id === alert.messageId);
    expect(t.fake.isAnswered(press.callback_query.id)).toBe(true);
    expect(alert.text).toMatch(/^🔔 New match .*\nStaff TypeScript Engineer\n[\s\S]*⭐ Saved$/);
  });

  it('a user who blocked the bot (403) is marked undeliverable until they write again', async () => {
    await sayAll(BOB, ['/prefs set keywords=rust alerts=instant threshold=0']);
    t.fake.fail('sendMessage', FAILURES.blocked, { when: (p) => Number(p.chat_id) === BOB.id });
    t.board.push(
      rawPosting({
        title: 'Rust Engineer',
        company: 'Ferrous',
        description: 'Rust services',
        tags: ['rust'],
      }),
    );
    await requestFetch(t.app.bot, { trigger: 'api', userId: null, query: null });
    const row = await until(async () => {
      const { rows } = await t.db.pool.query(
        `select d.status, d.error from deliveries d join identities i on i.id = d.identity_id where i.external_id = $1`,
        [String(BOB.id)],
      );
      return rows[0]?.status === 'undeliverable' && rows[0];
    });
    expect(row.error).toBe('Forbidden: bot was blocked by the user');
    expect(await identity(BOB)).toEqual({
      deliverable: false,
      reason: 'Forbidden: bot was blocked by the user',
    });
    await sayAll(BOB, ['/start']);
    expect(await identity(BOB)).toEqual({ deliverable: true, reason: null });
  });
});

describe('Telegram in the worker role', () => {
  let worker: TelegramTestApp;
  beforeAll(async () => {
    worker = await startTelegramApp({ mode: 'polling', role: 'worker' });
  });
  afterAll(async () => {
    await worker?.stop();
  });

  it('receives nothing and only sends: no getUpdates, no webhook change, a working messenger', async () => {
    expect(worker.fake.calls).toEqual([]);
    const messenger = worker.app.messengers.get('telegram')!;
    const reply: Reply = { text: 'Digest: <2> new & shiny' };
    const target = {
      identityId: 1,
      platform: 'telegram' as const,
      externalId: String(MIRA.id),
      dmChannel: null,
    };
    const sent = await messenger.send(target, reply);
    expect(sent.ref).toEqual({ chatId: String(MIRA.id), messageId: expect.any(String) });
    expect(worker.fake.chat(MIRA.id).map((m) => m.text)).toEqual(['Digest: <2> new & shiny']);
    // A click elsewhere changed the match: the sent card is edited in place.
    const card = {
      ...cardOf('Staff <TypeScript> Engineer'),
      status: 'saved' as const,
      actions: actionsFor('saved'),
    };
    await messenger.updateCard!(sent.ref, card);
    expect(worker.fake.chat(MIRA.id)[0]!.text).toMatch(/^Staff <TypeScript> Engineer\n[\s\S]*⭐ Saved$/);
    worker.fake.fail('sendMessage', FAILURES.deactivated);
    await expect(messenger.send(target, reply)).rejects.toMatchObject({
      name: 'UndeliverableError',
      message: 'Forbidden: user is deactivated',
    });
    expect(worker.fake.calls.map((c) => c.method)).toEqual(['sendMessage', 'editMessageText', 'sendMessage']);
  });
});

describe('Telegram with PUBLIC_URL but no TELEGRAM_WEBHOOK_SECRET', () => {
  let half: TelegramTestApp;
  const logged: { level: number; msg: string }[] = [];
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) logged.push(JSON.parse(line));
        done();
      },
    });
    half = await startTelegramApp({
      mode: 'polling',
      env: { PUBLIC_URL: 'https://jobping.example' },
      logger: createLogger({ level: 'warn', format: 'json' }, sink),
    });
  });
  afterAll(async () => {
    await half?.stop();
  });

  it('polls, sets no webhook, and warns by name why at start', async () => {
    await half.fake.waitFor((c) => c.method === 'getUpdates');
    expect(half.fake.calls.map((c) => c.method)).not.toContain('setWebhook');
    const warnings = logged.filter((l) => l.level === 40 && /PUBLIC_URL/.test(l.msg)).map((l) => l.msg);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^Telegram uses long polling although PUBLIC_URL is set, because TELEGRAM_WEBHOOK_SECRET is not\. Only one process may poll/,
      ),
    ]);
  });
});
