import { type APIEmbed, type APIStringSelectComponent, ComponentType, escapeMarkdown } from 'discord.js';
import { matchActionId } from '../../core/actions.ts';
import { MATCH_ACTIONS, type MatchAction } from '../../core/commands.ts';
import { type Card, STATUS_LABELS } from '../../core/reply.ts';
import {
  type ComponentRow,
  type DiscordMessage,
  embedLength,
  httpUrl,
  LIMITS,
  placeOf,
  STATUS_COLORS,
  sourceLine,
  truncate,
} from './parts.ts';

/**
 * A compact reply (a digest page) as ONE Discord message. A full card takes an action row of its
 * own, and five of them plus the paging row would be six rows where Discord allows five. Here each
 * card is a short embed whose numbered title links to the posting (that is its Open), and the card
 * actions are menus, one per action, each listing the cards it applies to ("Save a job…"): at most
 * four menus and the paging row.
 */

const PLACEHOLDERS: Record<MatchAction, string> = {
  save: 'Save a job…',
  dismiss: 'Dismiss a job… (never shown again)',
  applied: 'Mark a job as applied…',
  undo: "Undo a job's last change…",
};

/**
 * A menu's id: "s:save:12,13,14", its action and every card of the message in order, so that the
 * message can be drawn again, with the cards' new states, after a pick.
 */
export function pickerId(action: MatchAction, matchIds: number[]): string {
  return `s:${action}:${matchIds.join(',')}`;
}

const PICKER = /^s:([a-z]+):(\d{1,15}(?:,\d{1,15}){0,9})$/;

export function decodePicker(customId: string): { action: MatchAction; matchIds: number[] } | null {
  const m = PICKER.exec(customId);
  const action = m?.[1] as MatchAction | undefined;
  if (!m || !action || !MATCH_ACTIONS.includes(action)) return null;
  return { action, matchIds: m[2]!.split(',').map(Number) };
}

export function isPickerRow(row: { components?: object[] }): boolean {
  return (row.components ?? []).some(
    (c) => 'custom_id' in c && typeof c.custom_id === 'string' && decodePicker(c.custom_id) !== null,
  );
}

export function compactEmbed(card: Card, n: number): APIEmbed {
  const facts = [
    `**${escapeMarkdown(truncate(card.company, 100))}**`,
    escapeMarkdown(truncate(placeOf(card), 120)),
    card.salary ? escapeMarkdown(truncate(card.salary, 60)) : null,
  ].filter(Boolean);
  const why = [`Score ${card.score}/100`, card.reasons[0] && escapeMarkdown(truncate(card.reasons[0], 150))];
  const lines = [facts.join(' · '), why.filter(Boolean).join(' · ')];
  if (card.status !== 'new') lines.push(`**${STATUS_LABELS[card.status]}**`);
  lines.push(sourceLine(card));
  const embed: APIEmbed = {
    title: truncate(`${n}. ${card.title}`, 200),
    color: STATUS_COLORS[card.status],
    description: truncate(lines.join('\n'), LIMITS.description),
  };
  const url = httpUrl(card.url);
  if (url) embed.url = url;
  return embed;
}

function picker(action: MatchAction, cards: Card[]): APIStringSelectComponent | null {
  const options = cards.flatMap((card, i) =>
    card.actions.includes(action)
      ? [
          {
            label: truncate(`${i + 1}. ${card.title}`, LIMITS.optionLabel),
            value: matchActionId(action, card.matchId),
            description: truncate(`${card.company} · score ${card.score}`, LIMITS.optionDescription),
          },
        ]
      : [],
  );
  if (options.length === 0) return null;
  return {
    type: ComponentType.StringSelect,
    custom_id: pickerId(
      action,
      cards.map((c) => c.matchId),
    ),
    placeholder: PLACEHOLDERS[action],
    min_values: 1,
    max_values: 1,
    options,
  };
}

/**
 * The cards as one message under `content`, with `rows` (paging) under the menus; null when they
 * cannot fit one message (then the caller shows full cards over several).
 */
export function compactMessage(content: string, cards: Card[], rows: ComponentRow[]): DiscordMessage | null {
  if (cards.length < 2 || cards.length > LIMITS.embedsPerMessage) return null;
  const embeds = cards.map((card, i) => compactEmbed(card, i + 1));
  if (embeds.reduce((n, e) => n + embedLength(e), 0) > LIMITS.embedTotal) return null;
  const menus = MATCH_ACTIONS.flatMap((action) => {
    const menu = picker(action, cards);
    return menu ? [menu] : [];
  });
  if (menus.some((m) => m.custom_id.length > LIMITS.customId)) return null;
  const components: ComponentRow[] = [
    ...menus.map((menu) => ({ type: ComponentType.ActionRow as const, components: [menu] })),
    ...rows,
  ];
  if (components.length > LIMITS.rows) return null;
  return { content, embeds, components };
}
