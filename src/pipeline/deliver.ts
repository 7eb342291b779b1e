import { localDay, planRelease, policyOf } from '../core/schedule.ts';
import {
  alertsQueuedBetween,
  type HeldDelivery,
  holdUntil,
  lockHeldDeliveries,
  markNotSent,
  markQueued,
} from '../db/deliveries.ts';
import type { Db } from '../db/pool.ts';
import type { Queues } from './queues.ts';

/**
 * The delivery policy applied to held deliveries, inside the caller's transaction: the match
 * stage and the change detector call it for what they just created (so an instant alert outside
 * quiet hours goes out at once), the dispatcher every minute for holds that are over. Per user:
 * quiet hours hold everything until the window ends; otherwise change messages go out, and the
 * best alerts up to what is left of the local day's cap; the rest wait for the digest.
 */

export interface ReleaseOutcome {
  queued: number;
  held: number;
  overCap: number;
}

export async function releaseDeliveries(
  tx: Db,
  deps: { queues: Queues; now: Date },
  ids: number[] | null,
): Promise<ReleaseOutcome> {
  const outcome: ReleaseOutcome = { queued: 0, held: 0, overCap: 0 };
  if (ids !== null && ids.length === 0) return outcome;
  const locked = await lockHeldDeliveries(tx, ids, deps.now);
  // The user changed their mind while these were held: no instant alerts now, or nothing at all.
  const unwanted = locked.filter(
    (d) => d.alertMode === 'off' || (d.kind === 'alert' && d.alertMode !== 'instant'),
  );
  await markNotSent(
    tx,
    unwanted.map((d) => d.id),
    'alerts were switched to digest or off while it was held',
  );
  const held = locked.filter((d) => !unwanted.includes(d));
  if (held.length === 0) return outcome;
  const byUser = new Map<number, HeldDelivery[]>();
  for (const d of held) byUser.set(d.userId, [...(byUser.get(d.userId) ?? []), d]);

  const days = new Map(
    [...byUser].map(([userId, items]) => [userId, localDay(deps.now, items[0]!.timeZone)]),
  );
  const sentToday = await alertsQueuedBetween(
    tx,
    [...days].map(([userId, day]) => ({ userId, start: day.start, end: day.end })),
  );
  const sendPerUser: number[][] = [];
  for (const [userId, items] of byUser) {
    const plan = planRelease(policyOf(items[0]!), deps.now, sentToday.get(userId) ?? 0, items);
    sendPerUser.push(plan.send);
    if (plan.hold) await holdUntil(tx, plan.hold.ids, plan.hold.until);
    await markNotSent(tx, plan.overCap, 'over the daily cap; waits for the digest');
    outcome.held += plan.hold?.ids.length ?? 0;
    outcome.overCap += plan.overCap.length;
  }
  // Each user's first alert, then each user's second, …: queued one user's after another, a
  // worker's batch held several messages to one chat, which the platform refuses (Telegram
  // allows one a second per chat) and all retried at once; 2,000 alerts took 12 minutes.
  const send = roundRobin(sendPerUser);
  await markQueued(tx, send, deps.now);
  await deps.queues.sendMany(
    'notify',
    send.map((deliveryId) => ({ deliveryId })),
    { db: tx },
  );
  outcome.queued = send.length;
  return outcome;
}

function roundRobin<T>(lists: T[][]): T[] {
  const out: T[] = [];
  const longest = lists.reduce((n, l) => Math.max(n, l.length), 0);
  for (let i = 0; i < longest; i++) for (const list of lists) if (i < list.length) out.push(list[i]!);
  return out;
}
