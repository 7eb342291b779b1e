import {
  type APIChannel,
  type APIMessage,
  DiscordAPIError,
  HTTPError,
  type REST,
  RESTJSONErrorCodes,
  Routes,
} from 'discord.js';
import { UpstreamError } from '../../core/errors.ts';
import { type Messenger, UndeliverableError } from '../../core/ports.ts';
import type { Card, Reply } from '../../core/reply.ts';
import type { MessageRef } from '../../core/types.ts';
import { type DiscordMessage, renderReply, type ShownMessage, withCardReplaced } from './render.ts';

/**
 * Direct messages over Discord's REST API: open (or reuse) the DM channel, post the card. Rate
 * limits and retries of 5xx are @discordjs/rest's; we only decide what an error means for us.
 */

/** The account cannot be messaged: DMs closed, no shared server any more, user gone. */
const UNDELIVERABLE = new Set<number>([
  RESTJSONErrorCodes.CannotSendMessagesToThisUser,
  RESTJSONErrorCodes.CannotSendMessagesToThisUserDueToHavingNoMutualGuilds,
  RESTJSONErrorCodes.UnknownUser,
  RESTJSONErrorCodes.InvalidRecipients,
]);

/** No mention in a posting's text (an "@everyone" in a title) may ever ping anyone. */
export const NO_MENTIONS = { parse: [] as never[] };

export function toDomainError(err: unknown): Error {
  if (err instanceof DiscordAPIError) {
    if (typeof err.code === 'number' && UNDELIVERABLE.has(err.code)) {
      return new UndeliverableError(`discord ${err.code}: ${err.message}`, { cause: err });
    }
    return new UpstreamError('discord', `${err.status} ${err.code}: ${err.message}`, {
      retryable: err.status >= 500,
      status: err.status,
      cause: err,
    });
  }
  if (err instanceof HTTPError) {
    return new UpstreamError('discord', `${err.status}: ${err.message}`, {
      retryable: err.status >= 500,
      status: err.status,
      cause: err,
    });
  }
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * An error fit for the log: discord.js puts the request URL on its errors, and the URLs of
 * interaction responses carry the interaction's token (good for 15 minutes to post as the bot).
 */
export function loggable(err: unknown): unknown {
  if (!(err instanceof DiscordAPIError) && !(err instanceof HTTPError)) return err;
  const safe = new Error(err.message);
  safe.name = err.name;
  return Object.assign(safe, {
    status: err.status,
    method: err.method,
    url: err.url.replace(/\/(webhooks|interactions)\/(\d+)\/[^/?]+/, '/$1/$2/<token>'),
    ...(err instanceof DiscordAPIError ? { code: err.code } : {}),
  });
}

const isCode = (err: unknown, code: number) => err instanceof DiscordAPIError && err.code === code;

export async function openDm(rest: REST, userId: string): Promise<string> {
  const channel = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as APIChannel;
  return channel.id;
}

function post(rest: REST, channelId: string, message: DiscordMessage): Promise<APIMessage> {
  return rest.post(Routes.channelMessages(channelId), {
    body: { ...message, allowed_mentions: NO_MENTIONS },
  }) as Promise<APIMessage>;
}

/**
 * Sends a reply as direct messages to a user (several when it is long). A remembered DM channel
 * that Discord no longer knows is opened afresh once.
 */
export async function sendDirect(
  rest: REST,
  to: { userId: string; dmChannel: string | null },
  reply: Reply,
): Promise<{ ref: MessageRef; dmChannel: string }> {
  const messages = renderReply(reply);
  try {
    let channelId = to.dmChannel ?? (await openDm(rest, to.userId));
    let first: APIMessage;
    try {
      first = await post(rest, channelId, messages[0]!);
    } catch (err) {
      if (!to.dmChannel || !isCode(err, RESTJSONErrorCodes.UnknownChannel)) throw err;
      channelId = await openDm(rest, to.userId);
      first = await post(rest, channelId, messages[0]!);
    }
    for (const message of messages.slice(1)) await post(rest, channelId, message);
    return { ref: { channelId, messageId: first.id }, dmChannel: channelId };
  } catch (err) {
    throw toDomainError(err);
  }
}

/**
 * Shows one card of a message sent earlier in its new state, the rest of the message as it is
 * (read first: the message may hold more than that card). Nothing happens when it is not there.
 */
export async function updateCardMessage(rest: REST, ref: MessageRef, card: Card): Promise<void> {
  const { channelId, messageId } = ref;
  if (!channelId || !messageId) return;
  const route = Routes.channelMessage(channelId, messageId);
  const message = (await rest.get(route)) as APIMessage;
  const current: ShownMessage = {
    content: message.content,
    embeds: message.embeds,
    components: (message.components ?? []) as ShownMessage['components'],
  };
  const updated = withCardReplaced(current, card);
  if (!updated) return;
  await rest.patch(route, {
    body: { embeds: updated.embeds, components: updated.components, allowed_mentions: NO_MENTIONS },
  });
}

export function createDiscordMessenger(rest: REST): Messenger {
  return {
    platform: 'discord',
    send: (target, reply) =>
      sendDirect(rest, { userId: target.externalId, dmChannel: target.dmChannel }, reply),
    async updateCard(ref, card) {
      try {
        await updateCardMessage(rest, ref, card);
      } catch (err) {
        throw toDomainError(err);
      }
    },
  };
}
