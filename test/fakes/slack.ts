import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { slackWorkspaces, type Workspace } from './slack-workspaces.ts';

/**
 * A local Slack, both directions, on the real wire protocol:
 * - the Web API (`SLACK_API_URL`): POST /api/<method> with a bearer token and a form or JSON body,
 *   answering HTTP 200 `{ok:true,…}` or `{ok:false,error}`, and 429 with Retry-After when told;
 * - response_urls (`/response/<id>`), answering `ok` as Slack does;
 * - Slack's side of the Events API: slash commands, interactions and events sent to the app's
 *   Request URL, signed exactly as Slack signs them (v0 HMAC-SHA256 of `v0:{ts}:{raw body}`).
 * - Socket Mode: apps.connections.open (with the app token) hands out a ws:// URL on the same
 *   server, which greets with `hello` and carries envelopes both ways.
 * - OAuth v2 ("Add to Slack"): the consent screen at /oauth/v2/authorize and oauth.v2.access
 *   (see slack-workspaces.ts).
 * Every workspace has its own bot tokens; the Web API answers each token as its workspace
 * (auth.test), `invalid_auth` to an unknown one and `token_revoked` once the app is uninstalled.
 * Every call is recorded; tests wait on calls with `waitFor` (no sleeps).
 */

export {
  APP_ID,
  APP_TOKEN,
  BOT_TOKEN,
  BOT_USER,
  CLIENT_ID,
  CLIENT_SECRET,
  TEAM,
  type Workspace,
} from './slack-workspaces.ts';
export const SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';

export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
  token: string | undefined;
  at: number;
}
export interface ResponseUrlPost {
  id: string;
  body: Record<string, unknown>;
  at: number;
}
/** A posted or updated bot message, as Slack stores it. */
export interface StoredMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: Record<string, unknown>[];
}

export type Failure = { error: string } | { status: 429; retryAfter: number };
interface ScriptedFailure {
  failure: Failure;
  where: (args: Record<string, unknown>) => boolean;
  times: number;
}

export interface SignedRequestOptions {
  /** Unix seconds; defaults to now. */
  timestamp?: number;
  secret?: string;
  retryNum?: number;
}
export interface AppResponse {
  status: number;
  body: string;
  json: unknown;
  ms: number;
}

export interface FakeSlack {
  apiUrl: string;
  /** Slack's consent screen (what the app's install link redirects to). */
  authorizeUrl: string;
  /** The Redirect URL configured for the app (OAuth & Permissions); set once the app listens. */
  redirectUrl: string | undefined;
  calls: ApiCall[];
  responses: ResponseUrlPost[];
  messages: Map<string, StoredMessage>;
  /** The next `times` calls of `method` whose arguments match fail like this (default: once). */
  fail(
    method: string,
    failure: Failure,
    options?: { where?: (args: Record<string, unknown>) => boolean; times?: number },
  ): void;
  responseUrl(id: string): string;
  /** A workspace people can install the app in (TEAM exists from the start, with BOT_TOKEN). */
  addWorkspace(teamId: string, name: string): Workspace;
  /** The bot token the newest install in this workspace was given. */
  tokenOf(teamId: string): string | undefined;
  /** The workspace removes the app: its bot tokens are revoked. */
  uninstall(teamId: string): void;
  callsOf(method: string): ApiCall[];
  responsesTo(id: string): ResponseUrlPost[];
  /** Resolves once a call or response_url post matches; rejects after `timeoutMs`. */
  waitFor<T extends ApiCall | ResponseUrlPost>(
    match: (entry: ApiCall | ResponseUrlPost) => entry is T,
    timeoutMs?: number,
  ): Promise<T>;
  waitForCall(method: string, where?: (c: ApiCall) => boolean, timeoutMs?: number): Promise<ApiCall>;
  waitForResponse(
    id: string,
    where?: (r: ResponseUrlPost) => boolean,
    timeoutMs?: number,
  ): Promise<ResponseUrlPost>;
  /** Socket Mode: resolves once the app's WebSocket has connected and been greeted. */
  socketConnected(): Promise<void>;
  /** Socket Mode: sends an envelope and resolves with the app's acknowledgement of it. */
  sendEnvelope(
    type: string,
    payload: unknown,
    extra?: Record<string, unknown>,
  ): Promise<{ envelope_id: string; payload?: unknown }>;
  /** Slack's side: POSTs to the app's Request URL, signed. */
  send(url: string, body: string, contentType: string, options?: SignedRequestOptions): Promise<AppResponse>;
  close(): Promise<void>;
}

export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

const JSON_FIELDS = new Set(['blocks', 'view', 'attachments', 'metadata']);

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.startsWith('application/json')) return JSON.parse(raw || '{}');
  const args: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) args[k] = JSON_FIELDS.has(k) ? JSON.parse(v) : v;
  return args;
}

export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: ApiCall[] = [];
  const responses: ResponseUrlPost[] = [];
  const messages = new Map<string, StoredMessage>();
  const failures = new Map<string, ScriptedFailure[]>();
  const listeners = new Set<(entry: ApiCall | ResponseUrlPost) => void>();
  let ts = 1_700_000_000;
  const nextTs = () => `${++ts}.000100`;
  const accounts = slackWorkspaces(() => fake.redirectUrl);

  const record = (entry: ApiCall | ResponseUrlPost) => {
    if ('method' in entry) calls.push(entry);
    else responses.push(entry);
    for (const l of [...listeners]) l(entry);
  };

  function answer(method: string, args: Record<string, unknown>, team: Workspace): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: `https://${team.name.toLowerCase()}.slack.com/`,
          team: team.name,
          user: 'jobsbot',
          team_id: team.teamId,
          user_id: team.botUserId,
          bot_id: team.botId,
        };
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(args.users).replace(/^U/, '')}` } };
      case 'chat.postMessage': {
        const message = {
          channel: String(args.channel),
          ts: nextTs(),
          text: String(args.text ?? ''),
          blocks: (args.blocks ?? []) as Record<string, unknown>[],
        };
        messages.set(`${message.channel}/${message.ts}`, message);
        return {
          ok: true,
          channel: message.channel,
          ts: message.ts,
          message: { type: 'message', text: message.text, ts: message.ts },
        };
      }
      case 'chat.update': {
        const key = `${args.channel}/${args.ts}`;
        const found = messages.get(key);
        if (!found) return { ok: false, error: 'message_not_found' };
        messages.set(key, {
          ...found,
          text: String(args.text ?? found.text),
          blocks: (args.blocks ?? found.blocks) as Record<string, unknown>[],
        });
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: nextTs() };
      case 'apps.connections.open':
        return { ok: true, url: `${base.replace('http', 'ws')}/link/?ticket=${nextTs()}` };
      case 'views.open':
      case 'views.publish':
        return { ok: true, view: { id: `V${ts}`, ...(args.view as object), hash: `${ts}.abc` } };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/oauth/v2/authorize') {
      accounts.authorize(url, res);
      return;
    }
    const raw = await readBody(req);
    if (url.pathname.startsWith('/response/')) {
      record({ id: url.pathname.slice('/response/'.length), body: JSON.parse(raw || '{}'), at: Date.now() });
      res.writeHead(200, { 'content-type': 'text/plain;charset=utf-8' }).end('ok');
      return;
    }
    const method = url.pathname.replace(/^\/api\//, '');
    const auth = req.headers.authorization;
    const args = parseArgs(raw, req.headers['content-type']);
    record({ method, args, token: auth?.replace(/^Bearer /, ''), at: Date.now() });
    const scripted = failures.get(method)?.find((f) => f.times > 0 && f.where(args));
    if (scripted) scripted.times--;
    const failure = scripted?.failure;
    if (failure && 'status' in failure) {
      res
        .writeHead(429, {
          'retry-after': String(failure.retryAfter),
          'content-type': 'application/json;charset=utf-8',
        })
        .end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    const as = method === 'oauth.v2.access' ? null : accounts.caller(method, auth);
    const body = failure
      ? { ok: false, error: failure.error }
      : as === null
        ? accounts.oauthAccess(args)
        : 'error' in as
          ? { ok: false, error: as.error }
          : answer(method, args, as);
    res.writeHead(200, { 'content-type': 'application/json;charset=utf-8' }).end(JSON.stringify(body));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => res.writeHead(500).end(String(err)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const wss = new WebSocketServer({ server, path: '/link/' });
  let socket: WebSocket | undefined;
  const connected: (() => void)[] = [];
  const acks = new Map<string, (ack: { envelope_id: string; payload?: unknown }) => void>();
  wss.on('connection', (ws) => {
    socket = ws;
    ws.on('message', (data) => {
      const ack = JSON.parse(String(data)) as { envelope_id: string; payload?: unknown };
      acks.get(ack.envelope_id)?.(ack);
      acks.delete(ack.envelope_id);
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: 1,
        debug_info: { host: 'applink-fake', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: 'A0KRD7HC3' },
      }),
    );
    for (const resolve of connected.splice(0)) resolve();
  });
  let envelopes = 0;

  const fake: FakeSlack = {
    apiUrl: `${base}/api/`,
    authorizeUrl: `${base}/oauth/v2/authorize`,
    redirectUrl: undefined,
    calls,
    responses,
    messages,
    fail(method, failure, options = {}) {
      const entry = { failure, where: options.where ?? (() => true), times: options.times ?? 1 };
      failures.set(method, [...(failures.get(method) ?? []), entry]);
    },
    responseUrl: (id) => `${base}/response/${id}`,
    addWorkspace: (teamId, name) => accounts.addWorkspace(teamId, name),
    tokenOf: (teamId) => accounts.tokenOf(teamId),
    uninstall: (teamId) => accounts.uninstall(teamId),
    callsOf: (method) => calls.filter((c) => c.method === method),
    responsesTo: (id) => responses.filter((r) => r.id === id),
    waitFor(match, timeoutMs = 10_000) {
      const found = [...calls, ...responses].find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(listener);
          reject(new Error('fake Slack: nothing matching arrived in time'));
        }, timeoutMs);
        const listener = (entry: ApiCall | ResponseUrlPost) => {
          if (!match(entry)) return;
          clearTimeout(timer);
          listeners.delete(listener);
          resolve(entry);
        };
        listeners.add(listener);
      });
    },
    waitForCall(method, where = () => true, timeoutMs) {
      return fake.waitFor((e): e is ApiCall => 'method' in e && e.method === method && where(e), timeoutMs);
    },
    waitForResponse(id, where = () => true, timeoutMs) {
      return fake.waitFor((e): e is ResponseUrlPost => 'id' in e && e.id === id && where(e), timeoutMs);
    },
    socketConnected() {
      return socket ? Promise.resolve() : new Promise<void>((resolve) => connected.push(resolve));
    },
    sendEnvelope(type, payload, extra = {}) {
      if (!socket) throw new Error('fake Slack: no Socket Mode connection');
      const envelopeId = `env-${++envelopes}`;
      const acked = new Promise<{ envelope_id: string; payload?: unknown }>((resolve) =>
        acks.set(envelopeId, resolve),
      );
      socket.send(
        JSON.stringify({
          envelope_id: envelopeId,
          payload,
          type,
          accepts_response_payload: type !== 'events_api',
          ...extra,
        }),
      );
      return acked;
    },
    async send(url, body, contentType, options = {}) {
      const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
      const headers: Record<string, string> = {
        'content-type': contentType,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': slackSignature(options.secret ?? SIGNING_SECRET, timestamp, body),
      };
      if (options.retryNum !== undefined) {
        headers['x-slack-retry-num'] = String(options.retryNum);
        headers['x-slack-retry-reason'] = 'http_timeout';
      }
      const started = performance.now();
      const res = await fetch(url, { method: 'POST', headers, body });
      const text = await res.text();
      const ms = performance.now() - started;
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      return { status: res.status, body: text, json, ms };
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}
