import { findCandidates, upsertMatches } from '../db/matching.ts';
import type { Db } from '../db/pool.ts';
import { scoreCandidates } from '../pipeline/scoring.ts';

/**
 * After a preference change, a user's list must reflect the new preferences at once: matches they
 * have not acted on (and were not alerted about) are dropped, and recent postings are matched
 * again for this user only. No alerts: these are not new postings.
 */

const RECENT_DAYS = 30;

export async function rematchUser(db: Db, userId: number, now: Date): Promise<number> {
  await db.query(
    `delete from matches m where m.user_id = $1 and m.status = 'new'
       and not exists (select 1 from deliveries d where d.match_id = m.id and d.status = 'sent')`,
    [userId],
  );
  const { rows } = await db.query<{ id: number }>(
    `select p.id from postings p join analyses a on a.content_hash = p.content_hash
     where p.canonical_id is null and p.closed_at is null and a.status = 'succeeded'
       and p.last_seen_at > $1::timestamptz - make_interval(days => $2)`,
    [now, RECENT_DAYS],
  );
  if (rows.length === 0) return 0;
  const candidates = await findCandidates(
    db,
    rows.map((r) => r.id),
    [userId],
  );
  return (await upsertMatches(db, await scoreCandidates(db, candidates, now))).length;
}
