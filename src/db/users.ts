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

const preferenceColumns = `pr.keywords, pr.excluded_words as "excludedWords", pr.locations, pr.remote,
  pr.salary_min as "salaryMin", pr.salary_currency as "salaryCurrency", pr.seniority,
  pr.blocked_companies as "blockedCompanies", pr.alert_mode as "alertMode", pr.alert_threshold as "alertThreshold",
  u.time_zone as "timeZone", to_char(pr.digest_time, 'HH24:MI') as "digestTime", pr.digest_days as "digestDays",
  to_char(pr.quiet_start, 'HH24:MI') as "quietStart", to_char(pr.quiet_end, 'HH24:MI') as "quietEnd",
  pr.daily_cap as "dailyCap", u.alert_platform as "alertPlatform"`;

export async function getPreferences(db: Db, userId: number): Promise<Preferences> {
  const { rows } = await db.query<Preferences>(
    `select ${preferenceColumns} from preferences pr join users u on u.id = pr.user_id where pr.user_id = $1`,
    [userId],
  );
  if (!rows[0]) throw new Error(`user ${userId} has no preferences row`);
  return rows[0];
}

/** Where each preference is stored: most in `preferences`, the time zone and alert platform on the user. */
const preferenceFields: Record<keyof Preferences, { table: 'preferences' | 'users'; column: string }> = {
  keywords: { table: 'preferences', column: 'keywords' },
  excludedWords: { table: 'preferences', column: 'excluded_words' },
  locations: { table: 'preferences', column: 'locations' },
  remote: { table: 'preferences', column: 'remote' },
  salaryMin: { table: 'preferences', column: 'salary_min' },
  salaryCurrency: { table: 'preferences', column: 'salary_currency' },
  seniority: { table: 'preferences', column: 'seniority' },
  blockedCompanies: { table: 'preferences', column: 'blocked_companies' },
  alertMode: { table: 'preferences', column: 'alert_mode' },
  alertThreshold: { table: 'preferences', column: 'alert_threshold' },
  digestTime: { table: 'preferences', column: 'digest_time' },
  digestDays: { table: 'preferences', column: 'digest_days' },
  quietStart: { table: 'preferences', column: 'quiet_start' },
  quietEnd: { table: 'preferences', column: 'quiet_end' },
  dailyCap: { table: 'preferences', column: 'daily_cap' },
  timeZone: { table: 'users', column: 'time_zone' },
  alertPlatform: { table: 'users', column: 'alert_platform' },
};

/** Applies all changes; the caller runs it in a transaction when it must be all-or-nothing. */
export async function updatePreferences(
  db: Db,
  userId: number,
  changes: Partial<Preferences>,
): Promise<Preferences> {
  const entries = Object.entries(changes).filter(([, v]) => v !== undefined) as [
    keyof Preferences,
    unknown,
  ][];
  for (const table of ['preferences', 'users'] as const) {
    const mine = entries.filter(([key]) => preferenceFields[key].table === table);
    if (mine.length === 0) continue;
    const sets = mine.map(([key], i) => `${preferenceFields[key].column} = $${i + 2}`);
    const { rowCount } = await db.query(
      `update ${table} set ${sets.join(', ')}, updated_at = now() where ${table === 'users' ? 'id' : 'user_id'} = $1`,
      [userId, ...mine.map(([, v]) => v)],
    );
    if (rowCount === 0) throw new Error(`user ${userId} has no ${table} row`);
  }
  return getPreferences(db, userId);
}

/** Every chat account of a user (several once linked). */
export async function listIdentities(db: Db, userId: number): Promise<IdentityRow[]> {
  const { rows } = await db.query<IdentityRow>(
    `select ${identityColumns} from identities i where i.user_id = $1 order by i.last_seen_at desc`,
    [userId],
  );
  return rows;
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
