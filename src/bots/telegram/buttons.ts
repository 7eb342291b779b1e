import type { Api, Context } from 'grammy';
import type { InlineKeyboardMarkup, MaybeInaccessibleMessage } from 'grammy/types';
import { decodeAction } from '../../core/actions.ts';
import type { Command } from '../../core/commands.ts';
import { InvalidInputError } from '../../core/errors.ts';
import type { Actor } from '../../core/types.ts';
import { setPendingInput } from '../../db/pending-inputs.ts';
import { ensureUser } from '../../db/users.ts';
import { handleSafely } from '../handlers.ts';
import { parsePreferenceChanges } from '../prefs.ts';
import type { TelegramEnv } from './messages.ts';
import { editMessage, isNotModified, sendAll } from './messenger.ts';
import { decodeRowAction, type RowAction } from './page-rows.ts';
import {
  CHOICES,
  choicesKeyboard,
  decodePrefsAction,
  FIELD_LABELS,
  menuKeyboard,
  type PrefsAction,
  promptText,
} from './prefs-menu.ts';
import { cardMessage, clip, compactMessage, isCompactPage, replyMessages, textHtml } from './render.ts';
import { actorOf } from './updates.ts';

/**
 * Button presses. Every callback query is answered — with a toast when there is something to
 * say (the new state, or why nothing changed) — before the slower follow-up (editing the card,
 * sending the next page), so the user's spinner stops at once.
 */

interface Outcome {
  toast?: string;
  followUp?: () => Promise<void>;
}

/** The message the button sat on, when it can still be edited (older ones come with date 0). */
type Pressed = { chatId: number; messageId: number; text: string | undefined } | undefined;

function pressedMessage(message: MaybeInaccessibleMessage | undefined): Pressed {
  if (!message || message.date === 0) return undefined;
  return {
    chatId: message.chat.id,
    messageId: message.message_id,
    text: 'text' in message ? message.text : undefined,
  };
}

export async function onButton(ctx: Context, env: TelegramEnv): Promise<void> {
  const query = ctx.callbackQuery;
  if (!query) return;
  const pressed = pressedMessage(query.message);
  const actor = actorOf(query.from, query.message?.chat);
  const chatId = pressed?.chatId ?? query.from.id;
  let outcome: Outcome = {};
  try {
    outcome = await decide(ctx.api, env, actor, chatId, query.data ?? '', pressed);
  } catch (err) {
    env.logger.error({ err, data: query.data }, 'telegram button failed');
    outcome = { toast: 'Sorry, something went wrong on my side. Please try again in a minute.' };
  } finally {
    await ctx
      .answerCallbackQuery(outcome.toast ? { text: clip(outcome.toast, 200) } : undefined)
      .catch((err: unknown) => env.logger.warn({ err }, 'could not answer a telegram button press'));
  }
  await outcome.followUp?.();
}

async function decide(
  api: Api,
  env: TelegramEnv,
  actor: Actor,
  chatId: number,
  data: string,
  pressed: Pressed,
): Promise<Outcome> {
  const prefs = decodePrefsAction(data);
  if (prefs) return prefsButton(api, env, actor, chatId, prefs, pressed);
  const row = decodeRowAction(data);
  if (row) return pageRowButton(api, env, actor, row, pressed);
  const command = decodeAction(data);
  if (!command) return { toast: 'This button is no longer valid. Send /jobs for a fresh list.' };
  if (command.name === 'match.action' || command.name === 'match.reason')
    return matchButton(api, env, actor, command, pressed);
  if (command.name === 'digest.page' && pressed) {
    // A digest is one message: More and Previous turn its page in place.
    const reply = await handleSafely(env.deps, actor, command);
    if (reply.tone === 'error' || !isCompactPage(reply)) return { toast: reply.text };
    return { followUp: () => editMessage(api, pressed.chatId, pressed.messageId, compactMessage(reply)) };
  }
  return {
    async followUp() {
      // The pressed "More" goes away, so one press is one page.
      if (pressed) await editKeyboard(api, pressed, { inline_keyboard: [] });
      const reply = await handleSafely(env.deps, actor, command);
      await sendAll(api, chatId, replyMessages(reply));
    },
  };
}

/**
 * Save / Dismiss / Applied / Undo, and the reason for a Dismiss: the card shows its new state (after
 * Dismiss, with the reasons to choose from above its own buttons), or a toast says why not.
 */
async function matchButton(
  api: Api,
  env: TelegramEnv,
  actor: Actor,
  command: Command,
  pressed: Pressed,
): Promise<Outcome> {
  const reply = await handleSafely(env.deps, actor, command);
  const card = reply.cards?.[0];
  // A stale card (the job is gone) or someone else's card in a group: nothing changes.
  if (reply.tone === 'error' || !card || !pressed) return { toast: reply.text };
  const bell = pressed.text?.startsWith('🔔') ? pressed.text.split('\n')[0] : undefined;
  return {
    toast: reply.text,
    followUp: () =>
      editMessage(
        api,
        pressed.chatId,
        pressed.messageId,
        cardMessage(card, { headline: bell, followUp: reply.buttons }),
      ),
  };
}

/**
 * A card's button on a page shown as one message (a digest): act on the card, then redraw the
 * page from the database so every card on it shows its current state.
 */
async function pageRowButton(
  api: Api,
  env: TelegramEnv,
  actor: Actor,
  row: RowAction,
  pressed: Pressed,
): Promise<Outcome> {
  const done = await handleSafely(env.deps, actor, row.act);
  if (done.tone === 'error' || !pressed) return { toast: done.text };
  const page = await handleSafely(env.deps, actor, row.redraw);
  // The action stands even when the page cannot be drawn again (its digest is gone).
  if (page.tone === 'error' || !isCompactPage(page)) return { toast: done.text };
  const asking =
    row.act.name === 'match.action' && done.buttons?.length
      ? { matchId: row.act.matchId, buttons: done.buttons }
      : undefined;
  return {
    toast: done.text,
    followUp: () => editMessage(api, pressed.chatId, pressed.messageId, compactMessage(page, asking)),
  };
}

async function editKeyboard(api: Api, pressed: NonNullable<Pressed>, keyboard: InlineKeyboardMarkup) {
  try {
    await api.editMessageReplyMarkup(pressed.chatId, pressed.messageId, { reply_markup: keyboard });
  } catch (err) {
    if (!isNotModified(err)) throw err;
  }
}

async function prefsButton(
  api: Api,
  env: TelegramEnv,
  actor: Actor,
  chatId: number,
  action: PrefsAction,
  pressed: Pressed,
): Promise<Outcome> {
  const { deps } = env;
  switch (action.kind) {
    case 'menu':
      return {
        async followUp() {
          const reply = await handleSafely(deps, actor, { name: 'prefs.show' });
          await sendAll(
            api,
            chatId,
            replyMessages(reply, reply.tone === 'error' ? undefined : menuKeyboard()),
          );
        },
      };
    case 'back':
      return { followUp: async () => pressed && editKeyboard(api, pressed, menuKeyboard()) };
    case 'field': {
      const { field } = action;
      if (CHOICES[field] && pressed)
        return { followUp: () => editKeyboard(api, pressed, choicesKeyboard(field)) };
      return {
        async followUp() {
          const { identity } = await ensureUser(deps.pool, actor);
          const now = deps.clock.now();
          await setPendingInput(deps.pool, { identityId: identity.id, chatId: String(chatId), field, now });
          await api.sendMessage(chatId, promptText(field), {
            reply_markup: { force_reply: true, input_field_placeholder: FIELD_LABELS[field] },
          });
        },
      };
    }
    case 'value': {
      let changes: ReturnType<typeof parsePreferenceChanges>;
      try {
        changes = parsePreferenceChanges([[action.field, action.value]]);
      } catch (err) {
        if (err instanceof InvalidInputError) return { toast: err.message };
        throw err;
      }
      const reply = await handleSafely(deps, actor, { name: 'prefs.set', changes });
      if (reply.tone === 'error') return { toast: reply.text };
      const updated = { html: textHtml(reply.text), keyboard: menuKeyboard() };
      return {
        toast: `Saved: ${FIELD_LABELS[action.field].toLowerCase()}`,
        followUp: () =>
          pressed
            ? editMessage(api, pressed.chatId, pressed.messageId, updated)
            : sendAll(api, chatId, [updated]).then(() => undefined),
      };
    }
  }
}
