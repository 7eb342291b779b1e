import type pg from 'pg';
import type { Clock } from '../core/ports.ts';
import { scoreMatch } from '../core/scoring.ts';
import { createInstantDeliveries } from '../db/deliveries.ts';
import { findCandidates, markPostingsMatched, type ScoredPair, upsertMatches } from '../db/matching.ts';
import { withTransaction } from '../db/pool.ts';
import type { Queues } from './queues.ts';

/**
 * The match stage: a batch of analysed postings against every user in one set-based query, scored
 * in memory, stored, and — in the same transaction — the instant alerts they deserve are written
 * as pending deliveries and queued. Either all of that commits or none of it.
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
    const pairs: ScoredPair[] = candidates
      .map((c) => ({ userId: c.userId, postingId: c.postingId, ...scoreMatch({ ...c, now }) }))
      // One global order keeps concurrent batches from deadlocking on the unique index.
      .sort((a, b) => a.userId - b.userId || a.postingId - b.postingId);
    const t2 = performance.now();
    const created = await upsertMatches(tx, pairs);
    const t3 = performance.now();
    const deliveries = await createInstantDeliveries(
      tx,
      created.map((m) => m.id),
    );
    await deps.queues.sendMany(
      'notify',
      deliveries.map((deliveryId) => ({ deliveryId })),
      { db: tx },
    );
    if (userIds === null) await markPostingsMatched(tx, ids);
    return {
      candidates: candidates.length,
      created: created.length,
      deliveries: deliveries.length,
      // Where the time went, for the fan-out benchmark.
      timings: { candidatesMs: t1 - t0, scoreMs: t2 - t1, storeMs: t3 - t2 },
    };
  });
}
