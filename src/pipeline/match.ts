import type pg from 'pg';
import type { Clock } from '../core/ports.ts';
import { createInstantDeliveries } from '../db/deliveries.ts';
import { activeUserIds, findCandidates, markPostingsMatched, upsertMatches } from '../db/matching.ts';
import { withTransaction } from '../db/pool.ts';
import { releaseDeliveries } from './deliver.ts';
import type { Queues } from './queues.ts';
import { scoreCandidates } from './scoring.ts';

/**
 * The match stage: a batch of analysed postings against every user in set-based queries, scored
 * (with what each user's clicks taught) in memory, stored, and — in the same transaction — the
 * instant alerts they deserve are written and put through the user's delivery policy (queued now,
 * held for quiet hours, or left to the digest over the daily cap). All of it commits or none.
 *
 * Users are taken in slices so that a big batch against many users (1,000 postings × 50,000
 * users) holds one slice's pairs in memory, not all of them: a handful of queries per slice.
 */

export interface MatchDeps {
  pool: pg.Pool;
  queues: Queues;
  clock: Clock;
}

/** (user, posting) combinations per slice, before the filters: about 200,000 pairs pass. */
const PAIRS_PER_SLICE = 5_000_000;

export interface MatchTimings {
  candidatesMs: number;
  scoreMs: number;
  storeMs: number;
  alertsMs: number;
}

export async function runMatch(deps: MatchDeps, postingIds: number[], userIds: number[] | null = null) {
  const ids = [...new Set(postingIds)].sort((a, b) => a - b);
  const now = deps.clock.now();
  return withTransaction(deps.pool, async (tx) => {
    // The candidate query sorts and groups (user, posting) pairs; give it memory rather than disk.
    await tx.query(`set local work_mem = '64MB'`);
    // A big batch costs enough in the planner's units to trigger JIT compilation, which takes
    // longer than the query (1.4 s of 19 s at 10,000 users) and never pays off here.
    await tx.query('set local jit = off');
    const users = userIds ?? (await activeUserIds(tx));
    const perSlice = Math.max(100, Math.floor(PAIRS_PER_SLICE / Math.max(1, ids.length)));
    const outcome = { candidates: 0, created: 0, deliveries: 0 };
    const timings: MatchTimings = { candidatesMs: 0, scoreMs: 0, storeMs: 0, alertsMs: 0 };
    // Ascending user ids, then (user, posting) within a slice: one global order of inserts keeps
    // concurrent batches from deadlocking on the unique index.
    for (let i = 0; i < users.length; i += perSlice) {
      const t0 = performance.now();
      const candidates = await findCandidates(tx, ids, users.slice(i, i + perSlice));
      const t1 = performance.now();
      const pairs = (await scoreCandidates(tx, candidates, now)).sort(
        (a, b) => a.userId - b.userId || a.postingId - b.postingId,
      );
      const t2 = performance.now();
      const created = await upsertMatches(tx, pairs);
      const t3 = performance.now();
      const deliveries = await createInstantDeliveries(
        tx,
        created.map((m) => m.id),
        now,
      );
      const released = await releaseDeliveries(tx, { queues: deps.queues, now }, deliveries);
      outcome.candidates += candidates.length;
      outcome.created += created.length;
      outcome.deliveries += released.queued;
      timings.candidatesMs += t1 - t0;
      timings.scoreMs += t2 - t1;
      timings.storeMs += t3 - t2;
      timings.alertsMs += performance.now() - t3;
    }
    if (userIds === null) await markPostingsMatched(tx, ids);
    // Where the time went, for the fan-out benchmark.
    return { ...outcome, timings };
  });
}
