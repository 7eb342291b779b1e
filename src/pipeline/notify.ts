import type pg from 'pg';
import { alertReply, changeReply, type DescribeSource } from '../core/cards.ts';
import { UpstreamError } from '../core/errors.ts';
import { type LogPort, type Messenger, UndeliverableError } from '../core/ports.ts';
import type { Reply } from '../core/reply.ts';
import type { MessageRef, Platform } from '../core/types.ts';
import { claimDelivery, markDelivery } from '../db/deliveries.ts';
import { getMatchView, type MatchView } from '../db/matches.ts';
import { findAlertIdentity, type IdentityRow, markUndeliverable, setDmChannel } from '../db/users.ts';

/**
 * The notify stage: one delivery, one message. The row is claimed ('sending') before the platform
 * is called and marked 'sent' with where the message landed after, so a job that runs again after
 * success sends nothing. (A crash between the platform's answer and the mark is the one window
 * where a message can go out twice; it is as short as one HTTP response.) The account is chosen
 * when the message goes out, not when it was queued: a hold may outlast a /link or a change of
 * `alerts_on`.
 */

export interface NotifyDeps {
  pool: pg.Pool;
  messengers: ReadonlyMap<Platform, Messenger>;
  describeSource: DescribeSource;
  logger: LogPort;
}

export type SendOutcome =
  | { status: 'sent'; ref: MessageRef; identity: IdentityRow }
  | { status: 'undeliverable' | 'skipped'; error: string; identity?: IdentityRow }
  | { status: 'failed'; error: string; retry: boolean; identity: IdentityRow; cause: unknown };

/** Sends one message to the user's alert account; never throws for the platform's own errors. */
export async function sendToUser(deps: NotifyDeps, userId: number, reply: Reply): Promise<SendOutcome> {
  const identity = await findAlertIdentity(deps.pool, userId);
  if (!identity) return { status: 'undeliverable', error: 'no reachable chat account' };
  const messenger = deps.messengers.get(identity.platform);
  if (!messenger) return { status: 'skipped', error: `${identity.platform} is not running here`, identity };
  try {
    const sent = await messenger.send(
      {
        identityId: identity.id,
        platform: identity.platform,
        externalId: identity.externalId,
        dmChannel: identity.dmChannel,
      },
      reply,
    );
    if (sent.dmChannel) await setDmChannel(deps.pool, identity.id, sent.dmChannel);
    return { status: 'sent', ref: sent.ref, identity };
  } catch (err) {
    if (err instanceof UndeliverableError) {
      deps.logger.info(
        { err, identityId: identity.id },
        'chat account cannot be messaged; marked undeliverable',
      );
      await markUndeliverable(deps.pool, identity.id, err.message);
      return { status: 'undeliverable', error: err.message, identity };
    }
    const retry = !(err instanceof UpstreamError) || err.retryable;
    return { status: 'failed', error: (err as Error).message, retry, identity, cause: err };
  }
}

/** What a delivery says, or why it has nothing to say any more. */
function replyFor(deps: NotifyDeps, kind: string, match: MatchView | null, details: unknown): Reply | string {
  if (!match) return 'match no longer exists';
  if (kind === 'alert') {
    // The user already acted on it (from /jobs) before the alert went out.
    return match.status === 'new' ? alertReply(match, deps.describeSource) : 'match no longer new';
  }
  if (kind === 'change' && details) {
    return match.status === 'saved' || match.status === 'applied'
      ? changeReply(match, details as Parameters<typeof changeReply>[1], deps.describeSource)
      : 'job no longer saved';
  }
  return `${kind} deliveries are not sent on their own`;
}

export async function runNotify(deps: NotifyDeps, deliveryId: number, lastAttempt: boolean): Promise<void> {
  const delivery = await claimDelivery(deps.pool, deliveryId);
  if (!delivery) return; // already sent, skipped, undeliverable, or still held
  const match = await getMatchView(deps.pool, delivery.matchId);
  const reply = replyFor(deps, delivery.kind, match, delivery.details);
  if (typeof reply === 'string') {
    await markDelivery(deps.pool, deliveryId, 'skipped', { error: reply });
    return;
  }
  const outcome = await sendToUser(deps, delivery.userId, reply);
  const identity = outcome.identity
    ? { id: outcome.identity.id, platform: outcome.identity.platform }
    : undefined;
  if (outcome.status === 'sent') {
    await markDelivery(deps.pool, deliveryId, 'sent', {
      messageRef: outcome.ref,
      ...(identity ? { identity } : {}),
    });
    return;
  }
  await markDelivery(deps.pool, deliveryId, outcome.status, {
    error: outcome.error,
    ...(identity ? { identity } : {}),
  });
  if (outcome.status === 'failed') {
    if (outcome.retry && !lastAttempt) throw outcome.cause;
    deps.logger.error({ err: outcome.cause, deliveryId }, 'message could not be delivered');
  }
}
