import { type Api, GrammyError, HttpError } from 'grammy';
import type { Message } from 'grammy/types';
import { UpstreamError } from '../../core/errors.ts';
import { type Messenger, UndeliverableError } from '../../core/ports.ts';
import { createPacer, type Pacer } from '../pacer.ts';
import { alertMessages, cardMessage, type OutgoingMessage } from './render.ts';

/**
 * Sending to Telegram: messages in HTML parse mode, and the one place where the Bot API's errors
 * become ours. Rate limits (429 retry_after) and transient failures never get here: the
 * auto-retry transformer installed on the Api has already waited them out.
 */

/** Sends messages in order (each in its turn, when paced); returns what Telegram stored. */
export async function sendAll(
  api: Api,
  chatId: number | string,
  messages: OutgoingMessage[],
  pacer?: Pacer,
): Promise<Message[]> {
  const sent: Message[] = [];
  for (const m of messages) {
    await pacer?.turn(String(chatId));
    sent.push(
      await api.sendMessage(chatId, m.html, {
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        ...(m.keyboard ? { reply_markup: m.keyboard } : {}),
      }),
    );
  }
  return sent;
}

/** Replaces a message's text and buttons; an edit to what it already shows is not an error. */
export async function editMessage(
  api: Api,
  chatId: number | string,
  messageId: number,
  m: OutgoingMessage,
): Promise<void> {
  try {
    await api.editMessageText(chatId, messageId, m.html, {
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      reply_markup: m.keyboard ?? { inline_keyboard: [] },
    });
  } catch (err) {
    if (isNotModified(err)) return;
    throw err;
  }
}

export function isNotModified(err: unknown): boolean {
  return (
    err instanceof GrammyError && err.error_code === 400 && /message is not modified/i.test(err.description)
  );
}

/** The account cannot be messaged at all: blocked the bot, deleted, or never started a chat. */
export function isUnreachable(err: unknown): boolean {
  if (!(err instanceof GrammyError)) return false;
  if (err.error_code === 403) return true;
  return err.error_code === 400 && /chat not found|user not found|peer_id_invalid/i.test(err.description);
}

/** A Bot API failure as our error taxonomy: unreachable accounts, retryable or permanent upstream errors. */
export function toDomainError(err: unknown): Error {
  if (isUnreachable(err)) return new UndeliverableError((err as GrammyError).description, { cause: err });
  if (err instanceof GrammyError) {
    return new UpstreamError('telegram', `${err.method}: ${err.description}`, {
      retryable: err.error_code === 429 || err.error_code >= 500,
      status: err.error_code,
      ...(err.parameters.retry_after ? { retryAfterSeconds: err.parameters.retry_after } : {}),
      cause: err,
    });
  }
  if (err instanceof HttpError)
    return new UpstreamError('telegram', err.message, { retryable: true, cause: err });
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * Telegram's flood limits for bots: about 30 messages a second overall, and no more than one a
 * second in one chat (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this).
 */
export const TELEGRAM_LIMITS = { perSecond: 29, chatIntervalMs: 1000 };

/**
 * Direct messages for alerts and digests, paced to Telegram's limits (replies to a user's own
 * command are not: they are few and the user is waiting). The DM chat of a user is their user id.
 */
export function createTelegramMessenger(api: Api, pacer: Pacer = createPacer(TELEGRAM_LIMITS)): Messenger {
  return {
    platform: 'telegram',
    async send(target, reply) {
      const chatId = target.dmChannel ?? target.externalId;
      try {
        const sent = await sendAll(api, chatId, alertMessages(reply), pacer);
        // One card (or a digest page) is one message; several cards come after their headline.
        const card = sent[sent.length > 1 ? 1 : 0]!;
        return {
          ref: { chatId: String(card.chat.id), messageId: String(card.message_id) },
          dmChannel: String(card.chat.id),
        };
      } catch (err) {
        throw toDomainError(err);
      }
    },
    async updateCard(ref, card) {
      const { chatId, messageId } = ref;
      if (!chatId || !messageId) return;
      try {
        await editMessage(api, chatId, Number(messageId), cardMessage(card));
      } catch (err) {
        throw toDomainError(err);
      }
    },
  };
}
