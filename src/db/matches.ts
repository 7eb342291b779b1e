import type { MatchAction } from '../core/commands.ts';
import { ForbiddenError, NotFoundError } from '../core/errors.ts';
import type { DismissReason, MatchDetails, MatchStatus } from '../core/types.ts';
import type { Db } from './pool.ts';

/** Matches as users see them: lists, one card, and the Save / Dismiss / Applied / Undo actions. */

/** A match joined with its posting: what a card shows. */
export type MatchView = MatchDetails;

export const viewColumns = `m.id, m.user_id as "userId", m.posting_id as "postingId", m.score, m.reasons, m.status,
  m.previous_status as "previousStatus", m.dismiss_reason as "dismissReason", p.title, p.company, p.location,
  case when p.remote <> 'unknown' then p.remote else coalesce(a.remote_policy, 'unknown') end as remote,
  case when p.salary_currency is null then null else json_build_object('min', p.salary_min, 'max', p.salary_max,
    'currency', p.salary_currency, 'interval', p.salary_interval) end as salary,
  p.url, p.posted_at as "postedAt", p.source_id as "sourceId", a.summary`;

export const viewFrom = `matches m join postings p on p.id = m.posting_id left join analyses a on a.content_hash = p.content_hash`;

export async function getMatchView(db: Db, matchId: number): Promise<MatchView | null> {
  const { rows } = await db.query<MatchView>(`select ${viewColumns} from ${viewFrom} where m.id = $1`, [
    matchId,
  ]);
  return rows[0] ?? null;
}

export async function getMatchViews(db: Db, matchIds: number[]): Promise<MatchView[]> {
  const { rows } = await db.query<MatchView>(
    `select ${viewColumns} from ${viewFrom} where m.id = any($1) order by m.score desc, m.id`,
    [matchIds],
  );
  return rows;
}

/** A page of a user's matches in the given states, best first; closed postings are left out. */
export async function listMatches(
  db: Db,
  userId: number,
  statuses: MatchStatus[],
  page: { offset: number; limit: number },
): Promise<{ items: MatchView[]; total: number }> {
  const { rows } = await db.query<MatchView & { total: number }>(
    `select ${viewColumns}, count(*) over ()::int as total from ${viewFrom}
     where m.user_id = $1 and m.status = any($2) and p.closed_at is null
     order by m.score desc, p.posted_at desc nulls last, m.id
     offset $3 limit $4`,
    [userId, statuses, page.offset, page.limit],
  );
  if (rows.length === 0 && page.offset > 0) {
    const count = await db.query<{ total: number }>(
      `select count(*)::int as total from ${viewFrom} where m.user_id = $1 and m.status = any($2) and p.closed_at is null`,
      [userId, statuses],
    );
    return { items: [], total: count.rows[0]!.total };
  }
  return { items: rows.map(({ total: _, ...r }) => r), total: rows[0]?.total ?? 0 };
}

/** New matches (not acted on) among the postings a fetch request brought in. */
export async function matchesFromRequest(db: Db, userId: number, requestId: number): Promise<MatchView[]> {
  const { rows } = await db.query<MatchView>(
    `select ${viewColumns} from ${viewFrom}
     where m.user_id = $1 and m.status = 'new' and m.posting_id in (
       select rp.posting_id from run_postings rp join fetch_runs r on r.id = rp.run_id where r.request_id = $2)
     order by m.score desc, m.id`,
    [userId, requestId],
  );
  return rows;
}

const NEXT_STATUS: Record<Exclude<MatchAction, 'undo'>, MatchStatus> = {
  save: 'saved',
  dismiss: 'dismissed',
  applied: 'applied',
};

async function lockOwnMatch(db: Db, userId: number, matchId: number) {
  const { rows } = await db.query<{
    userId: number;
    status: MatchStatus;
    previousStatus: MatchStatus | null;
  }>(
    'select user_id as "userId", status, previous_status as "previousStatus" from matches where id = $1 for update',
    [matchId],
  );
  const row = rows[0];
  if (!row) throw new NotFoundError('That job is no longer available.');
  if (row.userId !== userId) throw new ForbiddenError('That card belongs to someone else.');
  return row;
}

/**
 * Applies a button press. Only the match's owner may press; Undo restores the previous state.
 * Pressing the same button twice is harmless (the state is already what was asked). `acted_at`
 * dates the press for learning; a dismiss reason only lives while the match stays dismissed.
 */
export async function applyMatchAction(
  db: Db,
  userId: number,
  matchId: number,
  action: MatchAction,
  now: Date,
): Promise<MatchView> {
  const row = await lockOwnMatch(db, userId, matchId);
  const target = action === 'undo' ? (row.previousStatus ?? 'new') : NEXT_STATUS[action];
  if (target !== row.status) {
    await db.query(
      `update matches set previous_status = case when $3 then null else status end, status = $2,
         dismiss_reason = case when $2 = 'dismissed' then dismiss_reason end, acted_at = $4, updated_at = now()
       where id = $1`,
      [matchId, target, action === 'undo', now],
    );
  }
  return (await getMatchView(db, matchId))!;
}

/** Records why a job was dismissed (a button under the Dismiss reply); only while it is dismissed. */
export async function setDismissReason(
  db: Db,
  userId: number,
  matchId: number,
  reason: DismissReason,
  now: Date,
): Promise<MatchView> {
  const row = await lockOwnMatch(db, userId, matchId);
  if (row.status !== 'dismissed') throw new NotFoundError('That job is not dismissed any more.');
  await db.query('update matches set dismiss_reason = $2, acted_at = $3, updated_at = now() where id = $1', [
    matchId,
    reason,
    now,
  ]);
  return (await getMatchView(db, matchId))!;
}
