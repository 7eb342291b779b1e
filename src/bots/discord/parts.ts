import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIEmbedField,
  ButtonStyle,
  ComponentType,
  escapeMarkdown,
} from 'discord.js';
import type { Card, Reply, ReplyButton } from '../../core/reply.ts';
import type { MatchStatus, RemoteMode } from '../../core/types.ts';

/**
 * What the full cards (render.ts) and the compact digest (compact.ts) are built from: Discord's
 * limits, message shapes, and the small pieces of text both show.
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
  selectOptions: 25,
  optionLabel: 100,
  optionDescription: 100,
  placeholder: 150,
} as const;

export type ButtonRow = APIActionRowComponent<APIButtonComponent>;
/** A row of buttons, or one select menu. */
export type ComponentRow = APIActionRowComponent<APIComponentInMessageActionRow>;

/** One message's worth of a reply; the caller adds flags and mention rules for its transport. */
export interface DiscordMessage {
  content: string;
  embeds: APIEmbed[];
  components: ComponentRow[];
}

export const REMOTE_LABELS: Record<RemoteMode, string | null> = {
  remote: 'Remote',
  hybrid: 'Hybrid',
  onsite: 'On-site',
  unknown: null,
};

export const STATUS_COLORS: Record<MatchStatus, number> = {
  new: 0x5865f2,
  saved: 0xfee75c,
  applied: 0x57f287,
  dismissed: 0x4f545c,
};

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function httpUrl(url: string, maxLength = 2048): string | undefined {
  if (url.length > maxLength) return undefined;
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}

export function field(name: string, value: string, inline = false): APIEmbedField {
  return {
    name: truncate(name, LIMITS.fieldName),
    value: truncate(value || '—', LIMITS.fieldValue),
    inline,
  };
}

/** "Remote · Berlin", or "" when neither is known. */
export function placeOf(card: Card): string {
  return [REMOTE_LABELS[card.remote], card.location].filter(Boolean).join(' · ');
}

/** The board's name, and the credit it asks for as a link. */
export function sourceLine(card: Card): string {
  const source = escapeMarkdown(card.source);
  const link = card.attribution && httpUrl(card.attribution.url);
  if (!card.attribution) return source;
  const text = escapeMarkdown(card.attribution.text).replace(/[[\]]/g, '');
  return `${source} · ${link ? `[${text}](${link})` : text}`;
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

export function contentOf(reply: Reply): string {
  const prefix = reply.tone === 'error' ? '⚠️ ' : '';
  return truncate(`${prefix}${reply.text}`, LIMITS.content);
}

/** A reply's own buttons (paging, edit, why-dismissed), five to a row. */
export function buttonRows(buttons: ReplyButton[]): ButtonRow[] {
  const rows: ButtonRow[] = [];
  for (let i = 0; i < buttons.length; i += LIMITS.buttonsPerRow) {
    rows.push({
      type: ComponentType.ActionRow,
      components: buttons.slice(i, i + LIMITS.buttonsPerRow).map((b) => ({
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        label: truncate(b.label, LIMITS.buttonLabel),
        custom_id: b.action.slice(0, LIMITS.customId),
      })),
    });
  }
  return rows;
}
