import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/**
 * The fake Slack's workspaces and their bot tokens, and the OAuth v2 install flow that hands out
 * new ones: GET /oauth/v2/authorize stands for Slack's consent screen and, as if the person
 * pressed Allow in the workspace they are signed in to (`team`, default TEAM), redirects to the
 * app's Redirect URL with a one-time code and the app's state; oauth.v2.access trades the code
 * (with the client id and secret) for a new bot token of that workspace, answering as Slack does.
 */

export const TEAM = 'T0G9PQBBK';
export const BOT_USER = 'U0L1A3P3Q';
export const BOT_TOKEN = 'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy';
export const APP_TOKEN = 'xapp-1-A0KRD7HC3-4916855695380-9f8e7d6c5b4a39281706f5e4d3c2b1a0';
export const APP_ID = 'A0KRD7HC3';
export const CLIENT_ID = '4916855695380.4918062468275';
export const CLIENT_SECRET = '3a1f9c0b2d4e5f60718293a4b5c6d7e8';

/** A Slack workspace the app can be installed in. */
export interface Workspace {
  teamId: string;
  name: string;
  botUserId: string;
  botId: string;
}

export function slackWorkspaces(redirectUrl: () => string | undefined) {
  const workspaces = new Map<string, Workspace>([
    [TEAM, { teamId: TEAM, name: 'Example', botUserId: BOT_USER, botId: 'B0L1A3P3R' }],
  ]);
  /** Bot token → its workspace; revoked tokens stay known so Slack can say so. */
  const tokens = new Map<string, { teamId: string; revoked: boolean }>([
    [BOT_TOKEN, { teamId: TEAM, revoked: false }],
  ]);
  const codes = new Map<string, { teamId: string; scope: string; redirectUri: string | undefined }>();
  let minted = 0;

  /** The consent screen, answered at once with Allow (or Cancel, with `deny`). */
  function authorize(url: URL, res: ServerResponse) {
    const q = url.searchParams;
    const redirect = q.get('redirect_uri') ?? redirectUrl();
    const workspace = workspaces.get(q.get('team') ?? TEAM);
    if (q.get('client_id') !== CLIENT_ID || !q.get('scope') || !redirect || !workspace) {
      res.writeHead(400, { 'content-type': 'text/html' }).end('<h1>Something went wrong</h1>');
      return;
    }
    const back = new URL(redirect);
    if (q.has('deny')) {
      back.searchParams.set('error', 'access_denied');
    } else {
      const code = `${workspace.teamId}.${++minted}.${randomBytes(8).toString('hex')}`;
      codes.set(code, {
        teamId: workspace.teamId,
        scope: q.get('scope')!,
        redirectUri: q.get('redirect_uri') ?? undefined,
      });
      back.searchParams.set('code', code);
    }
    if (q.has('state')) back.searchParams.set('state', q.get('state')!);
    res.writeHead(302, { location: back.toString() }).end();
  }

  function oauthAccess(args: Record<string, unknown>): Record<string, unknown> {
    if (args.client_id !== CLIENT_ID) return { ok: false, error: 'invalid_client_id' };
    if (args.client_secret !== CLIENT_SECRET) return { ok: false, error: 'bad_client_secret' };
    const grant = codes.get(String(args.code));
    codes.delete(String(args.code));
    if (!grant) return { ok: false, error: 'invalid_code' };
    if (grant.redirectUri !== undefined && args.redirect_uri !== grant.redirectUri)
      return { ok: false, error: 'bad_redirect_uri' };
    const team = workspaces.get(grant.teamId)!;
    const token = `xoxb-${team.teamId.slice(1)}-${minted}-${randomBytes(12).toString('hex')}`;
    tokens.set(token, { teamId: team.teamId, revoked: false });
    return {
      ok: true,
      access_token: token,
      token_type: 'bot',
      scope: grant.scope,
      bot_user_id: team.botUserId,
      app_id: APP_ID,
      team: { id: team.teamId, name: team.name },
      enterprise: null,
      authed_user: { id: 'UINSTALLER' },
      is_enterprise_install: false,
    };
  }

  /** Who a Web API call is made as: the workspace of its bearer token, or why it is refused. */
  function caller(method: string, auth: string | undefined): Workspace | { error: string } {
    const token = auth?.replace(/^Bearer /, '');
    if (method === 'apps.connections.open')
      return token === APP_TOKEN ? workspaces.get(TEAM)! : { error: 'invalid_auth' };
    const known = token ? tokens.get(token) : undefined;
    if (!known) return { error: auth ? 'invalid_auth' : 'not_authed' };
    if (known.revoked) return { error: 'token_revoked' };
    return workspaces.get(known.teamId)!;
  }

  return {
    authorize,
    oauthAccess,
    caller,
    addWorkspace(teamId: string, name: string): Workspace {
      const workspace = { teamId, name, botUserId: `U${teamId.slice(1)}B0T`, botId: `B${teamId.slice(1)}` };
      workspaces.set(teamId, workspace);
      return workspace;
    },
    tokenOf(teamId: string): string | undefined {
      return [...tokens].filter(([, t]) => t.teamId === teamId && !t.revoked).at(-1)?.[0];
    },
    uninstall(teamId: string) {
      for (const t of tokens.values()) if (t.teamId === teamId) t.revoked = true;
    },
  };
}
