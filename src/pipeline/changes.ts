import { formatSalary } from '../core/salary.ts';
import { type ChangeEvent, createChangeDeliveries } from '../db/deliveries.ts';
import type { Db } from '../db/pool.ts';
import type { UpsertOutcome } from '../db/postings.ts';
import { releaseDeliveries } from './deliver.ts';
import type { Queues } from './queues.ts';

/**
 * Change messages about saved jobs: the salary changed, the job was posted again (a duplicate
 * folded into it), or it closed. Each change has a key (the new salary, the repost's posting id,
 * "closed"), and a delivery is unique per (match, kind, key): a change never produces a second
 * message, however often the board is fetched.
 */

export function changesFromUpsert(outcome: UpsertOutcome, sourceId: string): ChangeEvent[] {
  const events: ChangeEvent[] = [];
  for (const c of outcome.salaryChanges) {
    const to = c.to ? formatSalary(c.to) : null;
    const from = c.from ? formatSalary(c.from) : null;
    if (to === from) continue;
    events.push({
      postingId: c.postingId,
      key: `salary:${to ?? 'none'}`,
      change: { kind: 'salary', from, to },
    });
  }
  for (const r of outcome.reposts) {
    events.push({
      postingId: r.canonicalId,
      key: `reposted:${r.postingId}`,
      change: { kind: 'reposted', url: r.url, sourceId },
    });
  }
  return events;
}

export function closedEvents(jobIds: number[]): ChangeEvent[] {
  return jobIds.map((postingId) => ({ postingId, key: 'closed', change: { kind: 'closed' } }));
}

/** Writes the change messages and puts them through each user's delivery policy, in `tx`. */
export async function recordChanges(
  tx: Db,
  deps: { queues: Queues; now: Date },
  events: ChangeEvent[],
): Promise<number> {
  if (events.length === 0) return 0;
  const ids = await createChangeDeliveries(tx, events, deps.now);
  await releaseDeliveries(tx, deps, ids);
  return ids.length;
}
