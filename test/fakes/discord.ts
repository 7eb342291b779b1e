import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FakeGateway, startFakeGateway } from './discord-gateway.ts';
import {
  APPLICATION_ID,
  commandData,
  commandsProblem,
  editMessage,
  interaction,
  type Json,
  makeMessage,
  makeUser,
  messageProblem,
  modalProblem,
  modalSubmitData,
  snowflake,
  type Where,
} from './discord-payloads.ts';

/**
 * A local Discord for the real discord.js client: REST under `/api/v10` (`DISCORD_API_URL` =
 * `apiUrl`) and the gateway WebSocket on the same port (`GET /gateway/bot` names it). It keeps
 * messages as Discord would, enforces the 3-second answer and the interaction token's lifetime,
 * checks every message and modal against Discord's limits (400, code 50035), and can be scripted
 * to fail the next matching request (429 with Retry-After, 403 50007, …).
 */

export interface RecordedRequest {
  method: string;
  /** Without the `/api/v10` prefix, e.g. `/interactions/1/abc/callback`. */
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
  body: Json;
  /** performance.now() when it arrived. */
  at: number;
  status: number;
  /** What the fake answered (a message for message routes). */
  response: Json;
}

/** An interaction the fake dispatched, and (live) what the bot has done with it. */
export interface SentInteraction {
  id: string;
  token: string;
  /** performance.now() when it was dispatched. */
  at: number;
  payload: Json;
  /** Callback type of the first answer (4 reply, 5 defer, 7 update, 9 modal), null before. */
  acknowledged: number | null;
  /** The message the reply created (types 4 and 5). */
  originalMessageId: string | null;
  followUpIds: string[];
}

interface InteractionState extends SentInteraction {
  messageId: string | null;
  channelId: string;
}

type Reply = { status: number; body?: Json; headers?: Record<string, string> };

export interface FakeDiscordOptions {
  token: string;
  heartbeatIntervalMs?: number;
  /** Discord: 3 s to acknowledge an interaction. */
  ackDeadlineMs?: number;
  /** Discord: an interaction token works for 15 minutes. */
  tokenTtlMs?: number;
}

export interface FakeDiscord {
  apiUrl: string;
  gateway: FakeGateway;
  requests: RecordedRequest[];
  messages: Map<string, Json>;
  /** Users whose DMs are closed: messages to their DM channel fail with 50007. */
  closedDms: Set<string>;
  modals: Json[];
  user(name: string): Json;
  dmChannelOf(user: Json): string;
  slash(
    user: Json,
    where: Where,
    name: string,
    sub?: string,
    options?: Record<string, string | number>,
  ): SentInteraction;
  click(user: Json, where: Where, messageId: string, customId: string): SentInteraction;
  /** A pick in a string select menu of a message. */
  select(user: Json, where: Where, messageId: string, customId: string, values: string[]): SentInteraction;
  submitModal(user: Json, where: Where, modal: Json, values: Record<string, string>): SentInteraction;
  /** Dispatches a payload again (a duplicate delivery of the same interaction). */
  redeliver(sent: SentInteraction): void;
  /** The next request matching `match` gets `reply` instead of its normal answer. */
  failNext(match: (r: { method: string; path: string }) => boolean, reply: Reply): void;
  /** Requests matching `match` are answered `ms` later (0 removes the delay): slow Discord. */
  slowDown(match: (r: { method: string; path: string }) => boolean, ms: number): void;
  /** Requests that arrived and are not answered yet (held by slowDown). */
  readonly pending: number;
  /** Resolves with the first recorded request (past or future) that matches. */
  waitFor(match: (r: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  callsOf(sent: SentInteraction): RecordedRequest[];
  close(): Promise<void>;
}

const rateLimitHeaders = {
  'X-RateLimit-Limit': '5',
  'X-RateLimit-Remaining': '0',
  'X-RateLimit-Bucket': 'abcd1234',
};

export function rateLimited(seconds: number): Reply {
  return {
    status: 429,
    headers: {
      ...rateLimitHeaders,
      'Retry-After': String(seconds),
      'X-RateLimit-Reset-After': String(seconds),
      'X-RateLimit-Scope': 'user',
    },
    body: { message: 'You are being rate limited.', retry_after: seconds, global: false },
  };
}

export const cannotMessageUser: Reply = {
  status: 403,
  body: { message: 'Cannot send messages to this user', code: 50007 },
};

const error = (status: number, code: number, message: string): Reply => ({ status, body: { message, code } });
const unknownMessage = error(404, 10008, 'Unknown Message');

export async function startFakeDiscord(options: FakeDiscordOptions): Promise<FakeDiscord> {
  const requests: RecordedRequest[] = [];
  const messages = new Map<string, Json>();
  const interactions = new Map<string, InteractionState>();
  const dmChannels = new Map<string, string>();
  const closedDms = new Set<string>();
  const modals: Json[] = [];
  const scripted: { match: (r: { method: string; path: string }) => boolean; reply: Reply }[] = [];
  let slow: { match: (r: { method: string; path: string }) => boolean; ms: number } | undefined;
  let pending = 0;
  const waiters: { match: (r: RecordedRequest) => boolean; resolve: (r: RecordedRequest) => void }[] = [];
  const ackDeadline = options.ackDeadlineMs ?? 3000;
  const tokenTtl = options.tokenTtlMs ?? 15 * 60_000;

  const server = createServer((req, res) => void serve(req, res));
  const gateway = startFakeGateway(server, {
    token: options.token,
    heartbeatIntervalMs: options.heartbeatIntervalMs,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  gateway.url = `ws://127.0.0.1:${port}`;

  function dmChannelOf(user: Json): string {
    let id = dmChannels.get(user.id);
    if (!id) {
      id = snowflake();
      dmChannels.set(user.id, id);
    }
    return id;
  }

  function byToken(token: string): InteractionState | undefined {
    for (const state of interactions.values()) if (state.token === token) return state;
    return undefined;
  }

  function callback(state: InteractionState | undefined, token: string, body: Json, at: number): Reply {
    if (!state || state.token !== token || at - state.at > ackDeadline)
      return error(404, 10062, 'Unknown interaction');
    if (state.acknowledged !== null) return error(400, 40060, 'Interaction has already been acknowledged.');
    const data = body.data ?? {};
    const problem =
      body.type === 9 ? modalProblem(data) : body.type === 4 || body.type === 7 ? messageProblem(data) : null;
    if (problem) return error(400, 50035, `Invalid Form Body: ${problem}`);
    state.acknowledged = body.type;
    if (body.type === 4 || body.type === 5) {
      const flags = (data.flags ?? 0) | (body.type === 5 ? 128 : 0);
      const message = makeMessage(
        state.channelId,
        { ...data, flags },
        { type: 20, application_id: APPLICATION_ID },
      );
      messages.set(message.id, message);
      state.originalMessageId = message.id;
    } else if (body.type === 7 && state.messageId) {
      messages.set(state.messageId, editMessage(messages.get(state.messageId), data));
    } else if (body.type === 9) {
      modals.push(data);
    }
    return { status: 204 };
  }

  function webhook(method: string, token: string, target: string | undefined, body: Json): Reply {
    const state = byToken(token);
    if (!state) return error(404, 10015, 'Unknown Webhook');
    if (performance.now() - state.at > tokenTtl) return error(401, 50027, 'Invalid Webhook Token');
    if (state.acknowledged === null) return error(404, 10008, 'Unknown Message');
    const problem = messageProblem(body);
    if (problem) return error(400, 50035, `Invalid Form Body: ${problem}`);
    if (method === 'PATCH' && target === '@original') {
      const original = state.originalMessageId && messages.get(state.originalMessageId);
      if (!original) return error(404, 10008, 'Unknown Message');
      const edited = editMessage(original, body);
      messages.set(edited.id, edited);
      return { status: 200, body: edited };
    }
    if (method === 'POST' && target === undefined) {
      const message = makeMessage(state.channelId, body, {
        application_id: APPLICATION_ID,
        webhook_id: APPLICATION_ID,
      });
      messages.set(message.id, message);
      state.followUpIds.push(message.id);
      return { status: 200, body: message };
    }
    return error(405, 0, '405: Method Not Allowed');
  }

  function route(method: string, path: string, auth: string | undefined, body: Json, at: number): Reply {
    let m = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path);
    if (m && method === 'POST') return callback(interactions.get(m[1]!), m[2]!, body, at);
    m = /^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/([^/]+))?$/.exec(path);
    if (m) return webhook(method, m[2]!, m[3], body);
    if (auth !== `Bot ${options.token}`) return error(401, 0, '401: Unauthorized');
    if (method === 'GET' && path === '/gateway/bot') {
      return {
        status: 200,
        body: {
          url: gateway.url,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 14400000, max_concurrency: 1 },
        },
      };
    }
    if (method === 'POST' && path === '/users/@me/channels') {
      const user = { id: String(body.recipient_id) };
      return {
        status: 200,
        body: { id: dmChannelOf(user), type: 1, last_message_id: null, flags: 0, recipients: [user] },
      };
    }
    m = /^\/channels\/(\d+)\/messages(?:\/(\d+))?$/.exec(path);
    if (m) {
      const dmOf = [...dmChannels].find(([, channel]) => channel === m![1])?.[0];
      if (dmOf && closedDms.has(dmOf)) return cannotMessageUser;
      const existing = m[2] && messages.get(m[2]);
      if (method === 'GET' && m[2]) return existing ? { status: 200, body: existing } : unknownMessage;
      const problem = messageProblem(body);
      if (problem) return error(400, 50035, `Invalid Form Body: ${problem}`);
      if (method === 'POST' && !m[2]) {
        const message = makeMessage(m[1]!, body);
        messages.set(message.id, message);
        return { status: 200, body: message };
      }
      if (method === 'PATCH' && existing)
        return { status: 200, body: messages.set(m[2]!, editMessage(existing, body)).get(m[2]!) };
      return unknownMessage;
    }
    m = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path);
    if (m && method === 'PUT') {
      if (m[1] !== APPLICATION_ID) return error(403, 50001, 'Missing Access');
      const problem = commandsProblem(body);
      if (problem) return error(400, 50035, `Invalid Form Body: ${problem}`);
      return {
        status: 200,
        body: (body as Json[]).map((c) => ({
          id: snowflake(),
          application_id: m![1],
          version: snowflake(),
          ...c,
        })),
      };
    }
    return error(404, 0, '404: Not Found');
  }

  async function serve(req: IncomingMessage, res: ServerResponse) {
    const at = performance.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v10/, '');
    const method = req.method ?? 'GET';
    const body = raw ? JSON.parse(raw) : null;
    if (slow?.match({ method, path })) {
      pending++;
      await new Promise((r) => setTimeout(r, slow!.ms));
      pending--;
    }
    const index = scripted.findIndex((s) => s.match({ method, path }));
    const reply =
      index >= 0
        ? scripted.splice(index, 1)[0]!.reply
        : route(method, path, req.headers.authorization, body, at);
    const recorded: RecordedRequest = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
      body,
      at,
      status: reply.status,
      response: reply.body,
    };
    requests.push(recorded);
    const type = reply.body === undefined ? {} : { 'Content-Type': 'application/json' };
    res.writeHead(reply.status, { ...type, ...reply.headers });
    res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
    for (const w of [...waiters]) {
      if (w.match(recorded)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(recorded);
      }
    }
  }

  function send(payload: Json, extra: { messageId?: string } = {}): SentInteraction {
    const state: InteractionState = {
      id: payload.id,
      token: payload.token,
      at: performance.now(),
      payload,
      acknowledged: null,
      originalMessageId: null,
      followUpIds: [],
      messageId: extra.messageId ?? null,
      channelId: payload.channel.id,
    };
    interactions.set(payload.id, state);
    gateway.dispatch('INTERACTION_CREATE', payload);
    return state;
  }

  /**
   * A click on a component of a message the fake holds. Its custom id may be one the message does
   * not show (a forged or stale click); a menu's picked values must be among its options.
   */
  function component(user: Json, where: Where, messageId: string, data: Json): SentInteraction {
    const message = messages.get(messageId);
    if (!message) throw new Error(`no message ${messageId}`);
    const shown = message.components.flatMap((row: Json) => row.components);
    const target = shown.find((c: Json) => c.custom_id === data.custom_id);
    if (data.values && !data.values.every((v: string) => target?.options?.some((o: Json) => o.value === v)))
      throw new Error(`the menu ${data.custom_id} offers no ${data.values.join(', ')}`);
    const payload = interaction(where, user, dmChannelOf(user), 3, { ...data, id: target?.id ?? 2 });
    payload.message = structuredClone(message);
    return send(payload, { messageId });
  }

  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    gateway,
    requests,
    messages,
    closedDms,
    modals,
    user: makeUser,
    dmChannelOf,
    slash: (user, where, name, sub, opts) =>
      send(interaction(where, user, dmChannelOf(user), 2, commandData(name, sub, opts))),
    click: (user, where, messageId, customId) =>
      component(user, where, messageId, { component_type: 2, custom_id: customId }),
    select: (user, where, messageId, customId, values) =>
      component(user, where, messageId, { component_type: 3, custom_id: customId, values }),
    submitModal: (user, where, modal, values) =>
      send(interaction(where, user, dmChannelOf(user), 5, modalSubmitData(modal, values))),
    redeliver(sent) {
      gateway.dispatch('INTERACTION_CREATE', sent.payload);
    },
    failNext(match, reply) {
      scripted.push({ match, reply });
    },
    slowDown(match, ms) {
      slow = ms > 0 ? { match, ms } : undefined;
    },
    get pending() {
      return pending;
    },
    waitFor(match, timeoutMs = 20_000) {
      const found = requests.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error('fake Discord: the awaited request never came')),
          timeoutMs,
        );
        waiters.push({
          match,
          resolve: (r) => {
            clearTimeout(timer);
            resolve(r);
          },
        });
      });
    },
    callsOf: (sent) => requests.filter((r) => r.path.includes(`/${sent.token}`)),
    async close() {
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
