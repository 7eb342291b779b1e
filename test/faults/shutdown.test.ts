import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { type RunningApp, startApp } from '../../src/main.ts';
import { requestFetch } from '../../src/pipeline/fetch.ts';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord.ts';
import { APPLICATION_ID } from '../fakes/discord-payloads.ts';
import { createTestDatabase, type TestDatabase, testLogger } from '../helpers/db.ts';
import { eventually } from './helpers.ts';

/**
 * SIGTERM (`app.stop()`) while alerts are on their way to Discord over the gateway client. The
 * queue stops taking jobs and lets the running ones finish before the Discord client is
 * destroyed (which clears its REST token): the alerts in hand go out once, the rest wait in the
 * queue for the next start. None fails, none is lost, none arrives twice.
 */

const TOKEN = 'MTI2MjMzNjAzNjI5ODU1NTM5Mg.GhT4aQ.fake-token-for-local-tests-only-0000000000';
const isMessagePost = (r: { method: string; path: string }) =>
  r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path);
/** An alert to someone whose DM channel is not known yet opens it first: two requests. */
const isDmOpen = (r: { method: string; path: string }) =>
  r.method === 'POST' && r.path === '/users/@me/channels';

let fake: FakeDiscord | undefined;
let db: TestDatabase | undefined;
const apps: RunningApp[] = [];

afterEach(async () => {
  for (const app of apps.splice(0)) await app.stop();
  await fake?.close();
  await db?.drop();
});

async function start(database: TestDatabase, apiUrl: string) {
  const config = loadConfig({
    DATABASE_URL: database.url,
    LOG_LEVEL: 'silent',
    DISCORD_TOKEN: TOKEN,
    DISCORD_APPLICATION_ID: APPLICATION_ID,
    DISCORD_API_URL: apiUrl,
  });
  const app = await startApp(config, {
    logger: testLogger,
    role: 'all',
    http: false,
    pollingIntervalSeconds: 0.5,
    cron: false,
  });
  apps.push(app);
  return app;
}

async function deliveryStates(database: TestDatabase) {
  const { rows } = await database.pool.query<{ status: string; n: number; errors: string[] }>(
    `select status, count(*)::int as n, array_remove(array_agg(distinct error), null) as errors
     from deliveries group by status order by status`,
  );
  return rows;
}

describe('shutdown while alerts are being sent', () => {
  it('finishes the alerts in hand with the platform still connected; the rest go out once after a restart', async () => {
    fake = await startFakeDiscord({ token: TOKEN, heartbeatIntervalMs: 1000 });
    db = await createTestDatabase();
    // Four people who want every remote Rust job, alerted by DM at once; their DM channels are
    // not known yet, so each alert opens one, then posts to it.
    for (let i = 1; i <= 4; i++) {
      const user = fake.user(`dev${i}`);
      const { rows } = await db.pool.query<{ id: number }>(
        `insert into users (display_name) values ($1) returning id`,
        [`dev${i}`],
      );
      await db.pool.query(
        `insert into identities (user_id, platform, external_id) values ($1, 'discord', $2)`,
        [rows[0]!.id, user.id],
      );
      await db.pool.query(
        `insert into preferences (user_id, keywords, remote, alert_mode, alert_threshold) values ($1, '{rust}', 'remote', 'instant', 0)`,
        [rows[0]!.id],
      );
    }
    fake.slowDown(isDmOpen, 500);
    const first = await start(db, fake.apiUrl);
    await requestFetch(first.bot, { trigger: 'cli', userId: null, query: null });
    // Alerts half way: DM channels are being opened (one at a time: discord.js queues requests
    // per route) when SIGTERM comes.
    await eventually(
      'alerts on their way',
      async () => fake!.pending,
      (n) => n >= 1,
    );

    await first.stop();
    apps.splice(apps.indexOf(first), 1);
    const afterStop = await deliveryStates(db);
    // Stopped cleanly: nothing failed or was left half sent; what was running was sent.
    expect(afterStop.map((r) => r.status)).not.toContain('failed');
    expect(afterStop.map((r) => r.status)).not.toContain('sending');
    const sentBeforeStop = afterStop.find((r) => r.status === 'sent')?.n ?? 0;
    expect(sentBeforeStop).toBeGreaterThanOrEqual(2);
    expect(fake.requests.filter(isMessagePost).length).toBe(sentBeforeStop);

    fake.slowDown(isDmOpen, 0);
    await start(db, fake.apiUrl);
    const done = await eventually(
      'every alert to be sent',
      () => deliveryStates(db!),
      (rows) => rows.length === 1 && rows[0]!.status === 'sent',
      60_000,
    );
    const posts = fake.requests.filter(isMessagePost);
    expect(posts.every((r) => r.status === 200)).toBe(true);
    const sent = posts.map((r) => `${r.path} ${JSON.stringify(r.body.embeds)}`);
    expect(new Set(sent).size).toBe(sent.length); // none twice
    expect(sent.length).toBe(done[0]!.n); // none lost
    expect(sent.length).toBeGreaterThan(sentBeforeStop);
  }, 120_000);
});
