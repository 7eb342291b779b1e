import {
  InteractionContextType,
  type InteractionReplyOptions,
  type Message,
  MessageFlags,
  type REST,
  type RepliableInteraction,
} from 'discord.js';
import type { LogPort } from '../../core/ports.ts';
import type { Reply } from '../../core/reply.ts';
import type { Actor } from '../../core/types.ts';
import type { BotDeps } from '../handlers.ts';
import { NO_MENTIONS } from './messenger.ts';
import { type ComponentRow, type DiscordMessage, renderReply, type ShownMessage } from './render.ts';
import { forDiscord } from './texts.ts';

/** Who is asking and how to answer them: what every kind of interaction shares. */

export interface InteractionDeps {
  bot: BotDeps;
  rest: REST;
  logger: LogPort;
  /** How long an interaction's token may still be used after it arrives (Discord: 15 min, less a margin). */
  followUpWindowMs: number;
  /** Defer a quick command's answer once it takes this long (Discord's limit is 3 s). */
  deferAfterMs: number;
}

export function inBotDm(i: RepliableInteraction): boolean {
  return i.context === InteractionContextType.BotDM || (i.context == null && !i.guildId);
}

export function actorOf(i: RepliableInteraction): Actor {
  return {
    platform: 'discord',
    externalId: i.user.id,
    displayName: i.user.globalName ?? i.user.username,
    dmChannel: inBotDm(i) ? i.channelId : null,
  };
}

/** Ephemeral only where others could see it: in servers and group chats, not in the bot's DM. */
export function flagsFor(i: RepliableInteraction, personal: boolean) {
  return personal && !inBotDm(i) ? MessageFlags.Ephemeral : undefined;
}

export function payload(message: DiscordMessage | ShownMessage) {
  return {
    content: message.content,
    embeds: message.embeds,
    components: message.components as ComponentRow[],
    allowedMentions: NO_MENTIONS,
  };
}

export function shown(message: Message): ShownMessage {
  return {
    content: message.content,
    embeds: message.embeds.map((e) => e.toJSON()),
    components: message.components.map((c) => c.toJSON()) as ShownMessage['components'],
  };
}

/** Answers with a reply: the first message as the response (or its edit), the rest as follow-ups. */
export async function respond(i: RepliableInteraction, reply: Reply, personal: boolean): Promise<void> {
  const [first, ...more] = renderReply(forDiscord(reply));
  const mine = personal || reply.ephemeral === true;
  if (i.deferred) await i.editReply(payload(first!));
  else await i.reply({ ...payload(first!), flags: flagsFor(i, mine) } as InteractionReplyOptions);
  for (const message of more) await followUp(i, message, mine);
}

/** One more message after the answer; by default seen only by the user (outside their DM with the bot). */
export async function followUp(i: RepliableInteraction, message: DiscordMessage, personal = true) {
  await i.followUp({ ...payload(message), flags: flagsFor(i, personal) } as InteractionReplyOptions);
}

export async function refuse(i: RepliableInteraction, text: string): Promise<void> {
  await i.reply({ content: `⚠️ ${text}`, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}
