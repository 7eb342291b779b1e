/**
 * Telegram figures, against the fake Bot API of the tests (so they measure JobPing and grammY,
 * not Telegram's network):
 *   1. messages per second through the messenger, with auto-retry waiting out injected 429s;
 *   2. time from a `/jobs fetch` webhook request to its first reply, and to its last card
 *      (needs DATABASE_URL: a scratch database is created on that server and dropped).
 * Run: `DATABASE_URL=postgres://… node bench/telegram.ts`
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { buildTelegramApi } from '../src/bots/telegram/bot.ts';
import { createTelegramMessenger } from '../src/bots/telegram/messenger.ts';
import { loadConfig } from '../src/config.ts';
import type { Reply } from '../src/core/reply.ts';
import { createLogger } from '../src/log.ts';
import { startApp } from '../src/main.ts';
import { memoryBoards, rawPosting } from '../test/fakes/memory-source.ts';
import { FAILURES, startFakeTelegram } from '../test/fakes/telegram.ts';

const logger = createLogger({ level: 'silent', format: 'json' });
const CHAT = 987654321;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function throughput() {
  const fake = await startFakeTelegram();
  const messenger = createTelegramMessenger(
    buildTelegramApi({ token: fake.token, apiRoot: fake.apiRoot, logger }),
  );
  const target = { identityId: 1, platform: 'telegram' as const, externalId: String(CHAT), dmChannel: null };
  const reply: Reply = { text: 'Daily digest: 3 new matches & more <soon>' };
  const run = async (count: number, concurrency: number, every429: number) => {
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) {
          const n = next++;
          if (every429 && n > 0 && n % every429 === 0) fake.fail('sendMessage', FAILURES.tooManyRequests(1));
          await messenger.send(target, reply);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return { rate: count / seconds, seconds };
  };
  for (const [count, concurrency, every429] of [
    [1000, 1, 0],
    [1000, 16, 0],
    [1000, 1, 250],
    [1000, 16, 250],
  ] as const) {
    const r = await run(count, concurrency, every429);
    const limited = every429 ? `, a 429 (retry_after 1 s) every ${every429}` : '';
    console.log(
      `messenger: ${count} messages, ${concurrency} at a time${limited}: ${r.rate.toFixed(0)} msg/s (${r.seconds.toFixed(2)} s)`,
    );
  }
  await fake.close();
}

async function firstReply(adminUrl: string) {
  const name = `jobping_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const fake = await startFakeTelegram();
  const { boards, kind } = memoryBoards();
  boards.set(
    'memory:board',
    Array.from({ length: 50 }, (_, i) => rawPosting({ title: `TypeScript Engineer ${i}` })),
  );
  const secret = 'bench-secret_0123456789';
  const config = loadConfig({
    DATABASE_URL: url.toString(),
    PORT: '0',
    LOG_LEVEL: 'silent',
    PUBLIC_URL: 'https://jobping.example',
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TELEGRAM_WEBHOOK_SECRET: secret,
  });
  const app = await startApp(config, {
    logger,
    role: 'all',
    pollingIntervalSeconds: 0.5,
    sourceKinds: [kind],
  });
  app.bot.fetchPollMs = 50;
  try {
    await app.db.pool.query(`update sources set enabled = false where id = 'sample'`);
    await app.db.pool.query(`insert into sources (id, kind) values ('memory:board', 'memory')`);
    const user = { id: CHAT, is_bot: false as const, first_name: 'Mira' };
    const chat = { id: CHAT, type: 'private' as const };
    const post = (text: string) =>
      fetch(`${app.url}/telegram/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
        body: JSON.stringify(fake.textUpdate(user, chat, text)),
      });
    await post('/prefs set keywords=typescript alerts=off');
    const first: number[] = [];
    const last: number[] = [];
    for (let run = 0; run < 10; run++) {
      const before = fake.calls.length;
      const started = performance.now();
      await post('/jobs fetch');
      const reply = await fake.waitFor((c) => c.method === 'sendMessage' && fake.calls.indexOf(c) >= before);
      first.push(performance.now() - started);
      const edited = await fake.waitFor(
        (c) =>
          fake.calls.indexOf(c) >= before &&
          c.method === 'editMessageText' &&
          /new match/.test(String(c.params.text)),
        60_000,
      );
      // The first run has 10 cards to send after the summary; later runs find nothing new.
      const cards = /(\d+) new match/.exec(String(edited.params.text))![1]!;
      const expected = Math.min(10, Number(cards));
      const sends = () => fake.since(before).filter((c) => c.method === 'sendMessage');
      await fake.waitFor(() => sends().length >= 1 + expected, 60_000);
      const lastAt = Math.max(edited.at, ...sends().map((c) => c.at));
      last.push(lastAt - reply.at + first.at(-1)!);
    }
    console.log(
      `/jobs fetch (webhook): first reply after ${median(first).toFixed(1)} ms (median of 10; max ${Math.max(...first).toFixed(1)} ms)`,
    );
    console.log(
      `/jobs fetch (webhook): last message after ${median(last).toFixed(0)} ms (median of 10; first run, 50 postings analysed and 10 cards sent: ${last[0]!.toFixed(0)} ms)`,
    );
  } finally {
    await app.stop();
    await fake.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

await throughput();
if (process.env.DATABASE_URL) await firstReply(process.env.DATABASE_URL);
else console.log('/jobs fetch timing skipped: set DATABASE_URL to a PostgreSQL server');
