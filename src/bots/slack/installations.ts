import { type Installation, type InstallationQuery, type InstallationStore, webApi } from '@slack/bolt';
import { z } from 'zod';
import { type LogPort, UndeliverableError } from '../../core/ports.ts';
import type { Db } from '../../db/pool.ts';
import {
  deleteSlackInstallation,
  findSlackInstallation,
  type NewSlackInstallation,
  type SlackInstallationRow,
  saveSlackInstallation,
} from '../../db/slack-installations.ts';
import type { SlackClients } from './messenger.ts';

/**
 * Multi-workspace mode: which workspaces installed JobPing and the bot token each one granted.
 * Bolt's install flow writes here and Bolt's `authorize` reads from here on every inbound request;
 * the messenger asks for a workspace's token before each alert (cached for a minute, since one
 * alert run sends many). Tokens are secrets: nothing here logs one.
 */

/** The workspace of SLACK_BOT_TOKEN, when that is set too: it keeps working without a reinstall. */
export interface HomeWorkspace {
  teamId: string;
  enterpriseId: string | undefined;
  botToken: string;
  botUserId: string;
  botId: string | undefined;
}

export interface SlackInstallations {
  /** Bolt's installation store, backed by the slack_installations table. */
  store: InstallationStore;
  /** The bot token of one workspace, or null when JobPing is not installed there. */
  botToken(teamId: string): Promise<string | null>;
  /** The workspace removed the app (event at `before`): its installation goes, unless it is newer. */
  remove(where: { teamId: string; enterpriseId?: string | undefined }, before: Date): Promise<void>;
  /** True while the workspace has a stored installation (after a reinstall, say). */
  hasInstallation(teamId: string): Promise<boolean>;
  /** Drops a cached token that Slack refused; the next lookup reads the table again. */
  forget(teamId: string): void;
}

const CACHE_MS = 60_000;
const slackId = z.string().regex(/^[A-Z0-9]+$/, 'expected a Slack id');

/** What the install flow hands over (Slack's oauth.v2.access answer, as Bolt shaped it). */
const installationSchema = z.object({
  team: z.object({ id: slackId, name: z.string().max(500).optional() }).optional(),
  enterprise: z.object({ id: slackId, name: z.string().max(500).optional() }).optional(),
  isEnterpriseInstall: z.boolean().optional(),
  appId: z.string().max(100).optional(),
  user: z.object({ id: z.string().max(100) }),
  bot: z.object({
    token: z.string().min(10).max(500),
    id: z.string().max(100).optional(),
    userId: slackId,
    scopes: z.array(z.string().max(100)).max(100),
    refreshToken: z.string().max(500).optional(),
    expiresAt: z.number().optional(),
  }),
});

function toRow(installation: Installation): NewSlackInstallation {
  const parsed = installationSchema.safeParse(installation);
  if (!parsed.success) {
    // The issue paths name fields only; the token itself never reaches the message.
    const fields = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
    throw new Error(`Slack's install answer is missing or malformed: ${fields}`);
  }
  const i = parsed.data;
  const isEnterpriseInstall = i.isEnterpriseInstall ?? false;
  if (!isEnterpriseInstall && !i.team) throw new Error("Slack's install answer names no workspace");
  return {
    teamId: isEnterpriseInstall ? null : (i.team?.id ?? null),
    enterpriseId: i.enterprise?.id ?? null,
    isEnterpriseInstall,
    teamName: i.team?.name ?? i.enterprise?.name ?? null,
    appId: i.appId ?? null,
    botToken: i.bot.token,
    botId: i.bot.id ?? null,
    botUserId: i.bot.userId,
    botScopes: i.bot.scopes,
    botRefreshToken: i.bot.refreshToken ?? null,
    botTokenExpiresAt: i.bot.expiresAt ? new Date(i.bot.expiresAt * 1000) : null,
    installerUserId: i.user.id || null,
  };
}

function toInstallation(row: SlackInstallationRow): Installation {
  return {
    team: row.teamId ? { id: row.teamId, ...(row.teamName ? { name: row.teamName } : {}) } : undefined,
    enterprise: row.enterpriseId ? { id: row.enterpriseId } : undefined,
    user: { id: row.installerUserId ?? '', token: undefined, scopes: undefined },
    bot: {
      token: row.botToken,
      id: row.botId ?? '',
      userId: row.botUserId,
      scopes: row.botScopes,
      ...(row.botRefreshToken ? { refreshToken: row.botRefreshToken } : {}),
      ...(row.botTokenExpiresAt ? { expiresAt: Math.floor(row.botTokenExpiresAt.getTime() / 1000) } : {}),
    },
    ...(row.appId ? { appId: row.appId } : {}),
    tokenType: 'bot',
    isEnterpriseInstall: row.isEnterpriseInstall,
    authVersion: 'v2',
  } as Installation;
}

function homeInstallation(home: HomeWorkspace): Installation {
  return {
    team: { id: home.teamId },
    enterprise: home.enterpriseId ? { id: home.enterpriseId } : undefined,
    user: { id: '', token: undefined, scopes: undefined },
    bot: { token: home.botToken, id: home.botId ?? '', userId: home.botUserId, scopes: [] },
    tokenType: 'bot',
    isEnterpriseInstall: false,
    authVersion: 'v2',
  } as Installation;
}

export function createSlackInstallations(deps: {
  pool: Db;
  logger: LogPort;
  /** SLACK_BOT_TOKEN's workspace, looked up once (auth.test); null when unset or refused. */
  home?: () => Promise<HomeWorkspace | null>;
  now?: () => number;
}): SlackInstallations {
  const { pool, logger } = deps;
  const now = deps.now ?? (() => performance.now());
  const cache = new Map<string, { token: string; until: number }>();
  const homeFor = async (teamId: string | undefined) => {
    if (!teamId || !deps.home) return null;
    const home = await deps.home();
    return home?.teamId === teamId ? home : null;
  };

  const store: InstallationStore = {
    async storeInstallation(installation) {
      const row = toRow(installation);
      await saveSlackInstallation(pool, row);
      if (row.teamId) cache.delete(row.teamId);
      logger.info(
        { team: row.teamId, enterprise: row.enterpriseId, scopes: row.botScopes },
        'slack: JobPing was installed in a workspace',
      );
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const row = await findSlackInstallation(pool, query);
      if (row) return toInstallation(row);
      const home = query.isEnterpriseInstall ? null : await homeFor(query.teamId);
      if (home) return homeInstallation(home);
      throw new Error(`JobPing is not installed in Slack workspace ${query.teamId ?? query.enterpriseId}`);
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      await deleteSlackInstallation(pool, query, new Date());
      if (query.teamId) cache.delete(query.teamId);
    },
  };

  return {
    store,
    async botToken(teamId) {
      const cached = cache.get(teamId);
      if (cached && cached.until > now()) return cached.token;
      const row = await findSlackInstallation(pool, { teamId, isEnterpriseInstall: false });
      const token = row?.botToken ?? (await homeFor(teamId))?.botToken ?? null;
      if (token) cache.set(teamId, { token, until: now() + CACHE_MS });
      else cache.delete(teamId);
      return token;
    },
    async remove(where, before) {
      cache.delete(where.teamId);
      await deleteSlackInstallation(pool, { ...where, isEnterpriseInstall: false }, before);
    },
    async hasInstallation(teamId) {
      return Boolean(await findSlackInstallation(pool, { teamId, isEnterpriseInstall: false }));
    },
    forget(teamId) {
      cache.delete(teamId);
    },
  };
}

/** SLACK_BOT_TOKEN's workspace, asked of Slack once; a failed lookup is retried on the next call. */
export function homeWorkspace(client: webApi.WebClient, token: string, logger: LogPort) {
  let found: Promise<HomeWorkspace | null> | undefined;
  return () => {
    found ??= client.auth
      .test()
      .then((auth): HomeWorkspace | null => {
        if (!auth.team_id || !auth.user_id) return null;
        return {
          teamId: auth.team_id,
          enterpriseId: auth.enterprise_id || undefined,
          botToken: token,
          botUserId: auth.user_id,
          botId: auth.bot_id,
        };
      })
      .catch((err: unknown) => {
        logger.warn({ err }, 'slack: SLACK_BOT_TOKEN was refused; its workspace is served only if installed');
        found = undefined;
        return null;
      });
    return found;
  };
}

/** The messenger's clients in multi-workspace mode: one WebClient per workspace, on its own token. */
export function workspaceClients(
  installations: SlackInstallations,
  clientOptions: webApi.WebClientOptions,
): SlackClients {
  const clients = new Map<string, { token: string; client: webApi.WebClient }>();
  return {
    async forTeam(teamId) {
      const token = teamId ? await installations.botToken(teamId) : null;
      if (!teamId || !token) {
        throw new UndeliverableError(`slack: JobPing is not installed in workspace ${teamId ?? '(unknown)'}`);
      }
      const known = clients.get(teamId);
      if (known?.token === token) return known.client;
      const client = new webApi.WebClient(token, { ...clientOptions, teamId });
      clients.set(teamId, { token, client });
      return client;
    },
    refused(teamId) {
      if (teamId) installations.forget(teamId);
    },
  };
}
