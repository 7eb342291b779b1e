import type { Delivery, DeliveryStatus, MessageRef } from '../core/types.ts';
import type { Db } from './pool.ts';

/**
 * Deliveries: one row per (match, platform), written before a message is sent and marked after.
 * The unique key is what makes a retried or duplicated notify job harmless.
 */

export type DeliveryRow = Delivery;

const deliveryColumns = `id, match_id as "matchId", platform, identity_id as "identityId", status,
  message_ref as "messageRef", attempts`;

/**
 * For each new match that deserves an instant alert, a pending delivery to the user's alert
 * identity. Users who asked for the fetch that found the posting see it in their reply instead.
 */
export async function createInstantDeliveries(db: Db, matchIds: number[]): Promise<number[]> {
  if (matchIds.length === 0) return [];
  const { rows } = await db.query<{ id: number }>(
    `insert into deliveries (match_id, platform, identity_id)
     select m.id, i.platform, i.id
     from matches m
     join preferences pr on pr.user_id = m.user_id
     join users u on u.id = m.user_id and u.status = 'active'
     join lateral (
       select i.* from identities i where i.user_id = m.user_id and i.deliverable
       order by (i.platform = u.alert_platform) desc nulls last, i.last_seen_at desc limit 1
     ) i on true
     where m.id = any($1) and m.status = 'new' and pr.alert_mode = 'instant' and m.score >= pr.alert_threshold
       and not exists (
         select 1 from run_postings rp join fetch_runs r on r.id = rp.run_id
         join fetch_requests q on q.id = r.request_id
         where rp.posting_id = m.posting_id and q.user_id = m.user_id and q.trigger = 'chat')
     on conflict (match_id, platform) do nothing
     returning id`,
    [matchIds],
  );
  return rows.map((r) => r.id);
}

export async function getDelivery(db: Db, id: number): Promise<DeliveryRow | null> {
  const { rows } = await db.query<DeliveryRow>(`select ${deliveryColumns} from deliveries where id = $1`, [
    id,
  ]);
  return rows[0] ?? null;
}

/** Takes a delivery for sending; null when it is already sent or otherwise settled. */
export async function claimDelivery(db: Db, id: number): Promise<DeliveryRow | null> {
  const { rows } = await db.query<DeliveryRow>(
    `update deliveries set status = 'sending', attempts = attempts + 1
     where id = $1 and status in ('pending', 'sending', 'failed')
     returning ${deliveryColumns}`,
    [id],
  );
  return rows[0] ?? null;
}

export async function markDelivery(
  db: Db,
  id: number,
  status: Exclude<DeliveryStatus, 'sending'>,
  details: { messageRef?: MessageRef; error?: string } = {},
): Promise<void> {
  await db.query(
    `update deliveries set status = $2, message_ref = coalesce($3, message_ref), error = $4,
       sent_at = case when $2 = 'sent' then now() else sent_at end
     where id = $1`,
    [
      id,
      status,
      details.messageRef ? JSON.stringify(details.messageRef) : null,
      details.error?.slice(0, 1000) ?? null,
    ],
  );
}

/** Sent alert cards of a match, so a click elsewhere can update them in place. */
export async function sentDeliveriesOf(db: Db, matchId: number): Promise<DeliveryRow[]> {
  const { rows } = await db.query<DeliveryRow>(
    `select ${deliveryColumns} from deliveries where match_id = $1 and status = 'sent' and message_ref is not null`,
    [matchId],
  );
  return rows;
}
