import { matchActionId } from '../../core/actions.ts';
import { describePlace } from '../../core/cards.ts';
import { ACTION_LABELS, type Card, type Reply } from '../../core/reply.ts';

/**
 * A Reply as terminal text. Every action gets a number the user can type; `choices` maps those
 * numbers to the button payload (or, for Open, the link).
 */

export type Choice = { kind: 'action'; action: string } | { kind: 'open'; url: string };

export function cardLines(
  card: Card,
  index: number,
  next: () => number,
  choices: Map<number, Choice>,
): string[] {
  const place = describePlace(card);
  const lines = [
    `${index}. ${card.title} — ${card.company}${card.status !== 'new' ? `  [${card.status}]` : ''}`,
    `   ${[place, card.salary, `score ${card.score}`].filter(Boolean).join(' · ')}`,
  ];
  if (card.reasons.length) lines.push(`   why: ${card.reasons.slice(0, 3).join('; ')}`);
  lines.push(`   ${card.source}${card.attribution ? ` — ${card.attribution.text}` : ''} · ${card.url}`);
  const buttons = card.actions.map((a) => {
    const n = next();
    choices.set(
      n,
      a === 'open'
        ? { kind: 'open', url: card.url }
        : { kind: 'action', action: matchActionId(a, card.matchId) },
    );
    return `[${n}] ${ACTION_LABELS[a]}`;
  });
  lines.push(`   ${buttons.join('  ')}`);
  return lines;
}

export function renderReply(reply: Reply, startAt = 1): { text: string; choices: Map<number, Choice> } {
  const choices = new Map<number, Choice>();
  let n = startAt - 1;
  const next = () => ++n;
  const lines = [reply.tone === 'error' ? `! ${reply.text}` : reply.text];
  reply.cards?.forEach((card, i) => {
    lines.push('', ...cardLines(card, i + 1, next, choices));
  });
  if (reply.buttons?.length) {
    lines.push(
      '',
      reply.buttons
        .map((b) => {
          const k = next();
          choices.set(k, { kind: 'action', action: b.action });
          return `[${k}] ${b.label}`;
        })
        .join('  '),
    );
  }
  return { text: lines.join('\n'), choices };
}
