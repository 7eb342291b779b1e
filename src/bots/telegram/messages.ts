import type { Api, Context } from 'grammy';
import type { Command } from '../../core/commands.ts';
import { InvalidInputError } from '../../core/errors.ts';
import type { LogPort } from '../../core/ports.ts';
import type { Actor } from '../../core/types.ts';
import { clearPendingInput, findPendingInput } from '../../db/pending-inputs.ts';
import { ensureUser } from '../../db/users.ts';
import { parseCommand } from '../commands.ts';
import { type BotDeps, errorReply, handleSafely } from '../handlers.ts';
import { type PreferenceField, parsePreferenceChanges } from '../prefs.ts';
import { editMessage, sendAll } from './messenger.ts';
import { menuKeyboard, OFFER_KEYBOARD } from './prefs-menu.ts';
import { replyMessages, textHtml } from './render.ts';
import type { TaskSet } from './tasks.ts';
import { actorOf } from './updates.ts';

/**
 * Text messages: commands (`/jobs`, `/jobs@JobScoutBot fetch` in groups, …) go through the
 * shared parser and handlers; a plain message answers the /prefs menu's question, if one is open.
 */

export interface TelegramEnv {
  deps: BotDeps;
  logger: LogPort;
  tasks: TaskSet;
  /** How long a /prefs menu question waits for its answer. */
  pendingTtlMs: number;
}

export async function onText(ctx: Context, env: TelegramEnv): Promise<void> {
  const message = ctx.message;
  if (!message?.text || !message.from || message.from.is_bot) return;
  const chat = message.chat;
  const actor = actorOf(message.from, chat);
  const where = { externalId: actor.externalId, chatId: String(chat.id) };
  const text = message.text;

  if (text.startsWith('/')) {
    const addressee = /^\/\w+@(\w+)/.exec(text)?.[1];
    if (addressee && addressee.toLowerCase() !== ctx.me.username.toLowerCase()) return;
    // A command ends any open /prefs question: the next plain message is not an answer any more.
    await clearPendingInput(env.deps.pool, where);
    return runCommand(ctx.api, env, actor, chat.id, text);
  }
  const notBefore = new Date(env.deps.clock.now().getTime() - env.pendingTtlMs);
  const field = await findPendingInput(env.deps.pool, { ...where, notBefore });
  if (field) return answerQuestion(ctx.api, env, actor, chat.id, field as PreferenceField, text);
  if (chat.type !== 'private') return;
  // Writing to the bot is a sign of life: an account marked undeliverable becomes reachable again.
  await ensureUser(env.deps.pool, actor);
  await sendAll(ctx.api, chat.id, [{ html: textHtml('I answer commands. Send /help to see them.') }]);
}

/** The keyboard that goes with a command's answer: preferences get their menu, /start an offer. */
function keyboardFor(command: Command, failed: boolean) {
  if (failed) return undefined;
  if (command.name === 'start') return OFFER_KEYBOARD;
  if (command.name === 'prefs.show' || command.name === 'prefs.set') return menuKeyboard();
  return undefined;
}

async function runCommand(
  api: Api,
  env: TelegramEnv,
  actor: Actor,
  chatId: number,
  text: string,
): Promise<void> {
  let command: Command;
  try {
    command = parseCommand(text);
  } catch (err) {
    const reply = errorReply(err);
    if (!reply) throw err;
    await sendAll(api, chatId, replyMessages(reply));
    return;
  }
  if (command.name === 'jobs.fetch') {
    const fetch = command;
    env.tasks.run('jobs fetch', () => runFetch(api, env, actor, chatId, fetch));
    return;
  }
  const reply = await handleSafely(env.deps, actor, command);
  await sendAll(api, chatId, replyMessages(reply, keyboardFor(command, reply.tone === 'error')));
}

/**
 * `/jobs fetch`: a message at once, edited as the fetch moves (latest text wins, one edit in
 * flight at a time, so Telegram's edit rate is never the fetch's pace), then one message per card.
 */
async function runFetch(
  api: Api,
  env: TelegramEnv,
  actor: Actor,
  chatId: number,
  command: Command,
): Promise<void> {
  const first = await api.sendMessage(chatId, 'Fetching the latest postings…');
  let shown = first.text ?? '';
  let wanted: string | null = null;
  let editing: Promise<void> | null = null;
  const edit = async () => {
    while (wanted !== null && wanted !== shown) {
      const text = wanted;
      wanted = null;
      try {
        await editMessage(api, chatId, first.message_id, { html: textHtml(text) });
        shown = text;
      } catch (err) {
        env.logger.warn({ err }, 'could not update the fetch progress message');
      }
    }
    editing = null;
  };
  const reply = await handleSafely(env.deps, actor, command, {
    async progress(r) {
      wanted = r.text;
      editing ??= edit();
    },
  });
  await editing;
  const [summary, ...cards] = replyMessages(reply);
  await editMessage(api, chatId, first.message_id, summary!);
  await sendAll(api, chatId, cards);
}

/** A free-text answer to "Send me your new keywords": validated like `/prefs set`, all or nothing. */
async function answerQuestion(
  api: Api,
  env: TelegramEnv,
  actor: Actor,
  chatId: number,
  field: PreferenceField,
  text: string,
): Promise<void> {
  let changes: ReturnType<typeof parsePreferenceChanges>;
  try {
    changes = parsePreferenceChanges([[field, text.trim()]]);
  } catch (err) {
    if (!(err instanceof InvalidInputError)) throw err;
    const html = textHtml(`${err.message}\nSend another value, or any command (like /prefs) to stop.`);
    await sendAll(api, chatId, [{ html }]);
    return;
  }
  const reply = await handleSafely(env.deps, actor, { name: 'prefs.set', changes });
  const failed = reply.tone === 'error';
  if (!failed)
    await clearPendingInput(env.deps.pool, { externalId: actor.externalId, chatId: String(chatId) });
  await sendAll(api, chatId, replyMessages(reply, failed ? undefined : menuKeyboard()));
}
