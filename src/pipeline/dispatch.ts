import type pg from 'pg';
import type { Clock, LogPort } from '../core/ports.ts';
import { digestDue, policyOf } from '../core/schedule.ts';
import { createDigest, digestUsers } from '../db/digests.ts';
import { pruneProcessedEvents } from '../db/events.ts';
import { withTransaction } from '../db/pool.ts';
import { type ReleaseOutcome, releaseDeliveries } from './deliver.ts';
import type { Queues } from './queues.ts';

/**
 * The dispatcher, run every minute by one pg-boss schedule for the whole install: it releases
 * deliveries whose hold is over (quiet hours ended) and starts the digests that are due at the
 * users' local time. Safe to run twice at once: held rows are locked and skipped, and a digest
 * is unique per user and local date.
 */

export interface DispatchDeps {
  pool: pg.Pool;
  queues: Queues;
  clock: Clock;
  logger: LogPort;
}

export async function runDispatch(deps: DispatchDeps): Promise<ReleaseOutcome & { digests: number }> {
  const now = deps.clock.now();
  const released = await withTransaction(deps.pool, (tx) =>
    releaseDeliveries(tx, { queues: deps.queues, now }, null),
  );
  let digests = 0;
  for (const user of await digestUsers(deps.pool)) {
    try {
      const date = digestDue(policyOf(user), now, user.lastDate);
      if (!date) continue;
      const digest = await withTransaction(deps.pool, async (tx) => {
        const created = await createDigest(tx, user.userId, date, now);
        if (created && created.items > 0)
          await deps.queues.send('digest', { digestId: created.id }, { db: tx });
        return created;
      });
      if (digest && digest.items > 0) digests++;
    } catch (err) {
      // One user's bad data (a zone this runtime does not know) must not hold up everyone else's.
      deps.logger.error({ err, userId: user.userId }, 'digest could not be prepared');
    }
  }
  // Once an hour: forget inbound event ids older than a week; no platform retries that late.
  if (now.getUTCMinutes() === 0)
    await pruneProcessedEvents(deps.pool, new Date(now.getTime() - 7 * 86_400_000));
  if (released.queued + released.held + released.overCap + digests > 0)
    deps.logger.info({ ...released, digests }, 'dispatch');
  return { ...released, digests };
}
