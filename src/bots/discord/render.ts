import {
  type APIButtonComponent,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
  escapeMarkdown,
} from 'discord.js';
import { decodeAction, matchActionId } from '../../core/actions.ts';
import { ACTION_LABELS, type Card, type CardAction, type Reply, STATUS_LABELS } from '../../core/reply.ts';
import { compactMessage } from './compact.ts';
import {
  type ButtonRow,
  buttonRows,
  type ComponentRow,
  contentOf,
  type DiscordMessage,
  embedLength,
  field,
  httpUrl,
  LIMITS,
  placeOf,
  STATUS_COLORS,
  sourceLine,
  truncate,
} from './parts.ts';

/**
 * A Reply as Discord messages: one embed and one row of buttons per card, the reply's own buttons
 * (paging, "edit", why-dismissed) in the last rows. Discord's limits decide how many messages that
 * takes: at most 5 action rows and 10 embeds per message, 6,000 characters over all its embeds,
 * 2,000 of content. A compact reply (a digest page) is one message instead (compact.ts).
 */

export { type ButtonRow, type ComponentRow, type DiscordMessage, embedLength, LIMITS, truncate };

const BUTTON_STYLES: Record<
  Exclude<CardAction, 'open'>,
  ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success | ButtonStyle.Danger
> = {
  save: ButtonStyle.Primary,
  applied: ButtonStyle.Success,
  dismiss: ButtonStyle.Danger,
  undo: ButtonStyle.Secondary,
};

export function cardEmbed(card: Card): APIEmbed {
  const fields = [
    field('Company', escapeMarkdown(card.company), true),
    field('Location', escapeMarkdown(placeOf(card)) || 'Not stated', true),
    field('Salary', card.salary ? escapeMarkdown(card.salary) : 'Not stated', true),
    field('Score', `${card.score}/100`, true),
  ];
  if (card.status !== 'new') fields.push(field('Status', STATUS_LABELS[card.status], true));
  if (card.reasons.length) {
    fields.push(
      field(
        'Why',
        card.reasons
          .slice(0, 3)
          .map((r) => `• ${escapeMarkdown(r)}`)
          .join('\n'),
      ),
    );
  }
  fields.push(field('Source', sourceLine(card)));
  const embed: APIEmbed = {
    title: truncate(card.title, LIMITS.title),
    color: STATUS_COLORS[card.status],
    fields,
  };
  const url = httpUrl(card.url);
  if (url) embed.url = url;
  if (card.postedAt) embed.timestamp = card.postedAt.toISOString();
  return embed;
}

/** Save / Dismiss / Applied / Undo as buttons that come back to us; Open as a link button. */
export function cardRow(card: Card): ButtonRow {
  const components: APIButtonComponent[] = [];
  for (const action of card.actions) {
    if (action === 'open') {
      const url = httpUrl(card.url, LIMITS.linkUrl);
      if (url) components.push({ type: ComponentType.Button, style: ButtonStyle.Link, label: 'Open', url });
      continue;
    }
    components.push({
      type: ComponentType.Button,
      style: BUTTON_STYLES[action],
      label: ACTION_LABELS[action],
      custom_id: matchActionId(action, card.matchId),
    });
  }
  return { type: ComponentType.ActionRow, components };
}

/**
 * Splits a reply into as few messages as the limits allow. The first carries the text; the reply's
 * buttons go on the last, which takes the last card along when there would be no room for them
 * (so a page of five cards becomes four, then one with the paging buttons).
 */
export function renderReply(reply: Reply): DiscordMessage[] {
  const replyRows = buttonRows(reply.buttons ?? []);
  if (reply.compact) {
    const one = compactMessage(contentOf(reply), reply.cards ?? [], replyRows);
    if (one) return [one];
  }
  const messages: DiscordMessage[] = [{ content: contentOf(reply), embeds: [], components: [] }];
  let size = 0;
  for (const card of reply.cards ?? []) {
    const embed = cardEmbed(card);
    const length = embedLength(embed);
    let current = messages.at(-1)!;
    const full =
      current.components.length >= LIMITS.rows ||
      current.embeds.length >= LIMITS.embedsPerMessage ||
      size + length > LIMITS.embedTotal;
    if (full) {
      current = { content: '', embeds: [], components: [] };
      messages.push(current);
      size = 0;
    }
    current.embeds.push(embed);
    current.components.push(cardRow(card));
    size += length;
  }
  if (replyRows.length) {
    let last = messages.at(-1)!;
    if (last.components.length + replyRows.length > LIMITS.rows) {
      const moved = { content: '', embeds: [last.embeds.pop()!], components: [last.components.pop()!] };
      messages.push(moved);
      last = moved;
    }
    last.components.push(...replyRows);
  }
  return messages;
}

/** A message as discord.js hands it back (components as JSON); rows of other shapes are kept as they are. */
export interface ShownMessage {
  content: string;
  embeds: APIEmbed[];
  components: { type: number; components?: object[] }[];
}

function matchIdOfRow(row: ShownMessage['components'][number]): number | null {
  for (const c of row.components ?? []) {
    const id = 'custom_id' in c && typeof c.custom_id === 'string' ? c.custom_id : null;
    const command = id ? decodeAction(id) : null;
    if (command?.name === 'match.action') return command.matchId;
  }
  return null;
}

/**
 * The message a card button was on, with that card (embed and row, which share their index) in
 * its new state and every other card untouched; null when the card is not on it.
 */
export function withCardReplaced(message: ShownMessage, card: Card): ShownMessage | null {
  const index = message.components.findIndex((row) => matchIdOfRow(row) === card.matchId);
  if (index < 0 || index >= message.embeds.length) return null;
  const embeds = [...message.embeds];
  const components = [...message.components];
  embeds[index] = cardEmbed(card);
  components[index] = cardRow(card);
  return { content: message.content, embeds, components };
}

/** The message without its reply buttons (paging, edit): they were used, a new answer follows. */
export function withoutReplyButtons(message: ShownMessage): ShownMessage {
  return { ...message, components: message.components.filter((row) => matchIdOfRow(row) !== null) };
}
