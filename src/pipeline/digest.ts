import { digestReply } from '../core/cards.ts';
import { claimDigest, digestItems, markDigest } from '../db/digests.ts';
import { type NotifyDeps, sendToUser } from './notify.ts';

/**
 * Sends one digest: its first page of compact cards and a "More" button that pages through the
 * same digest. Claimed before sending and marked after, like a single alert.
 */

/** Cards per digest message: what every platform's message limits hold, like a /jobs page. */
export const DIGEST_PAGE_SIZE = 5;

export async function runDigest(deps: NotifyDeps, digestId: number, lastAttempt: boolean): Promise<void> {
  const digest = await claimDigest(deps.pool, digestId);
  if (!digest) return;
  const page = await digestItems(deps.pool, digestId, { offset: 0, limit: DIGEST_PAGE_SIZE });
  if (page.total === 0) {
    await markDigest(deps.pool, digestId, 'skipped', { error: 'nothing left to list' });
    return;
  }
  const reply = digestReply(
    {
      digestId,
      items: page.items,
      total: page.total,
      index: 1,
      pageSize: DIGEST_PAGE_SIZE,
      date: digest.localDate,
    },
    deps.describeSource,
  );
  const outcome = await sendToUser(deps, digest.userId, reply);
  const identity = outcome.identity
    ? { id: outcome.identity.id, platform: outcome.identity.platform }
    : undefined;
  if (outcome.status === 'sent') {
    await markDigest(deps.pool, digestId, 'sent', {
      messageRef: outcome.ref,
      ...(identity ? { identity } : {}),
    });
    return;
  }
  await markDigest(deps.pool, digestId, outcome.status, {
    error: outcome.error,
    ...(identity ? { identity } : {}),
  });
  if (outcome.status === 'failed') {
    if (outcome.retry && !lastAttempt) throw outcome.cause;
    deps.logger.error({ err: outcome.cause, digestId }, 'digest could not be delivered');
  }
}
