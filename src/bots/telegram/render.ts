import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import { matchActionId } from '../../core/actions.ts';
import { ACTION_LABELS, type Card, type Reply, type ReplyButton } from '../../core/reply.ts';
import type { MatchStatus } from '../../core/types.ts';

/**
 * A Reply as Telegram messages: HTML parse mode (every posting field escaped: Telegram rejects
 * a whole message on one stray `<`), one message per card with its inline keyboard, and paging
 * buttons on a message of their own under the cards.
 */

export interface OutgoingMessage {
  html: string;
  keyboard?: InlineKeyboardMarkup;
}

/** Telegram's limit for callback_data, in bytes. */
export const CALLBACK_DATA_LIMIT = 64;
/** Telegram's limit for a message's text after entities are parsed. */
const MESSAGE_LIMIT = 4096;

/** Escapes text for Telegram HTML: the three characters its parser treats specially, plus quotes. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Cuts plain text (before escaping, so no entity is cut in half) to at most `max` characters. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** The link as a browser-safe absolute URL, or null for anything that is not http(s). */
export function safeUrl(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

export function callbackButton(text: string, data: string): InlineKeyboardButton.CallbackButton {
  if (Buffer.byteLength(data) > CALLBACK_DATA_LIMIT)
    throw new Error(`callback data longer than ${CALLBACK_DATA_LIMIT} bytes: ${data.slice(0, 80)}`);
  return { text, callback_data: data };
}

const REMOTE = { remote: 'Remote', hybrid: 'Hybrid', onsite: 'On-site', unknown: '' } as const;
const STATUS_LINE: Record<MatchStatus, string | null> = {
  new: null,
  saved: '⭐ Saved',
  dismissed: '🚫 Dismissed',
  applied: '✅ Applied',
};

export function cardHtml(card: Card, options: { headline?: string } = {}): string {
  const place = [REMOTE[card.remote], card.location ? clip(card.location, 120) : null].filter(Boolean);
  const facts = [clip(card.company, 120), ...place, card.salary].filter((x): x is string => Boolean(x));
  const lines: string[] = [];
  if (options.headline) lines.push(escapeHtml(clip(options.headline, 200)));
  lines.push(`<b>${escapeHtml(clip(card.title, 250))}</b>`, escapeHtml(facts.join(' · ')));
  const reasons = card.reasons.slice(0, 3).map((r) => clip(r, 120));
  lines.push(escapeHtml([`Score ${card.score}`, ...reasons].join(' · ')));
  const credit = [`<i>${escapeHtml(clip(card.source, 120))}</i>`];
  const attribution = card.attribution && safeUrl(card.attribution.url);
  if (card.attribution && attribution)
    credit.push(`<a href="${escapeHtml(attribution)}">${escapeHtml(clip(card.attribution.text, 80))}</a>`);
  if (card.postedAt) credit.push(`posted ${card.postedAt.toISOString().slice(0, 10)}`);
  lines.push(credit.join(' · '));
  const status = STATUS_LINE[card.status];
  if (status) lines.push('', `<b>${status}</b>`);
  return lines.join('\n');
}

/** The card's buttons for its current state; Open is a link button (it never reaches us). */
export function cardKeyboard(card: Card): InlineKeyboardMarkup {
  const row: InlineKeyboardButton[] = [];
  for (const action of card.actions) {
    if (action === 'open') {
      const url = safeUrl(card.url);
      if (url) row.push({ text: ACTION_LABELS.open, url });
    } else {
      row.push(callbackButton(ACTION_LABELS[action], matchActionId(action, card.matchId)));
    }
  }
  return { inline_keyboard: [row] };
}

export function cardMessage(card: Card, options: { headline?: string } = {}): OutgoingMessage {
  return { html: cardHtml(card, options), keyboard: cardKeyboard(card) };
}

export function buttonsKeyboard(buttons: ReplyButton[]): InlineKeyboardMarkup {
  return { inline_keyboard: [buttons.map((b) => callbackButton(b.label, b.action))] };
}

/** Plain reply text as HTML, cut to what one message holds. */
export function textHtml(text: string): string {
  return escapeHtml(clip(text, MESSAGE_LIMIT - 100));
}

/**
 * Every message of a reply, in order: the text, one per card, then the paging buttons (under
 * the cards, where the reader's eye is) — or on the text itself when there are no cards.
 */
export function replyMessages(reply: Reply, extraKeyboard?: InlineKeyboardMarkup): OutgoingMessage[] {
  const cards = reply.cards ?? [];
  const buttons = reply.buttons ?? [];
  const messages: OutgoingMessage[] = [{ html: textHtml(reply.text) }];
  if (extraKeyboard) messages[0]!.keyboard = extraKeyboard;
  for (const card of cards) messages.push(cardMessage(card));
  if (buttons.length > 0) {
    if (cards.length === 0 && !extraKeyboard) messages[0]!.keyboard = buttonsKeyboard(buttons);
    else
      messages.push({
        html: escapeHtml(reply.page ? `Page ${reply.page.index} of ${reply.page.total}` : 'More'),
        keyboard: buttonsKeyboard(buttons),
      });
  }
  return messages;
}

/**
 * An alert: a single card is sent as one message (its bell line on top), so that its buttons and
 * its message reference are the card's own. Several cards get the text first.
 */
export function alertMessages(reply: Reply): OutgoingMessage[] {
  const cards = reply.cards ?? [];
  if (cards.length === 1) return [cardMessage(cards[0]!, { headline: `🔔 ${reply.text}` })];
  return replyMessages(reply);
}
