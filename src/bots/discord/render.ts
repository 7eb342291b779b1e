import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  type APIEmbedField,
  ButtonStyle,
  ComponentType,
  escapeMarkdown,
} from 'discord.js';
import { decodeAction, matchActionId } from '../../core/actions.ts';
import {
  ACTION_LABELS,
  type Card,
  type CardAction,
  type Reply,
  type ReplyButton,
  STATUS_LABELS,
} from '../../core/reply.ts';
import type { MatchStatus, RemoteMode } from '../../core/types.ts';

/**
 * A Reply as Discord messages: one embed and one row of buttons per card, the reply's own buttons
 * (paging, "edit") in a last row. Discord's limits decide how many messages that takes: at most
 * 5 action rows and 10 embeds per message, 6,000 characters over all its embeds, 2,000 of content.
 */

export const LIMITS = {
  content: 2000,
  title: 256,
  description: 4096,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  embedTotal: 6000,
  embedsPerMessage: 10,
  rows: 5,
  buttonsPerRow: 5,
  customId: 100,
  buttonLabel: 80,
  linkUrl: 512,
} as const;

export type ButtonRow = APIActionRowComponent<APIButtonComponent>;

/** One message's worth of a reply; the caller adds flags and mention rules for its transport. */
export interface DiscordMessage {
  content: string;
  embeds: APIEmbed[];
  components: ButtonRow[];
}

const REMOTE_LABELS: Record<RemoteMode, string | null> = {
  remote: 'Remote',
  hybrid: 'Hybrid',
  onsite: 'On-site',
  unknown: null,
};

const STATUS_COLORS: Record<MatchStatus, number> = {
  new: 0x5865f2,
  saved: 0xfee75c,
  applied: 0x57f287,
  dismissed: 0x4f545c,
};

const BUTTON_STYLES: Record<
  Exclude<CardAction, 'open'>,
  ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success | ButtonStyle.Danger
> = {
  save: ButtonStyle.Primary,
  applied: ButtonStyle.Success,
  dismiss: ButtonStyle.Danger,
  undo: ButtonStyle.Secondary,
};

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function httpUrl(url: string, maxLength = 2048): string | undefined {
  if (url.length > maxLength) return undefined;
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}

function field(name: string, value: string, inline = false): APIEmbedField {
  return {
    name: truncate(name, LIMITS.fieldName),
    value: truncate(value || '—', LIMITS.fieldValue),
    inline,
  };
}

function sourceLine(card: Card): string {
  const source = escapeMarkdown(card.source);
  const link = card.attribution && httpUrl(card.attribution.url);
  if (!card.attribution) return source;
  const text = escapeMarkdown(card.attribution.text).replace(/[[\]]/g, '');
  return `${source} · ${link ? `[${text}](${link})` : text}`;
}

export function cardEmbed(card: Card): APIEmbed {
  const place = [REMOTE_LABELS[card.remote], card.location].filter(Boolean).join(' · ');
  const fields = [
    field('Company', escapeMarkdown(card.company), true),
    field('Location', escapeMarkdown(place) || 'Not stated', true),
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

export function buttonsRow(buttons: ReplyButton[]): ButtonRow {
  return {
    type: ComponentType.ActionRow,
    components: buttons.slice(0, LIMITS.buttonsPerRow).map((b) => ({
      type: ComponentType.Button,
      style: ButtonStyle.Secondary,
      label: truncate(b.label, LIMITS.buttonLabel),
      custom_id: b.action.slice(0, LIMITS.customId),
    })),
  };
}

/** Characters Discord counts against the 6,000 per message. */
export function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

function contentOf(reply: Reply): string {
  const prefix = reply.tone === 'error' ? '⚠️ ' : '';
  return truncate(`${prefix}${reply.text}`, LIMITS.content);
}

/**
 * Splits a reply into as few messages as the limits allow. The first carries the text; the reply's
 * buttons go on the last, which takes the last card along when there would be no room for them
 * (so a page of five cards becomes four, then one with the paging buttons).
 */
export function renderReply(reply: Reply): DiscordMessage[] {
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
  if (reply.buttons?.length) {
    let last = messages.at(-1)!;
    if (last.components.length >= LIMITS.rows) {
      const moved = { content: '', embeds: [last.embeds.pop()!], components: [last.components.pop()!] };
      messages.push(moved);
      last = moved;
    }
    last.components.push(buttonsRow(reply.buttons));
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
