import { webApi } from '@slack/bolt';
import { UpstreamError } from '../../core/errors.ts';
import { type DeliveryTarget, type Messenger, UndeliverableError } from '../../core/ports.ts';
import type { Card, Reply } from '../../core/reply.ts';
import type { Actor, MessageRef } from '../../core/types.ts';
import { fallbackText, renderReply } from './blocks.ts';

/**
 * Direct messages from the bot: alerts (conversations.open + chat.postMessage) and later edits of
 * an alert's card (chat.update). Rate limits and transient failures are retried by the WebClient
 * itself (see `retryConfig` in start.ts); what is left is sorted into "this person cannot be
 * reached" (UndeliverableError) and upstream errors that say whether a retry could help.
 */

/** Slack errors that mean the account cannot be messaged until something changes on their side. */
const UNDELIVERABLE = new Set([
  'channel_not_found',
  'not_in_channel',
  'user_not_found',
  'user_not_visible',
  'user_disabled',
  'account_inactive',
  'cannot_dm_bot',
  'is_archived',
  'messages_tab_disabled',
  'restricted_action',
  'team_access_not_granted',
  'invalid_users',
]);

/** Slack's user ids are unique per workspace only, hence "TEAM:USER". */
export function slackExternalId(teamId: string, userId: string): string {
  return `${teamId}:${userId}`;
}

export function slackActor(teamId: string, userId: string, displayName?: string | null): Actor {
  return { platform: 'slack', externalId: slackExternalId(teamId, userId), displayName: displayName ?? null };
}

export function parseExternalId(externalId: string): { teamId: string; userId: string } {
  const [teamId, userId] = externalId.split(':');
  if (!teamId || !userId) throw new UndeliverableError(`not a Slack account id: ${externalId}`);
  return { teamId, userId };
}

export function slackError(err: unknown): Error {
  if (err instanceof webApi.WebAPIPlatformError) {
    if (UNDELIVERABLE.has(err.data.error)) return new UndeliverableError(`slack: ${err.data.error}`);
    const retryable = ['internal_error', 'service_unavailable', 'fatal_error', 'request_timeout'].includes(
      err.data.error,
    );
    return new UpstreamError('slack', err.data.error, { retryable, cause: err });
  }
  if (err instanceof webApi.WebAPIHTTPError) {
    return new UpstreamError('slack', `HTTP ${err.statusCode}`, {
      retryable: err.statusCode >= 500,
      status: err.statusCode,
      cause: err,
    });
  }
  if (err instanceof webApi.WebAPIRateLimitedError) {
    return new UpstreamError('slack', 'rate limited', {
      retryable: true,
      status: 429,
      retryAfterSeconds: err.retryAfter,
      cause: err,
    });
  }
  if (err instanceof webApi.WebAPIRequestError) {
    return new UpstreamError('slack', err.original.message, { retryable: true, cause: err });
  }
  return err instanceof Error ? err : new Error(String(err));
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw slackError(err);
  }
}

export function createSlackMessenger(client: webApi.WebClient): Messenger {
  return {
    platform: 'slack',
    async send(target: DeliveryTarget, reply: Reply) {
      const { userId } = parseExternalId(target.externalId);
      let channel = target.dmChannel;
      if (!channel) {
        const opened = await call(() => client.conversations.open({ users: userId }));
        channel = opened.channel?.id ?? null;
        if (!channel)
          throw new UpstreamError('slack', 'conversations.open returned no channel', { retryable: true });
      }
      const message = renderReply(reply);
      const dm = channel;
      const sent = await call(() =>
        client.chat.postMessage({ channel: dm, text: message.text, blocks: message.blocks }),
      );
      if (!sent.ts) throw new UpstreamError('slack', 'chat.postMessage returned no ts', { retryable: false });
      const ref: MessageRef = { channel: sent.channel ?? dm, ts: sent.ts };
      return { ref, dmChannel: dm };
    },
    async updateCard(ref: MessageRef, card: Card) {
      const { channel, ts } = ref;
      if (!channel || !ts) return;
      // The alert's own headline (see alertReply), with the card in its new state.
      const reply: Reply = {
        text: `New match (${card.score}): ${card.title} at ${card.company}`,
        cards: [card],
      };
      const message = renderReply(reply);
      await call(() =>
        client.chat.update({ channel, ts, text: fallbackText(reply), blocks: message.blocks }),
      );
    },
  };
}
