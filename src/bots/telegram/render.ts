import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import { matchActionId } from '../../core/actions.ts';
import { DISMISS_QUESTION, describePlace } from '../../core/cards.ts';
import { ACTION_LABELS, type Card, type Page, type Reply, type ReplyButton } from '../../core/reply.ts';
import type { MatchStatus } from '../../core/types.ts';
import { rowActionId } from './page-rows.ts';

/**
 * A Reply as Telegram messages: HTML parse mode (every posting field escaped: Telegram rejects
 * a whole message on one stray `<`), one message per card with its inline keyboard, and paging
 * buttons on a message of their own under the cards. A page of compact cards (a digest) is one
 * message instead, with a row of buttons per card and the paging row under them.
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

const STATUS_LINE: Record<MatchStatus, string | null> = {
  new: null,
  saved: '⭐ Saved',
  dismissed: '🚫 Dismissed',
  applied: '✅ Applied',
};

/** "Acme · Hybrid · Berlin · €65k–80k / year", as plain text. */
function factsText(card: Card, max = 120): string {
  const place = describePlace({ remote: card.remote, location: card.location && clip(card.location, max) });
  return [clip(card.company, max), place, card.salary].filter(Boolean).join(' · ');
}

/** The board's name and the credit it asks for (a link), as HTML. */
function creditHtml(card: Card): string {
  const credit = [`<i>${escapeHtml(clip(card.source, 120))}</i>`];
  const attribution = card.attribution && safeUrl(card.attribution.url);
  if (card.attribution && attribution)
    credit.push(`<a href="${escapeHtml(attribution)}">${escapeHtml(clip(card.attribution.text, 80))}</a>`);
  return credit.join(' · ');
}

export interface CardOptions {
  headline?: string | undefined;
  /** Buttons the core offered after the last press (why it was dismissed), shown above the card's own. */
  followUp?: ReplyButton[] | undefined;
}

export function cardHtml(card: Card, options: CardOptions = {}): string {
  const lines: string[] = [];
  if (options.headline) lines.push(escapeHtml(clip(options.headline, 200)));
  lines.push(`<b>${escapeHtml(clip(card.title, 250))}</b>`, escapeHtml(factsText(card)));
  const reasons = card.reasons.slice(0, 3).map((r) => clip(r, 120));
  lines.push(escapeHtml([`Score ${card.score}`, ...reasons].join(' · ')));
  const posted = card.postedAt ? ` · posted ${card.postedAt.toISOString().slice(0, 10)}` : '';
  lines.push(`${creditHtml(card)}${posted}`);
  const status = STATUS_LINE[card.status];
  if (status) lines.push('', `<b>${status}</b>`);
  if (options.followUp?.length) lines.push(`<i>${escapeHtml(DISMISS_QUESTION)}</i>`);
  return lines.join('\n');
}

/** Buttons in rows of `size` (Telegram squeezes long rows until their labels are cut). */
export function rows<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The card's buttons for its current state; Open is a link button (it never reaches us). */
export function cardKeyboard(card: Card, followUp: ReplyButton[] = []): InlineKeyboardMarkup {
  const row: InlineKeyboardButton[] = [];
  for (const action of card.actions) {
    if (action === 'open') {
      const url = safeUrl(card.url);
      if (url) row.push({ text: ACTION_LABELS.open, url });
    } else {
      row.push(callbackButton(ACTION_LABELS[action], matchActionId(action, card.matchId)));
    }
  }
  const asked = rows(
    followUp.map((b) => callbackButton(b.label, b.action)),
    3,
  );
  return { inline_keyboard: [...asked, row] };
}

export function cardMessage(card: Card, options: CardOptions = {}): OutgoingMessage {
  return { html: cardHtml(card, options), keyboard: cardKeyboard(card, options.followUp) };
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
  if (isCompactPage(reply)) return [compactMessage(reply)];
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
  if (isCompactPage(reply)) return [compactMessage(reply)];
  const cards = reply.cards ?? [];
  if (cards.length === 1) return [cardMessage(cards[0]!, { headline: `🔔 ${reply.text}` })];
  return replyMessages(reply);
}

/** A page of compact cards that can be redrawn in place: shown as one message. */
export type CompactPage = Reply & { page: Page & { redraw: string } };

export function isCompactPage(reply: Reply): reply is CompactPage {
  return Boolean(reply.compact && reply.page?.redraw);
}

/** The card on a compact page that was just dismissed, and the core's "why?" buttons for it. */
export interface Asking {
  matchId: number;
  buttons: ReplyButton[];
}

/** What Telegram counts against its limit: the text once tags are gone and entities decoded. */
export function visibleLength(html: string): number {
  return html.replace(/<[^>]*>/g, '').replace(/&(?:lt|gt|amp|quot);/g, '_').length;
}

/** Number, title (the link to the posting), state; then one line of facts and one of why. */
function compactCardHtml(card: Card, n: number, options: { brief: boolean; asking: boolean }): string {
  const url = safeUrl(card.url);
  const title = escapeHtml(clip(card.title, 120));
  const status = STATUS_LINE[card.status];
  const lines = [
    `<b>${n}.</b> ${url ? `<a href="${escapeHtml(url)}">${title}</a>` : `<b>${title}</b>`}${status ? ` · ${status}` : ''}`,
  ];
  if (!options.brief) {
    const why = [`Score ${card.score}`, ...card.reasons.slice(0, 1).map((r) => clip(r, 100))].join(' · ');
    lines.push(escapeHtml(factsText(card, 60)), `${escapeHtml(why)} · ${creditHtml(card)}`);
  }
  if (options.asking) lines.push(`<i>${escapeHtml(DISMISS_QUESTION)}</i>`);
  return lines.join('\n');
}

/**
 * A card's buttons on a compact page: its actions (Open is the title link), the first labelled
 * with the card's number; while "why?" is asked, the reasons and Undo instead.
 */
function compactRows(card: Card, n: number, redraw: string, asking?: Asking): InlineKeyboardButton[][] {
  const numbered = (buttons: ReplyButton[]) =>
    buttons.map((b, i) =>
      callbackButton(i === 0 ? `${n} · ${b.label}` : b.label, rowActionId(redraw, b.action)),
    );
  if (asking?.matchId === card.matchId) {
    const undo = callbackButton(ACTION_LABELS.undo, rowActionId(redraw, matchActionId('undo', card.matchId)));
    // Six reasons in two rows of three, Undo at the end of the second.
    const reasons = rows(numbered(asking.buttons), 3);
    const last = reasons.at(-1);
    if (last) last.push(undo);
    else reasons.push([undo]);
    return reasons;
  }
  const actions = card.actions
    .filter((a) => a !== 'open')
    .map((a) => ({ label: ACTION_LABELS[a], action: matchActionId(a, card.matchId) }));
  return actions.length > 0 ? [numbered(actions)] : [];
}

/**
 * A compact page as one message: a numbered list of short cards (title, facts, score with the main
 * reason, the board's credit) under the headline. Five cards take about 2,000 characters; should a
 * page ever run over Telegram's 4,096, the cards shrink to their title lines.
 */
export function compactMessage(reply: CompactPage, asking?: Asking): OutgoingMessage {
  const cards = reply.cards ?? [];
  const head = `📬 <b>${escapeHtml(clip(reply.text, 300))}</b>`;
  const draw = (brief: boolean) =>
    [
      head,
      ...cards.map((c, i) => compactCardHtml(c, i + 1, { brief, asking: asking?.matchId === c.matchId })),
    ].join('\n\n');
  const full = draw(false);
  const html = visibleLength(full) <= MESSAGE_LIMIT ? full : draw(true);
  const keyboard = cards.flatMap((c, i) => compactRows(c, i + 1, reply.page.redraw, asking));
  if (reply.buttons?.length) keyboard.push(reply.buttons.map((b) => callbackButton(b.label, b.action)));
  return { html, keyboard: { inline_keyboard: keyboard } };
}
