import { type RunnerHandle, run } from '@grammyjs/runner';
import { webhookCallback } from 'grammy';
import type { BotCommand } from 'grammy/types';
import { telegramPollingWarning } from '../../config.ts';
import type { PlatformStarter } from '../platform.ts';
import { buildTelegramApi, buildTelegramBot } from './bot.ts';
import { createTelegramMessenger } from './messenger.ts';
import { TaskSet } from './tasks.ts';

/**
 * Telegram on JobPing: webhook at /telegram/webhook on the shared server when PUBLIC_URL and
 * TELEGRAM_WEBHOOK_SECRET are set (grammY checks X-Telegram-Bot-Api-Secret-Token and answers 401
 * before the update is read), long polling with @grammyjs/runner otherwise. A process that only
 * sends (worker role) builds the Api and nothing else.
 */

export const WEBHOOK_PATH = '/telegram/webhook';
const ALLOWED_UPDATES = ['message', 'callback_query', 'my_chat_member'] as const;
const PENDING_TTL_MS = 30 * 60_000;

/** The command menu; Telegram allows no spaces here, so subcommands are in the descriptions. */
export const MENU_COMMANDS: BotCommand[] = [
  { command: 'jobs', description: 'Your matches · /jobs fetch [query] · /jobs saved' },
  { command: 'prefs', description: 'Your preferences, with a menu to change them' },
  { command: 'help', description: 'What I can do' },
  { command: 'start', description: 'Welcome and first steps' },
];

export const startTelegram: PlatformStarter = async (ctx) => {
  const { telegram, http: httpConfig } = ctx.config;
  if (!telegram.botToken) return null;
  const logger = ctx.logger.child({ platform: 'telegram' });
  const apiOptions = { token: telegram.botToken, apiRoot: telegram.apiRoot, logger };
  const webhookUrl =
    httpConfig.publicUrl && telegram.webhookSecret ? new URL(WEBHOOK_PATH, httpConfig.publicUrl).href : null;

  // Receiving needs the shared HTTP server: a process without one is a one-off command (`jobping
  // fetch`, `jobping chat`) that must neither steal getUpdates from the server nor reset its webhook.
  if (!ctx.receive || !ctx.http) {
    logger.debug('telegram: sending only in this process');
    return {
      platform: 'telegram',
      messenger: createTelegramMessenger(buildTelegramApi(apiOptions)),
      stop: async () => {},
    };
  }

  const tasks = new TaskSet(logger);
  const bot = buildTelegramBot({
    ...apiOptions,
    env: { deps: ctx.bot, logger, tasks, pendingTtlMs: PENDING_TTL_MS },
  });
  await bot.init();
  await bot.api.setMyCommands(MENU_COMMANDS);

  let runner: RunnerHandle | undefined;
  if (webhookUrl && telegram.webhookSecret) {
    const handle = webhookCallback(bot, 'fastify', {
      secretToken: telegram.webhookSecret,
      // Telegram re-sends an update that is not acknowledged in time; the update keeps running
      // and the copy is dropped as a duplicate, so answering late is harmless.
      onTimeout: 'return',
      timeoutMilliseconds: 20_000,
    });
    ctx.http.post(WEBHOOK_PATH, (request, reply) => handle(request, reply));
    await bot.api.setWebhook(webhookUrl, {
      secret_token: telegram.webhookSecret,
      allowed_updates: [...ALLOWED_UPDATES],
    });
    logger.info({ url: webhookUrl }, 'telegram webhook set');
  } else {
    // getUpdates is refused while a webhook is set (409); a switch from webhook mode clears it.
    await bot.api.deleteWebhook();
    runner = run(bot, {
      runner: { silent: true, fetch: { allowed_updates: [...ALLOWED_UPDATES], timeout: 30 } },
    });
    runner.task()?.catch((err) => logger.error({ err }, 'telegram long polling stopped'));
    const warning = telegramPollingWarning(ctx.config);
    if (warning) logger.warn(warning);
    logger.info('telegram long polling started');
  }

  return {
    platform: 'telegram',
    messenger: createTelegramMessenger(bot.api),
    async stop() {
      if (runner?.isRunning()) await runner.stop();
      await tasks.drain(Math.min(ctx.config.shutdownTimeoutMs / 2, 10_000));
    },
  };
};
