import { loadConfig } from '../src/config.ts';
import { createInstantDeliveries } from '../src/db/deliveries.ts';
import { withTransaction } from '../src/db/pool.ts';
import { createLogger } from '../src/log.ts';
import { type RunningApp, startApp } from '../src/main.ts';
import { releaseDeliveries } from '../src/pipeline/deliver.ts';
import { BOT_TOKEN, startFakeTelegram } from '../test/fakes/telegram.ts';
import { freshDatabase, insertUsers } from './db.ts';
import { seedPostings } from './fanout.ts';
import { generateUsers } from './generate.ts';

/**
 * Scenario 4: a burst of instant alerts — `alerts` DMs, `perUser` to each user — through the real
 * notify stage (pg-boss workers with their production settings) and the real Telegram messenger
 * (grammY with auto-retry), against a fake Bot API that enforces Telegram's flood limits: 429 with
 * retry_after above 30 messages a second overall or 1 a second in one chat. Every message must
 * arrive exactly once; the floor is alerts ÷ 30 seconds.
 */

export interface DeliveryFigures {
  alerts: number;
  users: number;
  seconds: number;
  floorSeconds: number;
  messagesPerSecond: number;
  tooManyRequests: number;
  delivered: number;
  duplicates: number;
  lost: number;
}

const LIMITS = { perSecond: 30, perChatPerSecond: 1 };
const logger = createLogger({ level: 'silent', format: 'json' });

/** `perUser` new matches (score 90) for each user, to the newest postings. */
async function createMatches(app: RunningApp, postingIds: number[], perUser: number): Promise<number[]> {
  const { rows } = await app.db.pool.query<{ id: number }>(
    `insert into matches (user_id, posting_id, score, reasons)
     select u.id, p.id, 90, '["bench"]'::jsonb
     from users u cross join lateral (
       select id from unnest($1::bigint[]) as p(id) order by (p.id + u.id * 7919) % 1000 limit $2
     ) p
     returning id`,
    [postingIds, perUser],
  );
  return rows.map((r) => r.id);
}

export async function runDelivery(
  adminUrl: string,
  options: { alerts: number; perUser: number; log: (line: string) => void },
): Promise<DeliveryFigures> {
  const users = Math.ceil(options.alerts / options.perUser);
  const telegram = await startFakeTelegram({ rateLimits: LIMITS });
  const db = await freshDatabase(adminUrl, 'delivery');
  let app: RunningApp | undefined;
  try {
    app = await startApp(
      loadConfig({
        DATABASE_URL: db.url,
        LOG_LEVEL: 'silent',
        TELEGRAM_BOT_TOKEN: BOT_TOKEN,
        TELEGRAM_API_ROOT: telegram.apiRoot,
      }),
      { logger, role: 'worker', cron: false },
    );
    const postingIds = await seedPostings(app.db.pool, Math.max(50, options.perUser * 10));
    await insertUsers(app.db.pool, generateUsers(users), {
      alertMode: 'instant',
      platform: 'telegram',
      idBase: 700_000_000,
    });
    const matchIds = (await createMatches(app, postingIds, options.perUser)).slice(0, options.alerts);
    const before = telegram.calls.length;
    const started = performance.now();
    const released = await withTransaction(app.db.pool, async (tx) => {
      const now = new Date();
      const deliveries = await createInstantDeliveries(tx, matchIds, now);
      return releaseDeliveries(tx, { queues: app!.queues, now }, deliveries);
    });
    options.log(`  ${released.queued} alerts queued for ${users} users`);
    const deadline = performance.now() + 15 * 60_000;
    let open = released.queued;
    while (open > 0 && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      const { rows } = await app.db.pool.query<{ n: number }>(
        `select count(*)::int as n from deliveries where status not in ('sent', 'undeliverable', 'skipped')`,
      );
      open = rows[0]!.n;
    }
    const seconds = (performance.now() - started) / 1000;
    const calls = telegram.since(before).filter((c) => c.method === 'sendMessage');
    const accepted = calls.filter((c) => c.status === 200);
    // A card's buttons carry its match id: the same chat getting the same buttons twice is a duplicate.
    const unique = new Set(
      accepted.map((c) => `${c.params.chat_id} ${JSON.stringify(c.params.reply_markup)}`),
    );
    const { rows } = await app.db.pool.query<{ n: number }>(
      `select count(*)::int as n from deliveries where status = 'sent'`,
    );
    return {
      alerts: released.queued,
      users,
      seconds,
      floorSeconds: released.queued / LIMITS.perSecond,
      messagesPerSecond: accepted.length / seconds,
      tooManyRequests: calls.filter((c) => c.status === 429).length,
      delivered: unique.size,
      duplicates: accepted.length - unique.size,
      lost: released.queued - Math.min(unique.size, rows[0]!.n),
    };
  } finally {
    await app?.stop();
    await telegram.close();
    await db.drop();
  }
}
