import type { StoredPolicy } from '../core/schedule.ts';
import type { MessageRef, Platform } from '../core/types.ts';
import { ALERT_IDENTITY_JOIN } from './deliveries.ts';
import { type MatchView, viewColumns, viewFrom } from './matches.ts';
import type { Db } from './pool.ts';

/**
 * Digests: one message per user and local date listing their best matches not delivered yet.
 * The digest row is unique per (user, local date), so however many dispatchers run, a user gets
 * at most one a day; its matches are recorded as 'digest' deliveries, so none is listed twice.
 */

/** Most matches one digest records (its "More" pages page through them). */
export const DIGEST_MAX_ITEMS = 50;

export interface DigestUser extends StoredPolicy {
  userId: number;
  /** The local date of the user's last digest, "YYYY-MM-DD". */
  lastDate: string | null;
}

/** Users a digest may be due for: active, alerts not off, reachable somewhere. */
export async function digestUsers(db: Db): Promise<DigestUser[]> {
  const { rows } = await db.query<DigestUser>(
    `select u.id as "userId", u.time_zone as "timeZone",
            to_char(pr.quiet_start, 'HH24:MI') as "quietStart", to_char(pr.quiet_end, 'HH24:MI') as "quietEnd",
            to_char(pr.digest_time, 'HH24:MI') as "digestTime", pr.digest_days as "digestDays",
            pr.daily_cap as "dailyCap",
            (select to_char(max(g.local_date), 'YYYY-MM-DD') from digests g where g.user_id = u.id) as "lastDate"
     from users u join preferences pr on pr.user_id = u.id
     where u.status = 'active' and pr.alert_mode <> 'off'
       and exists (select 1 from identities i where i.user_id = u.id and i.deliverable)`,
  );
  return rows;
}

/**
 * Creates the user's digest for a local date with their best undelivered matches (scoring at
 * least their threshold, posting still open, not from their own /jobs fetch). Null when another
 * dispatcher made it first; `items` 0 when there was nothing to list (the row then says 'empty',
 * so the date counts as done).
 */
export async function createDigest(
  db: Db,
  userId: number,
  localDate: string,
  now: Date,
): Promise<{ id: number; items: number } | null> {
  const created = await db.query<{ id: number }>(
    `insert into digests (user_id, local_date) values ($1, $2) on conflict do nothing returning id`,
    [userId, localDate],
  );
  const id = created.rows[0]?.id;
  if (id === undefined) return null;
  const items = await db.query(
    `insert into deliveries (match_id, platform, identity_id, kind, digest_id, not_before, queued_at)
     select m.id, i.platform, i.id, 'digest', $2, $3, $3
     from matches m
     join users u on u.id = m.user_id
     join preferences pr on pr.user_id = m.user_id
     join postings p on p.id = m.posting_id and p.closed_at is null
     ${ALERT_IDENTITY_JOIN}
     where m.user_id = $1 and m.status = 'new' and m.score >= pr.alert_threshold
       and not exists (select 1 from deliveries d where d.match_id = m.id
                       and d.status in ('pending', 'sending', 'sent', 'failed'))
       and not exists (
         select 1 from run_postings rp join fetch_runs r on r.id = rp.run_id
         join fetch_requests q on q.id = r.request_id
         where rp.posting_id = m.posting_id and q.user_id = m.user_id and q.trigger = 'chat')
     order by m.score desc, m.id
     limit ${DIGEST_MAX_ITEMS}
     on conflict do nothing`,
    [userId, id, now],
  );
  const count = items.rowCount ?? 0;
  if (count === 0) await db.query(`update digests set status = 'empty' where id = $1`, [id]);
  return { id, items: count };
}

export interface DigestRow {
  id: number;
  userId: number;
  localDate: string;
  status: string;
  messageRef: MessageRef | null;
}

const digestColumns = `id, user_id as "userId", to_char(local_date, 'YYYY-MM-DD') as "localDate", status,
  message_ref as "messageRef"`;

export async function getDigest(db: Db, id: number): Promise<DigestRow | null> {
  const { rows } = await db.query<DigestRow>(`select ${digestColumns} from digests where id = $1`, [id]);
  return rows[0] ?? null;
}

/** Takes a digest for sending; null when it is already sent or settled. */
export async function claimDigest(db: Db, id: number): Promise<DigestRow | null> {
  const { rows } = await db.query<DigestRow>(
    `update digests set status = 'sending', attempts = attempts + 1
     where id = $1 and status in ('pending', 'sending', 'failed') returning ${digestColumns}`,
    [id],
  );
  return rows[0] ?? null;
}

/** Marks the digest and its listed matches alike. */
export async function markDigest(
  db: Db,
  id: number,
  status: 'sent' | 'failed' | 'undeliverable' | 'skipped',
  details: { messageRef?: MessageRef; error?: string; identity?: { id: number; platform: Platform } } = {},
): Promise<void> {
  const ref = details.messageRef ? JSON.stringify(details.messageRef) : null;
  const error = details.error?.slice(0, 1000) ?? null;
  await db.query(
    `update digests set status = $2, message_ref = coalesce($3, message_ref), error = $4,
       sent_at = case when $2 = 'sent' then now() else sent_at end,
       identity_id = coalesce($5, identity_id), platform = coalesce($6, platform)
     where id = $1`,
    [id, status, ref, error, details.identity?.id ?? null, details.identity?.platform ?? null],
  );
  await db.query(
    `update deliveries set status = $2, message_ref = coalesce($3, message_ref), error = $4,
       sent_at = case when $2 = 'sent' then now() else sent_at end,
       identity_id = coalesce($5, identity_id), platform = coalesce($6, platform)
     where digest_id = $1 and kind = 'digest'`,
    [id, status, ref, error, details.identity?.id ?? null, details.identity?.platform ?? null],
  );
}

/** A page of the matches a digest lists, best first, with their current state. */
export async function digestItems(
  db: Db,
  digestId: number,
  page: { offset: number; limit: number },
): Promise<{ items: MatchView[]; total: number }> {
  const { rows } = await db.query<MatchView & { total: number }>(
    `select ${viewColumns}, count(*) over ()::int as total from ${viewFrom}
     join deliveries d on d.match_id = m.id and d.digest_id = $1 and d.kind = 'digest'
     order by m.score desc, m.id
     offset $2 limit $3`,
    [digestId, page.offset, page.limit],
  );
  const total =
    rows[0]?.total ??
    (
      await db.query<{ n: number }>(
        `select count(*)::int as n from deliveries where digest_id = $1 and kind = 'digest'`,
        [digestId],
      )
    ).rows[0]!.n;
  return { items: rows.map(({ total: _, ...r }) => r), total };
}
