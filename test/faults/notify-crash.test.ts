import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/ports.ts';
import { requestFetch } from '../../src/pipeline/fetch.ts';
import { type Queues, startQueues } from '../../src/pipeline/queues.ts';
import { createTestDatabase, type TestDatabase, testLogger } from '../helpers/db.ts';
import { eventually, spawnWorker } from './helpers.ts';

/**
 * A worker killed with SIGKILL while alerts are on their way to Telegram. Every alert still
 * arrives (nothing lost); the only alerts that can arrive twice are the ones whose request had
 * reached Telegram when the process died (Telegram's API has no idempotency key, so the second
 * worker cannot know they went out). Everything that was not in flight arrives exactly once.
 */

const TOKEN = '123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawXX';

/** Just enough of the Bot API for sending alerts, with answers held back while `holdMs` > 0. */
async function startSlowTelegram() {
  const received: { id: number; chatId: string; text: string; answered: boolean }[] = [];
  let holdMs = 2000;
  let messageId = 100;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      const method = (req.url ?? '').split('/').pop()?.toLowerCase() ?? '';
      const params = body ? (JSON.parse(body) as Record<string, unknown>) : {};
      const reply = (result: unknown) =>
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ok: true, result }));
      if (method !== 'sendmessage') return reply(true);
      const entry = {
        id: ++messageId,
        chatId: String(params.chat_id),
        text: String(params.text),
        answered: false,
      };
      received.push(entry);
      setTimeout(() => {
        entry.answered = true;
        if (!res.destroyed)
          reply({
            message_id: entry.id,
            date: 0,
            chat: { id: Number(entry.chatId), type: 'private' },
            text: entry.text,
          });
      }, holdMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    setHold: (ms: number) => {
      holdMs = ms;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

let db: TestDatabase | undefined;
let queues: Queues | undefined;
let telegram: Awaited<ReturnType<typeof startSlowTelegram>> | undefined;
const kills: (() => void)[] = [];

afterEach(async () => {
  for (const kill of kills.splice(0)) kill();
  await queues?.stop(2000);
  await telegram?.close();
  await db?.drop();
});

describe('a worker killed while sending alerts', () => {
  it('loses no alert, and sends twice only what had reached Telegram when it died', async () => {
    db = await createTestDatabase();
    telegram = await startSlowTelegram();
    queues = await startQueues({ url: db.url, logger: testLogger, supervise: false, schedule: false });
    // Ten people who want every remote job, alerted on Telegram at once.
    for (let i = 1; i <= 10; i++) {
      const { rows } = await db.pool.query<{ id: number }>(
        `insert into users (display_name) values ($1) returning id`,
        [`tg${i}`],
      );
      await db.pool.query(
        `insert into identities (user_id, platform, external_id, dm_channel) values ($1, 'telegram', $2, $2)`,
        [rows[0]!.id, String(9000 + i)],
      );
      await db.pool.query(
        `insert into preferences (user_id, keywords, remote, alert_mode, alert_threshold) values ($1, '{rust}', 'remote', 'instant', 0)`,
        [rows[0]!.id],
      );
    }
    const env = { DATABASE_URL: db.url, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: telegram.url };
    const first = spawnWorker(env);
    kills.push(() => first.child.kill('SIGKILL'));
    await requestFetch(
      { pool: db.pool, queues, clock: systemClock },
      { trigger: 'cli', userId: null, query: null },
    );

    await eventually(
      'alerts on their way',
      async () => telegram!.received.length,
      (n) => n >= 4,
    );
    first.child.kill('SIGKILL');
    await first.exited;
    const inFlight = new Set(
      telegram.received.filter((r) => !r.answered).map((r) => `${r.chatId}|${r.text}`),
    );
    expect(inFlight.size).toBeGreaterThan(0);

    telegram.setHold(0);
    const second = spawnWorker(env);
    kills.push(() => second.child.kill('SIGKILL'));
    const { rows: expected } = await eventually(
      'every alert to be sent',
      () =>
        db!.pool.query<{ total: number; sent: number }>(
          `select count(*)::int as total, count(*) filter (where status = 'sent')::int as sent from deliveries`,
        ),
      (r) => r.rows[0]!.total > 0 && r.rows[0]!.sent === r.rows[0]!.total,
      90_000,
    );
    const total = expected[0]!.total;
    // Ten users × the sample board's remote Rust jobs.
    expect(total % 10).toBe(0);

    const counts = new Map<string, number>();
    for (const r of telegram.received)
      counts.set(`${r.chatId}|${r.text}`, (counts.get(`${r.chatId}|${r.text}`) ?? 0) + 1);
    expect(counts.size).toBe(total); // every alert arrived
    for (const [key, n] of counts) {
      if (inFlight.has(key)) expect(n).toBeLessThanOrEqual(2);
      else expect({ key, n }).toEqual({ key, n: 1 });
    }
  }, 150_000);
});
