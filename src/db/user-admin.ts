import type pg from 'pg';
import type { MatchStatus, Platform, Preferences } from '../core/types.ts';
import type { Db } from './pool.ts';
import { withTransaction } from './pool.ts';
import { getPreferences } from './users.ts';

/** Users as an operator sees them: list, detail, block/unblock, and deletion of everything theirs. */

export interface UserSummary {
  id: number;
  displayName: string | null;
  status: 'active' | 'blocked';
  createdAt: Date;
  platforms: Platform[];
  matches: number;
}

export async function listUsers(
  db: Db,
  filters: { status?: 'active' | 'blocked' | undefined; q?: string | undefined },
  page: { limit: number; afterId?: number | undefined },
): Promise<{ items: UserSummary[]; nextAfterId: number | null }> {
  const { rows } = await db.query<UserSummary>(
    `select u.id, u.display_name as "displayName", u.status, u.created_at as "createdAt",
       array(select distinct i.platform from identities i where i.user_id = u.id order by 1) as platforms,
       (select count(*)::int from matches m where m.user_id = u.id) as matches
     from users u
     where ($1::text is null or u.status = $1)
       and ($2::text is null or u.display_name ilike '%' || $2 || '%' or exists (
         select 1 from identities i where i.user_id = u.id
           and (i.external_id ilike '%' || $2 || '%' or i.display_name ilike '%' || $2 || '%')))
       and u.id > $3
     order by u.id limit $4`,
    [filters.status ?? null, filters.q ?? null, page.afterId ?? 0, page.limit + 1],
  );
  const more = rows.length > page.limit;
  const items = rows.slice(0, page.limit);
  return { items, nextAfterId: more ? (items.at(-1)?.id ?? null) : null };
}

export interface UserIdentity {
  id: number;
  platform: Platform;
  externalId: string;
  displayName: string | null;
  deliverable: boolean;
  undeliverableReason: string | null;
  createdAt: Date;
  lastSeenAt: Date;
}

export interface UserDetail {
  id: number;
  displayName: string | null;
  status: 'active' | 'blocked';
  timeZone: string;
  alertPlatform: Platform | null;
  createdAt: Date;
  identities: UserIdentity[];
  preferences: Preferences;
  matches: Record<MatchStatus, number>;
  deliverability: {
    /** Some identity can still be messaged and the user is not blocked. */
    reachable: boolean;
    /** The identity alerts go to now (same rule as the notifier's `findAlertIdentity`). */
    alertIdentityId: number | null;
    deliveries: Record<'pending' | 'sending' | 'sent' | 'failed' | 'undeliverable' | 'skipped', number>;
  };
}

export async function getUserDetail(db: Db, id: number): Promise<UserDetail | null> {
  const { rows } = await db.query<
    Omit<UserDetail, 'identities' | 'preferences' | 'matches' | 'deliverability'>
  >(
    `select id, display_name as "displayName", status, time_zone as "timeZone", alert_platform as "alertPlatform",
       created_at as "createdAt" from users where id = $1`,
    [id],
  );
  const user = rows[0];
  if (!user) return null;
  const identities = await db.query<UserIdentity>(
    `select id, platform, external_id as "externalId", display_name as "displayName", deliverable,
       undeliverable_reason as "undeliverableReason", created_at as "createdAt", last_seen_at as "lastSeenAt"
     from identities where user_id = $1 order by last_seen_at desc`,
    [id],
  );
  const matchRows = await db.query<{ status: MatchStatus; n: number }>(
    'select status, count(*)::int as n from matches where user_id = $1 group by status',
    [id],
  );
  const matches = { new: 0, saved: 0, dismissed: 0, applied: 0 };
  for (const r of matchRows.rows) matches[r.status] = r.n;
  const deliveryRows = await db.query<{
    status: keyof UserDetail['deliverability']['deliveries'];
    n: number;
  }>(
    `select d.status, count(*)::int as n from deliveries d join matches m on m.id = d.match_id
     where m.user_id = $1 group by d.status`,
    [id],
  );
  const deliveries = { pending: 0, sending: 0, sent: 0, failed: 0, undeliverable: 0, skipped: 0 };
  for (const r of deliveryRows.rows) deliveries[r.status] = r.n;
  const alert = identities.rows
    .filter((i) => i.deliverable)
    .sort((a, b) => Number(b.platform === user.alertPlatform) - Number(a.platform === user.alertPlatform))[0];
  return {
    ...user,
    identities: identities.rows,
    preferences: await getPreferences(db, id),
    matches,
    deliverability: {
      reachable: user.status === 'active' && alert !== undefined,
      alertIdentityId: user.status === 'active' ? (alert?.id ?? null) : null,
      deliveries,
    },
  };
}

/**
 * Blocks or unblocks a user. A blocked user's chat commands are refused and no new alert is
 * written for them; alerts already queued are settled as skipped so none goes out after the block.
 * Returns false when there is no such user.
 */
export async function setUserStatus(
  pool: pg.Pool,
  id: number,
  status: 'active' | 'blocked',
): Promise<boolean> {
  return withTransaction(pool, async (tx) => {
    const { rowCount } = await tx.query('update users set status = $2, updated_at = now() where id = $1', [
      id,
      status,
    ]);
    if (!rowCount) return false;
    if (status === 'blocked') {
      await tx.query(
        `update deliveries d set status = 'skipped', error = 'user blocked by the operator'
         from matches m where m.id = d.match_id and m.user_id = $1 and d.status in ('pending', 'failed')`,
        [id],
      );
    }
    return true;
  });
}

/**
 * Deletes a user and everything that is theirs, in one transaction: identities, preferences,
 * matches and deliveries go with the user (ON DELETE CASCADE); the fetches they asked for stay as
 * source history, with the user and the text they searched for removed. Returns false when there
 * is no such user.
 */
export async function deleteUser(pool: pg.Pool, id: number): Promise<boolean> {
  return withTransaction(pool, async (tx) => {
    await tx.query('update fetch_requests set query = null, user_id = null where user_id = $1', [id]);
    const { rowCount } = await tx.query('delete from users where id = $1', [id]);
    return (rowCount ?? 0) > 0;
  });
}
