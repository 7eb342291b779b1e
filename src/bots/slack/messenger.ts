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

/**
 * Where the messenger gets its WebClient: SLACK_BOT_TOKEN's one client, or in multi-workspace
 * mode the client of the workspace's own installation.
 */
export interface SlackClients {
  /** Throws UndeliverableError when JobPing is not installed in that workspace. */
  forTeam(teamId: string | undefined): Promise<webApi.WebClient>;
  /** Multi-workspace mode: a refused token means that workspace removed the app; forget it. */
  refused?(teamId: string | undefined): void;
}

export function singleTokenClients(client: webApi.WebClient): SlackClients {
  return { forTeam: async () => client };
}

/** Answers to a workspace token that say the workspace removed the app (or revoked the token). */
const TOKEN_GONE = new Set([
  'invalid_auth',
  'token_revoked',
  'not_authed',
  'account_inactive',
  'team_not_found',
]);

function tokenGone(err: unknown): string | null {
  return err instanceof webApi.WebAPIPlatformError && TOKEN_GONE.has(err.data.error) ? err.data.error : null;
}

export function createSlackMessenger(clients: SlackClients): Messenger {
  // In multi-workspace mode, the ref remembers the workspace, so a later edit picks its token.
  const perWorkspace = Boolean(clients.refused);
  async function call<T>(
    teamId: string | undefined,
    fn: (client: webApi.WebClient) => Promise<T>,
  ): Promise<T> {
    const client = await clients.forTeam(teamId);
    try {
      return await fn(client);
    } catch (err) {
      const gone = clients.refused ? tokenGone(err) : null;
      if (!gone) throw slackError(err);
      clients.refused?.(teamId);
      throw new UndeliverableError(`slack: ${gone} (JobPing is no longer installed in workspace ${teamId})`);
    }
  }
  return {
    platform: 'slack',
    async send(target: DeliveryTarget, reply: Reply) {
      const { teamId, userId } = parseExternalId(target.externalId);
      let channel = target.dmChannel;
      if (!channel) {
        const opened = await call(teamId, (client) => client.conversations.open({ users: userId }));
        channel = opened.channel?.id ?? null;
        if (!channel)
          throw new UpstreamError('slack', 'conversations.open returned no channel', { retryable: true });
      }
      const message = renderReply(reply);
      const dm = channel;
      const sent = await call(teamId, (client) =>
        client.chat.postMessage({ channel: dm, text: message.text, blocks: message.blocks }),
      );
      if (!sent.ts) throw new UpstreamError('slack', 'chat.postMessage returned no ts', { retryable: false });
      const ref: MessageRef = {
        channel: sent.channel ?? dm,
        ts: sent.ts,
        ...(perWorkspace ? { team: teamId } : {}),
      };
      return { ref, dmChannel: dm };
    },
    async updateCard(ref: MessageRef, card: Card) {
      const { channel, ts, team } = ref;
      if (!channel || !ts) return;
      // The alert's own headline (see alertReply), with the card in its new state.
      const reply: Reply = {
        text: `New match (${card.score}): ${card.title} at ${card.company}`,
        cards: [card],
      };
      const message = renderReply(reply);
      await call(team, (client) =>
        client.chat.update({ channel, ts, text: fallbackText(reply), blocks: message.blocks }),
      );
    },
  };
}
