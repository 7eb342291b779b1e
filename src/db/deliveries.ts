import type { StoredPolicy } from '../core/schedule.ts';
import type { Delivery, DeliveryStatus, JobChange, MessageRef, Platform } from '../core/types.ts';
import type { Db } from './pool.ts';

/**
 * Deliveries: instant alerts, matches listed in a digest, and change messages about saved jobs.
 * Each is written before it is sent and marked after; the unique (match, kind, change_key) is what
 * makes a retried job, a second fetch or a second dispatcher harmless. A delivery is created
 * held (queued_at null); the delivery policy then queues it, holds it until quiet hours end
 * (not_before), or leaves it to the digest (over the daily cap).
 */

export interface DeliveryRow extends Delivery {
  userId: number;
  details: JobChange | null;
}

const deliveryColumns = `d.id, d.kind, d.match_id as "matchId", m.user_id as "userId", d.platform,
  d.identity_id as "identityId", d.status, d.message_ref as "messageRef", d.details, d.attempts`;

/** The chat account a user's messages go to: the platform they chose, else the one used last. */
export const ALERT_IDENTITY_JOIN = `join lateral (
  select i.* from identities i where i.user_id = m.user_id and i.deliverable
  order by (i.platform = u.alert_platform) desc nulls last, i.last_seen_at desc limit 1
) i on true`;

/**
 * For each new match that deserves an instant alert, a held alert to the user's alert account.
 * Users who asked for the fetch that found the posting see it in their reply instead.
 */
export async function createInstantDeliveries(db: Db, matchIds: number[], now: Date): Promise<number[]> {
  if (matchIds.length === 0) return [];
  const { rows } = await db.query<{ id: number }>(
    `insert into deliveries (match_id, platform, identity_id, kind, not_before)
     select m.id, i.platform, i.id, 'alert', $2
     from matches m
     join preferences pr on pr.user_id = m.user_id
     join users u on u.id = m.user_id and u.status = 'active'
     ${ALERT_IDENTITY_JOIN}
     where m.id = any($1) and m.status = 'new' and pr.alert_mode = 'instant' and m.score >= pr.alert_threshold
       and not exists (
         select 1 from run_postings rp join fetch_runs r on r.id = rp.run_id
         join fetch_requests q on q.id = r.request_id
         where rp.posting_id = m.posting_id and q.user_id = m.user_id and q.trigger = 'chat')
     on conflict do nothing
     returning id`,
    [matchIds, now],
  );
  return rows.map((r) => r.id);
}

export interface ChangeEvent {
  /** The canonical posting the users saved. */
  postingId: number;
  change: JobChange;
  /** What makes this change distinct: the same key never produces a second message. */
  key: string;
}

/** A held change message for every user who saved or applied to the changed job (unless alerts are off). */
export async function createChangeDeliveries(db: Db, events: ChangeEvent[], now: Date): Promise<number[]> {
  if (events.length === 0) return [];
  const { rows } = await db.query<{ id: number }>(
    `insert into deliveries (match_id, platform, identity_id, kind, change_key, details, not_before)
     select m.id, i.platform, i.id, 'change', t.key, t.details::jsonb, $4
     from unnest($1::bigint[], $2::text[], $3::text[]) as t(posting_id, key, details)
     join matches m on m.posting_id = t.posting_id and m.status in ('saved', 'applied')
     join users u on u.id = m.user_id and u.status = 'active'
     join preferences pr on pr.user_id = m.user_id and pr.alert_mode <> 'off'
     ${ALERT_IDENTITY_JOIN}
     on conflict do nothing
     returning id`,
    [
      events.map((e) => e.postingId),
      events.map((e) => e.key.slice(0, 300)),
      events.map((e) => JSON.stringify(e.change)),
      now,
    ],
  );
  return rows.map((r) => r.id);
}

export interface HeldDelivery extends StoredPolicy {
  id: number;
  kind: 'alert' | 'change';
  userId: number;
  score: number;
  alertMode: 'instant' | 'digest' | 'off';
}

/**
 * Held deliveries with their user's delivery policy: the given ones, or (ids null) every one
 * whose hold is over. Locked, skipping rows another dispatcher holds, until the transaction ends.
 */
export async function lockHeldDeliveries(db: Db, ids: number[] | null, now: Date): Promise<HeldDelivery[]> {
  const { rows } = await db.query<HeldDelivery>(
    `select d.id, d.kind, m.user_id as "userId", m.score, u.time_zone as "timeZone",
            to_char(pr.quiet_start, 'HH24:MI') as "quietStart", to_char(pr.quiet_end, 'HH24:MI') as "quietEnd",
            to_char(pr.digest_time, 'HH24:MI') as "digestTime", pr.digest_days as "digestDays",
            pr.daily_cap as "dailyCap", pr.alert_mode as "alertMode"
     from deliveries d
     join matches m on m.id = d.match_id
     join users u on u.id = m.user_id
     join preferences pr on pr.user_id = m.user_id
     where d.status = 'pending' and d.queued_at is null and d.kind in ('alert', 'change')
       and (case when $1::bigint[] is null then d.not_before <= $2 else d.id = any($1) end)
     order by d.id
     limit 5000
     for update of d skip locked`,
    [ids, now],
  );
  return rows;
}

/** Alerts queued per user within each user's current local day (for the daily cap). */
export async function alertsQueuedBetween(
  db: Db,
  windows: { userId: number; start: Date; end: Date }[],
): Promise<Map<number, number>> {
  if (windows.length === 0) return new Map();
  const { rows } = await db.query<{ userId: number; n: number }>(
    `select w.user_id as "userId", count(d.id)::int as n
     from unnest($1::bigint[], $2::timestamptz[], $3::timestamptz[]) as w(user_id, s, e)
     join matches m on m.user_id = w.user_id
     join deliveries d on d.match_id = m.id and d.kind = 'alert' and d.queued_at >= w.s and d.queued_at < w.e
     group by w.user_id`,
    [windows.map((w) => w.userId), windows.map((w) => w.start), windows.map((w) => w.end)],
  );
  return new Map(rows.map((r) => [r.userId, r.n]));
}

export async function markQueued(db: Db, ids: number[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.query('update deliveries set queued_at = $2 where id = any($1)', [ids, now]);
}

export async function holdUntil(db: Db, ids: number[], until: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.query('update deliveries set not_before = $2 where id = any($1)', [ids, until]);
}

/**
 * Not sent on its own (over the daily cap, or the user switched instant alerts off while it was
 * held): the match stays undelivered, so a digest can still list it.
 */
export async function markNotSent(db: Db, ids: number[], why: string): Promise<void> {
  if (ids.length === 0) return;
  await db.query(`update deliveries set status = 'skipped', error = $2 where id = any($1)`, [ids, why]);
}

export async function getDelivery(db: Db, id: number): Promise<DeliveryRow | null> {
  const { rows } = await db.query<DeliveryRow>(
    `select ${deliveryColumns} from deliveries d join matches m on m.id = d.match_id where d.id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

/** Takes a queued delivery for sending; null when it is already sent, settled or still held. */
export async function claimDelivery(db: Db, id: number): Promise<DeliveryRow | null> {
  const { rows } = await db.query<DeliveryRow>(
    `update deliveries d set status = 'sending', attempts = attempts + 1
     from matches m
     where d.id = $1 and m.id = d.match_id and d.status in ('pending', 'sending', 'failed')
       and d.queued_at is not null
     returning ${deliveryColumns}`,
    [id],
  );
  return rows[0] ?? null;
}

export async function markDelivery(
  db: Db,
  id: number,
  status: Exclude<DeliveryStatus, 'sending'>,
  details: { messageRef?: MessageRef; error?: string; identity?: { id: number; platform: Platform } } = {},
): Promise<void> {
  await db.query(
    `update deliveries set status = $2, message_ref = coalesce($3, message_ref), error = $4,
       sent_at = case when $2 = 'sent' then now() else sent_at end,
       identity_id = coalesce($5, identity_id), platform = coalesce($6, platform)
     where id = $1`,
    [
      id,
      status,
      details.messageRef ? JSON.stringify(details.messageRef) : null,
      details.error?.slice(0, 1000) ?? null,
      details.identity?.id ?? null,
      details.identity?.platform ?? null,
    ],
  );
}

/** Sent alert cards of a match, so a click elsewhere can update them in place. */
export async function sentDeliveriesOf(db: Db, matchId: number): Promise<DeliveryRow[]> {
  const { rows } = await db.query<DeliveryRow>(
    `select ${deliveryColumns} from deliveries d join matches m on m.id = d.match_id
     where d.match_id = $1 and d.kind = 'alert' and d.status = 'sent' and d.message_ref is not null`,
    [matchId],
  );
  return rows;
}
