import { loadConfig } from '../../src/config.ts';
import type { Clock } from '../../src/core/ports.ts';
import type { RawPosting } from '../../src/core/types.ts';
import type { Logger } from '../../src/log.ts';
import { type Role, type RunningApp, startApp } from '../../src/main.ts';
import { memoryBoards } from '../fakes/memory-source.ts';
import {
  type FakeTelegram,
  startFakeTelegram,
  type TelegramChat,
  type TelegramUser,
} from '../fakes/telegram.ts';
import { createTestDatabase, type TestDatabase, testLogger } from './db.ts';

/**
 * A whole JobPing with Telegram on, its Bot API pointed at a fake (`TELEGRAM_API_ROOT`), on a
 * fresh database, with one in-memory job board ("memory:board") in place of the sample board.
 */

export const WEBHOOK_SECRET = 'test-webhook-secret_0123456789';
export const MIRA: TelegramUser = {
  id: 987654321,
  is_bot: false,
  first_name: 'Mira',
  username: 'mira_dev',
  language_code: 'en',
};
export const BOB: TelegramUser = { id: 123456789, is_bot: false, first_name: 'Bob', language_code: 'en' };
export const dm = (u: TelegramUser): TelegramChat => ({
  id: u.id,
  type: 'private',
  first_name: u.first_name,
});
export const GROUP: TelegramChat = { id: -1001987654321, type: 'supergroup', title: 'Job Hunters' };

export interface TelegramTestApp {
  app: RunningApp;
  db: TestDatabase;
  fake: FakeTelegram;
  board: RawPosting[];
  /** POSTs an update to the webhook as Telegram would; `secret: null` leaves the header out. */
  post(update: object, secret?: string | null): Promise<Response>;
  stop(): Promise<void>;
}

export interface TelegramAppOptions {
  mode: 'webhook' | 'polling';
  role?: Role;
  fake?: FakeTelegram;
  clock?: Clock;
  logger?: Logger;
  /** More environment variables (PUBLIC_URL in polling mode, …). */
  env?: Record<string, string>;
}

export async function startTelegramApp(
  options: TelegramAppOptions = { mode: 'webhook' },
): Promise<TelegramTestApp> {
  const fake = options.fake ?? (await startFakeTelegram());
  const db = await createTestDatabase();
  await db.pool.query(`update sources set enabled = false where id = 'sample'`);
  await db.pool.query(`insert into sources (id, kind) values ('memory:board', 'memory')`);
  const { boards, kind } = memoryBoards();
  const board: RawPosting[] = [];
  boards.set('memory:board', board);
  const config = loadConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    LOG_LEVEL: 'silent',
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    ...(options.mode === 'webhook'
      ? { PUBLIC_URL: 'https://jobping.example', TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET }
      : {}),
    ...options.env,
  });
  const app = await startApp(config, {
    logger: options.logger ?? testLogger,
    ...(options.clock ? { clock: options.clock } : {}),
    role: options.role ?? 'all',
    http: true,
    spies: true,
    pollingIntervalSeconds: 0.5,
    sourceKinds: [kind],
  });
  app.bot.fetchPollMs = 50;
  return {
    app,
    db,
    fake,
    board,
    post(update, secret = WEBHOOK_SECRET) {
      return fetch(`${app.url}/telegram/webhook`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }),
        },
        body: JSON.stringify(update),
      });
    },
    async stop() {
      await app.stop();
      await db.drop();
      if (!options.fake) await fake.close();
    },
  };
}

/** Waits until `check` returns a value that is not undefined/false, or fails after `ms`. */
export async function until<T>(check: () => Promise<T | undefined | false>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
