import type { Actor, Platform, Preferences } from '../core/types.ts';
import type { Db } from './pool.ts';

/** Users, their chat identities and their preferences. */

export interface UserRow {
  id: number;
  displayName: string | null;
  status: 'active' | 'blocked';
  timeZone: string;
  alertPlatform: Platform | null;
}

export interface IdentityRow {
  id: number;
  userId: number;
  platform: Platform;
  externalId: string;
  displayName: string | null;
  dmChannel: string | null;
  deliverable: boolean;
}

const userColumns = `u.id, u.display_name as "displayName", u.status, u.time_zone as "timeZone",
  u.alert_platform as "alertPlatform"`;
const identityColumns = `i.id, i.user_id as "userId", i.platform, i.external_id as "externalId",
  i.display_name as "displayName", i.dm_channel as "dmChannel", i.deliverable`;

/**
 * Finds or creates the user behind a chat account. Writing to the bot makes an account
 * deliverable again (a user who unblocked the bot and wrote is reachable once more).
 */
export async function ensureUser(
  db: Db,
  actor: Actor,
): Promise<{ user: UserRow; identity: IdentityRow; created: boolean }> {
  const found = await db.query<IdentityRow>(
    `update identities i set last_seen_at = now(),
       display_name = coalesce($3, i.display_name),
       dm_channel = coalesce($4, i.dm_channel),
       deliverable = true, undeliverable_reason = null
     where platform = $1 and external_id = $2
     returning ${identityColumns}`,
    [actor.platform, actor.externalId, actor.displayName ?? null, actor.dmChannel ?? null],
  );
  if (found.rows[0]) {
    const identity = found.rows[0];
    const user = await db.query<UserRow>(`select ${userColumns} from users u where u.id = $1`, [
      identity.userId,
    ]);
    return { user: user.rows[0]!, identity, created: false };
  }
  // Two first messages at once: the unique (platform, external_id) decides; the loser re-reads.
  const created = await db.query<UserRow & { identityId: number | null }>(
    `with new_user as (
       insert into users (display_name) values ($3) returning *
     ), new_identity as (
       insert into identities (user_id, platform, external_id, display_name, dm_channel)
       select id, $1, $2, $3, $4 from new_user
       on conflict (platform, external_id) do nothing
       returning id
     ), prefs as (
       insert into preferences (user_id) select id from new_user where exists (select 1 from new_identity)
     )
     select ${userColumns.replaceAll('u.', 'nu.')}, (select id from new_identity) as "identityId" from new_user nu`,
    [actor.platform, actor.externalId, actor.displayName ?? null, actor.dmChannel ?? null],
  );
  const row = created.rows[0]!;
  if (row.identityId === null) {
    await db.query('delete from users where id = $1', [row.id]);
    return ensureUser(db, actor);
  }
  const identity = await db.query<IdentityRow>(
    `select ${identityColumns} from identities i where i.id = $1`,
    [row.identityId],
  );
  const { identityId: _, ...user } = row;
  return { user, identity: identity.rows[0]!, created: true };
}

const preferenceColumns = `keywords, excluded_words as "excludedWords", locations, remote,
  salary_min as "salaryMin", salary_currency as "salaryCurrency", seniority,
  blocked_companies as "blockedCompanies", alert_mode as "alertMode", alert_threshold as "alertThreshold"`;

export async function getPreferences(db: Db, userId: number): Promise<Preferences> {
  const { rows } = await db.query<Preferences>(
    `select ${preferenceColumns} from preferences where user_id = $1`,
    [userId],
  );
  if (!rows[0]) throw new Error(`user ${userId} has no preferences row`);
  return rows[0];
}

const preferenceFields: Record<keyof Preferences, string> = {
  keywords: 'keywords',
  excludedWords: 'excluded_words',
  locations: 'locations',
  remote: 'remote',
  salaryMin: 'salary_min',
  salaryCurrency: 'salary_currency',
  seniority: 'seniority',
  blockedCompanies: 'blocked_companies',
  alertMode: 'alert_mode',
  alertThreshold: 'alert_threshold',
};

/** Applies all changes in one statement: either every field is saved or none is. */
export async function updatePreferences(
  db: Db,
  userId: number,
  changes: Partial<Preferences>,
): Promise<Preferences> {
  const entries = Object.entries(changes).filter(([, v]) => v !== undefined) as [
    keyof Preferences,
    unknown,
  ][];
  if (entries.length === 0) return getPreferences(db, userId);
  const sets = entries.map(([key], i) => `${preferenceFields[key]} = $${i + 2}`);
  const { rows } = await db.query<Preferences>(
    `update preferences set ${sets.join(', ')}, updated_at = now() where user_id = $1 returning ${preferenceColumns}`,
    [userId, ...entries.map(([, v]) => v)],
  );
  if (!rows[0]) throw new Error(`user ${userId} has no preferences row`);
  return rows[0];
}

/**
 * The chat account alerts go to: the platform the user chose, else the one they used last;
 * only accounts that can still be messaged.
 */
export async function findAlertIdentity(db: Db, userId: number): Promise<IdentityRow | null> {
  const { rows } = await db.query<IdentityRow>(
    `select ${identityColumns} from identities i join users u on u.id = i.user_id
     where i.user_id = $1 and i.deliverable and u.status = 'active'
     order by (i.platform = u.alert_platform) desc nulls last, i.last_seen_at desc
     limit 1`,
    [userId],
  );
  return rows[0] ?? null;
}

export async function getIdentity(db: Db, identityId: number): Promise<IdentityRow | null> {
  const { rows } = await db.query<IdentityRow>(
    `select ${identityColumns} from identities i where i.id = $1`,
    [identityId],
  );
  return rows[0] ?? null;
}

/** The account with this platform id, if it ever wrote to us (a "bot blocked" event names only the id). */
export async function findIdentity(
  db: Db,
  platform: Platform,
  externalId: string,
): Promise<IdentityRow | null> {
  const { rows } = await db.query<IdentityRow>(
    `select ${identityColumns} from identities i where i.platform = $1 and i.external_id = $2`,
    [platform, externalId],
  );
  return rows[0] ?? null;
}

/** The platform said this account cannot be messaged (blocked the bot, DMs closed). */
export async function markUndeliverable(db: Db, identityId: number, reason: string): Promise<void> {
  await db.query('update identities set deliverable = false, undeliverable_reason = $2 where id = $1', [
    identityId,
    reason.slice(0, 500),
  ]);
}

export async function setDmChannel(db: Db, identityId: number, dmChannel: string): Promise<void> {
  await db.query('update identities set dm_channel = $2 where id = $1 and dm_channel is distinct from $2', [
    identityId,
    dmChannel,
  ]);
}
