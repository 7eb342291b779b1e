import type { Db } from './pool.ts';

/**
 * Linking chat accounts: one-time codes (stored only as a hash), and merging the user who enters a
 * code into the user who asked for it. The caller runs `takeLinkCode` and `mergeUsers` in one
 * transaction, so a code is used exactly once and a merge is all or nothing.
 */

/** Stores a new code for the user; an earlier unused one stops working. */
export async function createLinkCode(
  db: Db,
  userId: number,
  codeHash: string,
  expiresAt: Date,
): Promise<void> {
  await db.query('delete from link_codes where user_id = $1 and used_at is null', [userId]);
  await db.query('insert into link_codes (code_hash, user_id, expires_at) values ($1, $2, $3)', [
    codeHash,
    userId,
    expiresAt,
  ]);
}

export type TakenCode = { ok: true; userId: number } | { ok: false; why: 'unknown' | 'used' | 'expired' };

/** Uses a code once: locks it, checks it, marks it used. */
export async function takeLinkCode(db: Db, codeHash: string, now: Date): Promise<TakenCode> {
  const { rows } = await db.query<{ userId: number; expiresAt: Date; usedAt: Date | null }>(
    `select user_id as "userId", expires_at as "expiresAt", used_at as "usedAt" from link_codes
     where code_hash = $1 for update`,
    [codeHash],
  );
  const code = rows[0];
  if (!code) return { ok: false, why: 'unknown' };
  if (code.usedAt) return { ok: false, why: 'used' };
  if (code.expiresAt <= now) return { ok: false, why: 'expired' };
  await db.query('update link_codes set used_at = $2 where code_hash = $1', [codeHash, now]);
  return { ok: true, userId: code.userId };
}

const RANK = (m: string) =>
  `case ${m}.status when 'applied' then 3 when 'saved' then 2 when 'dismissed' then 1 else 0 end`;

/**
 * Folds user `dropId` into `keepId`: chat accounts, matches, deliveries, digests and fetch
 * history move over; preferences stay the keeper's. Where both matched the same posting one match
 * remains, with the more advanced status (applied > saved > dismissed > new), and the deliveries
 * of both unless they say the same thing twice.
 */
export async function mergeUsers(db: Db, keepId: number, dropId: number): Promise<void> {
  await db.query('select id from users where id = any($1) order by id for update', [[keepId, dropId]]);
  await db.query(
    `update matches k set status = d.status, previous_status = k.status, dismiss_reason = d.dismiss_reason,
       acted_at = d.acted_at, updated_at = now()
     from matches d
     where k.user_id = $1 and d.user_id = $2 and d.posting_id = k.posting_id and ${RANK('d')} > ${RANK('k')}`,
    [keepId, dropId],
  );
  await db.query(
    `update deliveries x set match_id = k.id
     from matches d join matches k on k.posting_id = d.posting_id and k.user_id = $1
     where d.user_id = $2 and x.match_id = d.id
       and not exists (select 1 from deliveries y where y.match_id = k.id and y.kind = x.kind
                       and y.change_key = x.change_key)`,
    [keepId, dropId],
  );
  await db.query(
    'delete from matches d using matches k where d.user_id = $2 and k.user_id = $1 and k.posting_id = d.posting_id',
    [keepId, dropId],
  );
  await db.query('update matches set user_id = $1 where user_id = $2', [keepId, dropId]);
  // A digest per user and date: entries of a date both had join the keeper's digest of that date.
  await db.query(
    `update deliveries x set digest_id = k.id
     from digests d join digests k on k.local_date = d.local_date and k.user_id = $1
     where d.user_id = $2 and x.digest_id = d.id`,
    [keepId, dropId],
  );
  await db.query(
    'delete from digests d using digests k where d.user_id = $2 and k.user_id = $1 and k.local_date = d.local_date',
    [keepId, dropId],
  );
  await db.query('update digests set user_id = $1 where user_id = $2', [keepId, dropId]);
  await db.query('update identities set user_id = $1 where user_id = $2', [keepId, dropId]);
  await db.query('update fetch_requests set user_id = $1 where user_id = $2', [keepId, dropId]);
  await db.query('delete from users where id = $1', [dropId]);
}
