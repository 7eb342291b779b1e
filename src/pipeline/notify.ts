import type pg from 'pg';
import { alertReply, type DescribeSource } from '../core/cards.ts';
import { UpstreamError } from '../core/errors.ts';
import { type LogPort, type Messenger, UndeliverableError } from '../core/ports.ts';
import type { Platform } from '../core/types.ts';
import { claimDelivery, markDelivery } from '../db/deliveries.ts';
import { getMatchView } from '../db/matches.ts';
import { getIdentity, markUndeliverable, setDmChannel } from '../db/users.ts';

/**
 * The notify stage: one delivery, one message. The row is claimed ('sending') before the platform
 * is called and marked 'sent' with where the message landed after, so a job that runs again after
 * success sends nothing. (A crash between the platform's answer and the mark is the one window
 * where a message can go out twice; it is as short as one HTTP response.)
 */

export interface NotifyDeps {
  pool: pg.Pool;
  messengers: ReadonlyMap<Platform, Messenger>;
  describeSource: DescribeSource;
  logger: LogPort;
}

export async function runNotify(deps: NotifyDeps, deliveryId: number, lastAttempt: boolean): Promise<void> {
  const delivery = await claimDelivery(deps.pool, deliveryId);
  if (!delivery) return; // already sent, skipped or undeliverable
  const logger = deps.logger.child({ deliveryId, platform: delivery.platform });
  const identity = delivery.identityId ? await getIdentity(deps.pool, delivery.identityId) : null;
  if (!identity?.deliverable) {
    await markDelivery(deps.pool, deliveryId, 'undeliverable', { error: 'no reachable chat account' });
    return;
  }
  const messenger = deps.messengers.get(delivery.platform);
  if (!messenger) {
    await markDelivery(deps.pool, deliveryId, 'skipped', {
      error: `${delivery.platform} is not running here`,
    });
    return;
  }
  const match = await getMatchView(deps.pool, delivery.matchId);
  if (match?.status !== 'new') {
    // The user already acted on it (from /jobs) before the alert went out.
    await markDelivery(deps.pool, deliveryId, 'skipped', { error: 'match no longer new' });
    return;
  }
  try {
    const sent = await messenger.send(
      {
        identityId: identity.id,
        platform: identity.platform,
        externalId: identity.externalId,
        dmChannel: identity.dmChannel,
      },
      alertReply(match, deps.describeSource),
    );
    await markDelivery(deps.pool, deliveryId, 'sent', { messageRef: sent.ref });
    if (sent.dmChannel) await setDmChannel(deps.pool, identity.id, sent.dmChannel);
  } catch (err) {
    if (err instanceof UndeliverableError) {
      logger.info({ err }, 'chat account cannot be messaged; marked undeliverable');
      await markUndeliverable(deps.pool, identity.id, err.message);
      await markDelivery(deps.pool, deliveryId, 'undeliverable', { error: err.message });
      return;
    }
    const retryable = !(err instanceof UpstreamError) || err.retryable;
    await markDelivery(deps.pool, deliveryId, 'failed', { error: (err as Error).message });
    if (retryable && !lastAttempt) throw err;
    logger.error({ err }, 'alert could not be delivered');
  }
}
