import type pg from 'pg';
import type { Clock } from '../core/ports.ts';
import { createInstantDeliveries } from '../db/deliveries.ts';
import { findCandidates, markPostingsMatched, upsertMatches } from '../db/matching.ts';
import { withTransaction } from '../db/pool.ts';
import { releaseDeliveries } from './deliver.ts';
import type { Queues } from './queues.ts';
import { scoreCandidates } from './scoring.ts';

/**
 * The match stage: a batch of analysed postings against every user in one set-based query, scored
 * (with what each user's clicks taught) in memory, stored, and — in the same transaction — the
 * instant alerts they deserve are written and put through the user's delivery policy (queued now,
 * held for quiet hours, or left to the digest over the daily cap). All of it commits or none.
 */

export interface MatchDeps {
  pool: pg.Pool;
  queues: Queues;
  clock: Clock;
}

export async function runMatch(deps: MatchDeps, postingIds: number[], userIds: number[] | null = null) {
  const ids = [...new Set(postingIds)].sort((a, b) => a - b);
  const now = deps.clock.now();
  return withTransaction(deps.pool, async (tx) => {
    // The candidate query sorts and hashes (user, posting) pairs; give it memory rather than disk.
    await tx.query(`set local work_mem = '64MB'`);
    const t0 = performance.now();
    const candidates = await findCandidates(tx, ids, userIds);
    const t1 = performance.now();
    const pairs = (await scoreCandidates(tx, candidates, now))
      // One global order keeps concurrent batches from deadlocking on the unique index.
      .sort((a, b) => a.userId - b.userId || a.postingId - b.postingId);
    const t2 = performance.now();
    const created = await upsertMatches(tx, pairs);
    const t3 = performance.now();
    const deliveries = await createInstantDeliveries(
      tx,
      created.map((m) => m.id),
      now,
    );
    const released = await releaseDeliveries(tx, { queues: deps.queues, now }, deliveries);
    if (userIds === null) await markPostingsMatched(tx, ids);
    return {
      candidates: candidates.length,
      created: created.length,
      deliveries: released.queued,
      // Where the time went, for the fan-out benchmark.
      timings: { candidatesMs: t1 - t0, scoreMs: t2 - t1, storeMs: t3 - t2 },
    };
  });
}
