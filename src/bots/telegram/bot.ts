import { autoRetry } from '@grammyjs/auto-retry';
import { sequentialize } from '@grammyjs/runner';
import { Api, Bot, type Context, type Transformer } from 'grammy';
import type { LogPort } from '../../core/ports.ts';
import { firstDelivery } from '../../db/events.ts';
import { ensureUser, findIdentity, markUndeliverable } from '../../db/users.ts';
import { onButton } from './buttons.ts';
import { onText, type TelegramEnv } from './messages.ts';
import { actorOf, updateSchema } from './updates.ts';

/**
 * The grammY bot: one error boundary, edge validation and duplicate filtering for every update,
 * then per-chat ordering, then the handlers. The same middleware serves webhook and long polling.
 */

export interface ApiOptions {
  token: string;
  apiRoot?: string | undefined;
  logger: LogPort;
}

/** grammY refuses an apiRoot with a trailing slash; an operator may well write one. */
function clientOptions(apiRoot: string | undefined) {
  return apiRoot ? { apiRoot: apiRoot.replace(/\/+$/, '') } : {};
}

/** Logs every failed call (each attempt, so rate limiting shows up in the logs); never the token. */
function logFailures(logger: LogPort): Transformer {
  return async (prev, method, payload, signal) => {
    const result = await prev(method, payload, signal);
    if (!result.ok) {
      // Rate limits and users who blocked the bot are part of normal operation.
      const level = result.error_code === 429 || result.error_code === 403 ? 'info' : 'warn';
      logger[level](
        {
          method,
          errorCode: result.error_code,
          description: result.description,
          retryAfter: result.parameters?.retry_after,
        },
        'telegram call failed',
      );
    }
    return result;
  };
}

/**
 * 429s are waited out as Telegram asks, up to a minute; longer waits and repeated 5xx fail the
 * call, so an alert job is retried by the queue later instead of holding a worker for hours.
 */
function installTransformers(api: Api, logger: LogPort) {
  api.config.use(logFailures(logger), autoRetry({ maxDelaySeconds: 60, maxRetryAttempts: 5 }));
}

/** The sending half only (worker role): no updates are received. */
export function buildTelegramApi(options: ApiOptions): Api {
  const api = new Api(options.token, clientOptions(options.apiRoot));
  installTransformers(api, options.logger);
  return api;
}

const chatKey = (ctx: Context) => (ctx.chat ? String(ctx.chat.id) : undefined);

export function buildTelegramBot(options: ApiOptions & { env: TelegramEnv }): Bot {
  const { env, logger } = options;
  const bot = new Bot(options.token, { client: clientOptions(options.apiRoot) });
  installTransformers(bot.api, logger);

  // One bad update never stops the bot: log it and move on (the webhook still answers 200).
  bot.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      logger.error({ err, updateId: ctx.update.update_id }, 'telegram update failed');
    }
  });
  // Per-chat order is taken on arrival, before anything asynchronous can reorder the updates.
  bot.use(sequentialize(chatKey));
  bot.use(async (ctx, next) => {
    const parsed = updateSchema.safeParse(ctx.update);
    if (!parsed.success) {
      logger.warn(
        { updateId: ctx.update.update_id, issues: parsed.error.issues.slice(0, 5) },
        'malformed telegram update dropped',
      );
      return;
    }
    // Telegram re-sends an update it thinks was lost; the second copy must change nothing.
    if (!(await firstDelivery(env.deps.pool, 'telegram', String(parsed.data.update_id)))) return;
    await next();
  });
  bot.on('my_chat_member', (ctx) => onMembership(ctx, env));
  bot.on('callback_query:data', (ctx) => onButton(ctx, env));
  // Buttons without data are none of ours, but their spinner must stop too.
  bot.on('callback_query', (ctx) => ctx.answerCallbackQuery());
  bot.on('message:text', (ctx) => onText(ctx, env));
  bot.catch((err) => logger.error({ err: err.error }, 'telegram middleware failed'));
  return bot;
}

/**
 * The user blocked the bot ("kicked" in their private chat): stop sending alerts now rather than
 * at the next failed send. Unblocking (or any later message) makes them deliverable again.
 */
async function onMembership(ctx: Context, env: TelegramEnv): Promise<void> {
  const update = ctx.myChatMember;
  if (update?.chat.type !== 'private') return;
  const { pool } = env.deps;
  const status = update.new_chat_member.status;
  if (status === 'kicked') {
    const identity = await findIdentity(pool, 'telegram', String(update.from.id));
    if (identity) await markUndeliverable(pool, identity.id, 'blocked the bot on Telegram');
  } else if (status === 'member') {
    await ensureUser(pool, actorOf(update.from, update.chat));
  }
}
