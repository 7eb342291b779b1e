import type { types } from '@slack/bolt';
import { z } from 'zod';
import { matchActionId } from '../../core/actions.ts';
import { describePlace } from '../../core/cards.ts';
import { ACTION_LABELS, type Card, type Reply, type ReplyButton, STATUS_LABELS } from '../../core/reply.ts';

/**
 * A Reply as a Block Kit message. Every message keeps Slack's limits (50 blocks, 3000 characters
 * of section text, 75 of button text) whatever the reply holds, and carries a fallback `text` for
 * notifications and clients that cannot show blocks.
 */

export type Block = types.KnownBlock;
export type Button = types.Button;

export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  contextText: 2000,
  buttonText: 75,
  buttonValue: 2000,
  actionElements: 25,
  fallbackText: 3000,
  url: 3000,
} as const;

/** Blocks per card (section, context, actions, divider): a message holds at most this many cards. */
const BLOCKS_PER_CARD = 4;
export const MAX_CARDS_PER_MESSAGE = Math.floor((LIMITS.messageBlocks - 2) / BLOCKS_PER_CARD);

/**
 * What every card button carries as `value`: the cards of its message and its page buttons, so a
 * click on an ephemeral message (which Slack does not send back) can redraw the whole message.
 */
export const messageContextSchema = z.object({
  ids: z.array(z.number().int().positive()).max(MAX_CARDS_PER_MESSAGE),
  nav: z.array(z.tuple([z.string().max(LIMITS.buttonText), z.string().max(100)])).max(4),
});
export type MessageContext = z.infer<typeof messageContextSchema>;

export function decodeMessageContext(value: string | undefined): MessageContext | null {
  if (!value) return null;
  try {
    const parsed = messageContextSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Slack mrkdwn needs only these three escaped; everything else is shown as typed. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** `<url|label>`: the label may not hold `|`, and the URL neither `|` nor `>`. */
export function link(url: string, label: string): string {
  const safeUrl = url.replaceAll('|', '%7C').replaceAll('>', '%3E').replaceAll('<', '%3C');
  return `<${safeUrl}|${escapeMrkdwn(label).replaceAll('|', '¦')}>`;
}

const mrkdwn = (text: string, max: number = LIMITS.sectionText): types.MrkdwnElement => ({
  type: 'mrkdwn',
  text: truncate(text, max),
});
const plain = (text: string, max: number): types.PlainTextElement => ({
  type: 'plain_text',
  text: truncate(text, max),
  emoji: true,
});

const REMOTE = { remote: '🌍 Remote', hybrid: '🏠 Hybrid', onsite: '🏢 On-site', unknown: '' } as const;
const STATUS_MARK = { new: '', saved: '⭐', dismissed: '🚫', applied: '📨' } as const;
const STYLE: Partial<Record<Card['actions'][number], 'primary' | 'danger'>> = {
  save: 'primary',
  applied: 'primary',
};

export function cardBlockPrefix(matchId: number): string {
  return `card:${matchId}:`;
}

function cardButtons(card: Card, value: string): Button[] {
  return card.actions.map((action) => {
    if (action === 'open') {
      return {
        type: 'button',
        action_id: `open:${card.matchId}`,
        text: plain(ACTION_LABELS.open, LIMITS.buttonText),
        url: truncate(card.url, LIMITS.url),
      };
    }
    const style = STYLE[action];
    return {
      type: 'button',
      action_id: matchActionId(action, card.matchId),
      text: plain(ACTION_LABELS[action], LIMITS.buttonText),
      value,
      ...(style ? { style } : {}),
    };
  });
}

/** One job card: title linked, company, place, salary, score and top reasons, source, buttons. */
export function cardBlocks(card: Card, context: MessageContext): Block[] {
  const prefix = cardBlockPrefix(card.matchId);
  const place = describePlace(card, REMOTE);
  const facts = [escapeMrkdwn(card.company), escapeMrkdwn(place), card.salary && `💰 ${card.salary}`]
    .filter(Boolean)
    .join('  ·  ');
  const reasons = card.reasons.slice(0, 3).map(escapeMrkdwn).join(' · ');
  const status = card.status === 'new' ? '' : `\n${STATUS_MARK[card.status]} *${STATUS_LABELS[card.status]}*`;
  const source = [
    escapeMrkdwn(card.source),
    card.attribution && link(card.attribution.url, card.attribution.text),
    card.postedAt &&
      `posted <!date^${Math.floor(card.postedAt.getTime() / 1000)}^{date_short}|${card.postedAt.toISOString().slice(0, 10)}>`,
  ]
    .filter(Boolean)
    .join(' · ');
  const value = truncate(JSON.stringify(context), LIMITS.buttonValue);
  return [
    {
      type: 'section',
      block_id: `${prefix}main`,
      text: mrkdwn(
        `*${link(card.url, card.title)}*\n${facts}\n*Score ${card.score}*${reasons ? ` — ${reasons}` : ''}${status}`,
      ),
    },
    { type: 'context', block_id: `${prefix}source`, elements: [mrkdwn(source, LIMITS.contextText)] },
    { type: 'actions', block_id: `${prefix}actions`, elements: cardButtons(card, value) },
  ];
}

function navBlock(buttons: readonly ReplyButton[]): Block {
  return {
    type: 'actions',
    block_id: 'reply:nav',
    elements: buttons.slice(0, 5).map((b) => ({
      type: 'button',
      action_id: b.action,
      text: plain(b.label, LIMITS.buttonText),
      value: b.action,
    })),
  };
}

/**
 * Buttons that answer the headline ("Why?" after Dismiss), right under it. On a message with cards
 * each carries the message's context, so the answer can redraw the message it was asked in.
 */
function questionBlock(buttons: readonly ReplyButton[], context: MessageContext | null): Block {
  const carried = context ? truncate(JSON.stringify(context), LIMITS.buttonValue) : null;
  return {
    type: 'actions',
    block_id: 'reply:question',
    elements: buttons.slice(0, LIMITS.actionElements).map((b) => ({
      type: 'button',
      action_id: b.action,
      text: plain(b.label, LIMITS.buttonText),
      value: carried ?? b.action,
    })),
  };
}

export function fallbackText(reply: Pick<Reply, 'text' | 'cards' | 'tone'>): string {
  const lines = [reply.tone === 'error' ? `⚠️ ${reply.text}` : reply.text];
  for (const card of reply.cards ?? [])
    lines.push(`• ${card.title} at ${card.company} (score ${card.score})`);
  return truncate(lines.join('\n'), LIMITS.fallbackText);
}

export interface RenderedMessage {
  text: string;
  blocks: Block[];
}

/**
 * The Reply as one message; cards beyond what fits are named in a closing line, never dropped
 * silently. `question`: buttons that answer the headline, shown under it (not page buttons).
 */
export function renderReply(reply: Reply, question: readonly ReplyButton[] = []): RenderedMessage {
  const cards = reply.cards ?? [];
  const shown = cards.slice(0, MAX_CARDS_PER_MESSAGE);
  const nav = (reply.buttons ?? []).map((b): [string, string] => [b.label, b.action]);
  const context: MessageContext = { ids: shown.map((c) => c.matchId), nav };
  const head = reply.tone === 'error' ? `:warning: ${escapeMrkdwn(reply.text)}` : escapeMrkdwn(reply.text);
  const blocks: Block[] = [{ type: 'section', block_id: 'reply:head', text: mrkdwn(head) }];
  if (question.length) blocks.push(questionBlock(question, shown.length ? context : null));
  shown.forEach((card, i) => {
    if (i > 0) blocks.push({ type: 'divider', block_id: `${cardBlockPrefix(card.matchId)}rule` });
    blocks.push(...cardBlocks(card, context));
  });
  if (cards.length > shown.length) {
    blocks.push({
      type: 'context',
      block_id: 'reply:more',
      elements: [mrkdwn(`…and ${cards.length - shown.length} more: /jobs lists them all.`)],
    });
  }
  if (reply.buttons?.length) blocks.push(navBlock(reply.buttons));
  return { text: fallbackText(reply), blocks: blocks.slice(0, LIMITS.messageBlocks) };
}

/** Rebuilds a message from its context after a click: a new headline, fresh cards, the same page buttons. */
export function renderRedrawn(
  headline: Reply,
  cards: Card[],
  context: MessageContext,
  question: readonly ReplyButton[] = [],
): RenderedMessage {
  return renderReply(
    {
      text: headline.text,
      tone: headline.tone,
      cards,
      buttons: context.nav.map(([label, action]) => ({ label, action })),
    },
    question,
  );
}

/**
 * Replaces one card in blocks Slack sent back (a message that is not ephemeral), leaving every
 * other block as it was. Returns null when the card is not in the message.
 */
export function replaceCard(blocks: readonly unknown[], card: Card, context: MessageContext): Block[] | null {
  const prefix = cardBlockPrefix(card.matchId);
  const isCardBlock = (b: unknown) =>
    typeof (b as { block_id?: unknown }).block_id === 'string' &&
    (b as { block_id: string }).block_id.startsWith(prefix) &&
    !(b as { block_id: string }).block_id.endsWith(':rule');
  const first = blocks.findIndex(isCardBlock);
  if (first < 0) return null;
  const rest = blocks.filter((b) => !isCardBlock(b)) as Block[];
  rest.splice(first, 0, ...cardBlocks(card, context));
  return rest;
}
