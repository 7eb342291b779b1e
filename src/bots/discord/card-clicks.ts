import type { ButtonInteraction, StringSelectMenuInteraction } from 'discord.js';
import { decodeAction } from '../../core/actions.ts';
import { buildCard } from '../../core/cards.ts';
import type { Command } from '../../core/commands.ts';
import type { Card, Reply } from '../../core/reply.ts';
import { sentDeliveriesOf } from '../../db/deliveries.ts';
import { getMatchViews } from '../../db/matches.ts';
import { handleSafely } from '../handlers.ts';
import { actorOf, followUp, type InteractionDeps, payload, refuse, respond, shown } from './answer.ts';
import { compactMessage, decodePicker, isPickerRow } from './compact.ts';
import { loggable, updateCardMessage } from './messenger.ts';
import { buttonRows, type ComponentRow, LIMITS, truncate } from './parts.ts';
import { withCardReplaced, withoutReplyButtons } from './render.ts';
import { forDiscordText } from './texts.ts';

/**
 * Save / Dismiss / Applied / Undo, from a card's buttons or a digest's menus: the card changes
 * where it is, a dismissal asks why (privately; the answer tunes future scores), and earlier
 * alert DMs of the same job show its new state too.
 */

type MatchCommand = Extract<Command, { name: 'match.action' }>;
type ReasonCommand = Extract<Command, { name: 'match.reason' }>;

export async function onCardButton(deps: InteractionDeps, i: ButtonInteraction, command: MatchCommand) {
  const reply = await handleSafely(deps.bot, actorOf(i), command);
  if (reply.tone === 'error') return refuse(i, reply.text);
  const card = reply.cards?.[0];
  const updated = card && withCardReplaced(shown(i.message), card);
  if (updated) {
    await i.update(payload(updated));
    await askWhy(i, reply);
  } else {
    // Not on this message (it changed meanwhile): the card in its new state, and any question, as an answer.
    await respond(i, reply, true);
  }
  if (card) await refreshOtherCopies(deps, card, i.message.id);
}

/** A pick in a compact digest's menu: the whole message is drawn again with its cards as they are now. */
export async function onCardPick(deps: InteractionDeps, i: StringSelectMenuInteraction) {
  const picker = decodePicker(i.customId);
  const command = decodeAction(i.values[0] ?? '');
  const valid =
    picker &&
    command?.name === 'match.action' &&
    command.action === picker.action &&
    picker.matchIds.includes(command.matchId);
  if (!valid) return refuse(i, 'That menu is no longer available.');
  const reply = await handleSafely(deps.bot, actorOf(i), command);
  if (reply.tone === 'error') return refuse(i, reply.text);
  const message = shown(i.message);
  const cards = await currentCards(deps, command.matchId, picker.matchIds);
  const others = message.components.filter((row) => !isPickerRow(row)) as ComponentRow[];
  const redrawn = compactMessage(message.content, cards, others);
  if (redrawn) {
    await i.update(payload(redrawn));
    await askWhy(i, reply);
  } else {
    await respond(i, reply, true);
  }
  const card = reply.cards?.[0];
  if (card) await refreshOtherCopies(deps, card, i.message.id);
}

/** Why a job was dismissed: recorded, and the question makes way for what was learned. */
export async function onReason(deps: InteractionDeps, i: ButtonInteraction, command: ReasonCommand) {
  const reply = await handleSafely(deps.bot, actorOf(i), command);
  if (reply.tone === 'error') return refuse(i, reply.text);
  const message = withoutReplyButtons(shown(i.message));
  await i.update(payload({ ...message, content: truncate(forDiscordText(reply.text), LIMITS.content) }));
}

/** After Dismiss the shared reply asks why, with a button per reason: a message of its own, privately. */
async function askWhy(i: ButtonInteraction | StringSelectMenuInteraction, reply: Reply) {
  if (!reply.buttons?.length) return;
  const question = truncate(forDiscordText(reply.text), LIMITS.content);
  await followUp(i, { content: question, embeds: [], components: buttonRows(reply.buttons) });
}

/** The cards of a message as they are now, in the message's order, only the owner's. */
async function currentCards(deps: InteractionDeps, ownerMatchId: number, ids: number[]): Promise<Card[]> {
  const views = await getMatchViews(deps.bot.pool, ids);
  const owner = views.find((v) => v.id === ownerMatchId)?.userId;
  const byId = new Map(views.filter((v) => v.userId === owner).map((v) => [v.id, v]));
  return ids.flatMap((id) => {
    const view = byId.get(id);
    return view ? [buildCard(view, deps.bot.describeSource)] : [];
  });
}

/** Alert DMs of the same job (a click in a list or a digest) follow its state. */
async function refreshOtherCopies(deps: InteractionDeps, card: Card, exceptMessageId: string) {
  for (const d of await sentDeliveriesOf(deps.bot.pool, card.matchId)) {
    if (d.platform !== 'discord' || !d.messageRef || d.messageRef.messageId === exceptMessageId) continue;
    try {
      await updateCardMessage(deps.rest, d.messageRef, card);
    } catch (err) {
      deps.logger.info({ err: loggable(err), deliveryId: d.id }, 'could not update an earlier alert card');
    }
  }
}
