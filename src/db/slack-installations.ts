import type { Db } from './pool.ts';

/**
 * Slack workspaces that installed the app through the OAuth flow, with the bot token each one
 * granted. Read on every inbound request (Bolt's authorize) and before every alert; written by the
 * install flow and removed when a workspace uninstalls the app.
 */

export interface SlackInstallationRow {
  /** Null only for an org-wide Enterprise Grid install. */
  teamId: string | null;
  enterpriseId: string | null;
  isEnterpriseInstall: boolean;
  teamName: string | null;
  appId: string | null;
  botToken: string;
  botId: string | null;
  botUserId: string;
  botScopes: string[];
  botRefreshToken: string | null;
  botTokenExpiresAt: Date | null;
  installerUserId: string | null;
  installedAt: Date;
}

export type NewSlackInstallation = Omit<SlackInstallationRow, 'installedAt'>;

const columns = `team_id as "teamId", enterprise_id as "enterpriseId",
  is_enterprise_install as "isEnterpriseInstall", team_name as "teamName", app_id as "appId",
  bot_token as "botToken", bot_id as "botId", bot_user_id as "botUserId", bot_scopes as "botScopes",
  bot_refresh_token as "botRefreshToken", bot_token_expires_at as "botTokenExpiresAt",
  installer_user_id as "installerUserId", installed_at as "installedAt"`;

/** A reinstall (new scopes, a new token) replaces the workspace's row; installed_at stays the first. */
export async function saveSlackInstallation(db: Db, i: NewSlackInstallation): Promise<void> {
  const conflict = i.isEnterpriseInstall
    ? '(enterprise_id) where is_enterprise_install'
    : '(team_id) where not is_enterprise_install';
  await db.query(
    `insert into slack_installations (team_id, enterprise_id, is_enterprise_install, team_name, app_id,
       bot_token, bot_id, bot_user_id, bot_scopes, bot_refresh_token, bot_token_expires_at, installer_user_id)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     on conflict ${conflict} do update set
       team_id = excluded.team_id, enterprise_id = excluded.enterprise_id, team_name = excluded.team_name,
       app_id = excluded.app_id, bot_token = excluded.bot_token, bot_id = excluded.bot_id,
       bot_user_id = excluded.bot_user_id, bot_scopes = excluded.bot_scopes,
       bot_refresh_token = excluded.bot_refresh_token, bot_token_expires_at = excluded.bot_token_expires_at,
       installer_user_id = excluded.installer_user_id, updated_at = now()`,
    [
      i.isEnterpriseInstall ? null : i.teamId,
      i.enterpriseId,
      i.isEnterpriseInstall,
      i.teamName,
      i.appId,
      i.botToken,
      i.botId,
      i.botUserId,
      i.botScopes,
      i.botRefreshToken,
      i.botTokenExpiresAt,
      i.installerUserId,
    ],
  );
}

/** The workspace's own install, else the org-wide install of its enterprise (Enterprise Grid). */
export async function findSlackInstallation(
  db: Db,
  where: { teamId?: string | undefined; enterpriseId?: string | undefined; isEnterpriseInstall: boolean },
): Promise<SlackInstallationRow | null> {
  const { rows } = await db.query<SlackInstallationRow>(
    `select ${columns} from slack_installations
     where (not $3 and not is_enterprise_install and team_id = $1)
        or (is_enterprise_install and enterprise_id = $2)
     order by is_enterprise_install limit 1`,
    [where.teamId ?? null, where.enterpriseId ?? null, where.isEnterpriseInstall],
  );
  return rows[0] ?? null;
}

/**
 * Removes the workspace's install (or the org-wide one) if it is not newer than `before`: Slack may
 * deliver an uninstall event late, after the workspace installed the app again.
 */
export async function deleteSlackInstallation(
  db: Db,
  where: { teamId?: string | undefined; enterpriseId?: string | undefined; isEnterpriseInstall: boolean },
  before: Date,
): Promise<boolean> {
  const { rowCount } = where.isEnterpriseInstall
    ? await db.query(
        'delete from slack_installations where is_enterprise_install and enterprise_id = $1 and updated_at <= $2',
        [where.enterpriseId ?? null, before],
      )
    : await db.query(
        'delete from slack_installations where not is_enterprise_install and team_id = $1 and updated_at <= $2',
        [where.teamId ?? null, before],
      );
  return (rowCount ?? 0) > 0;
}

/**
 * Every Slack account of one workspace ("TEAM:USER") cannot be messaged any more (the app was
 * removed there). Writing to the bot again makes an account deliverable (see ensureUser).
 */
export async function markSlackTeamUndeliverable(db: Db, teamId: string, reason: string): Promise<number> {
  const { rowCount } = await db.query(
    `update identities set deliverable = false, undeliverable_reason = $2
     where platform = 'slack' and starts_with(external_id, $1) and deliverable`,
    [`${teamId}:`, reason.slice(0, 500)],
  );
  return rowCount ?? 0;
}
