import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseTelegramHtml } from './telegram-html.ts';
import {
  asMessage,
  BOT_INFO,
  BOT_TOKEN,
  type Markup,
  type StoredMessage,
  updateBuilders,
} from './telegram-updates.ts';

export {
  BOT_INFO,
  BOT_TOKEN,
  type StoredMessage,
  type TelegramChat,
  type TelegramUser,
} from './telegram-updates.ts';

/**
 * A local Telegram Bot API server for grammY to talk to (`client.apiRoot`): `POST /bot<token>/<method>`
 * answered with `{ok, result}` or `{ok: false, error_code, description, parameters}` and the same
 * HTTP status, as tdlib/telegram-bot-api does (see shared/reference/platforms/telegram-*.json).
 * It keeps the messages it was sent (so edits, "message is not modified" and button presses work
 * like the real thing), checks HTML parse mode the way the real parser does, serves `getUpdates`
 * from a queue with long polling, and can be told to fail the next calls (429, 403, …).
 */

export interface TelegramCall {
  method: string;
  params: Record<string, unknown>;
  /** ms since the fake started (performance.now based). */
  at: number;
  status: number;
  body: Record<string, unknown>;
}

export interface ApiFailure {
  status: number;
  description: string;
  retryAfter?: number;
}

export const FAILURES = {
  tooManyRequests: (retryAfter = 1): ApiFailure => ({
    status: 429,
    description: `Too Many Requests: retry after ${retryAfter}`,
    retryAfter,
  }),
  blocked: { status: 403, description: 'Forbidden: bot was blocked by the user' } as ApiFailure,
  deactivated: { status: 403, description: 'Forbidden: user is deactivated' } as ApiFailure,
  chatNotFound: { status: 400, description: 'Bad Request: chat not found' } as ApiFailure,
  internal: { status: 500, description: 'Internal Server Error: restart' } as ApiFailure,
};

const bad = (description: string): ApiFailure => ({
  status: 400,
  description: `Bad Request: ${description}`,
});

export type FakeTelegram = Awaited<ReturnType<typeof startFakeTelegram>>;

/** Telegram's flood control for bots: about 30 messages a second overall, 1 a second per chat. */
export interface RateLimits {
  perSecond: number;
  perChatPerSecond: number;
}

/**
 * Counts the messages accepted in the last second, overall and per chat; a message over either
 * limit is refused with 429 and retry_after (whole seconds, as Telegram sends it) until room frees.
 */
function floodControl(limits: RateLimits) {
  const recent: { at: number; chat: string }[] = [];
  return (chatId: unknown, now: number): ApiFailure | null => {
    while (recent.length && recent[0]!.at <= now - 1000) recent.shift();
    const chat = String(chatId);
    const inChat = recent.filter((r) => r.chat === chat);
    const over =
      recent.length >= limits.perSecond
        ? recent[recent.length - limits.perSecond]!
        : inChat.length >= limits.perChatPerSecond
          ? inChat[inChat.length - limits.perChatPerSecond]!
          : null;
    if (over) return FAILURES.tooManyRequests(Math.max(1, Math.ceil((over.at + 1000 - now) / 1000)));
    recent.push({ at: now, chat });
    return null;
  };
}

const SENDING_METHODS = new Set(['sendmessage', 'editmessagetext', 'editmessagereplymarkup']);

export async function startFakeTelegram(options: { token?: string; rateLimits?: RateLimits } = {}) {
  const token = options.token ?? BOT_TOKEN;
  const flood = options.rateLimits ? floodControl(options.rateLimits) : null;
  const t0 = performance.now();
  const events = new EventEmitter();
  const calls: TelegramCall[] = [];
  const messages = new Map<string, StoredMessage>();
  const nextMessageId = new Map<number, number>();
  const failures: { method: string; failure: ApiFailure; when: (p: Record<string, unknown>) => boolean }[] =
    [];
  const queue: Record<string, unknown>[] = [];
  const answered = new Set<string>();
  const callbacks = new Set<string>();
  let webhook: { url: string; secret_token?: string } | null = null;

  const key = (chatId: unknown, messageId: unknown) => `${chatId}:${messageId}`;

  function store(params: Record<string, unknown>, existing?: StoredMessage): StoredMessage | ApiFailure {
    const html = String(params.text ?? '');
    let parsed = { text: html, links: [] as string[] };
    if (params.parse_mode === 'HTML') {
      try {
        parsed = parseTelegramHtml(html);
      } catch (err) {
        return bad(`can't parse entities: ${(err as Error).message}`);
      }
    }
    if (!parsed.text.trim()) return bad('message text is empty');
    if (parsed.text.length > 4096) return bad('message is too long');
    const markup = params.reply_markup as Markup | undefined;
    for (const button of markup?.inline_keyboard?.flat() ?? []) {
      if (button.callback_data !== undefined && Buffer.byteLength(button.callback_data) > 64)
        return bad('BUTTON_DATA_INVALID');
      if (button.url !== undefined && !/^https?:\/\/[^\s"<>]+$/.test(button.url))
        return bad(`inline keyboard button URL '${button.url}' is invalid: Wrong HTTP URL`);
    }
    const chatId = Number(params.chat_id);
    if (existing) {
      if (existing.html === html && JSON.stringify(existing.markup) === JSON.stringify(markup))
        return bad(
          'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
        );
      Object.assign(existing, {
        text: parsed.text,
        html,
        links: parsed.links,
        markup,
        edits: existing.edits + 1,
      });
      return existing;
    }
    const messageId = (nextMessageId.get(chatId) ?? 1000) + 1;
    nextMessageId.set(chatId, messageId);
    const message = { chatId, messageId, text: parsed.text, html, links: parsed.links, markup, edits: 0 };
    messages.set(key(chatId, messageId), message);
    return message;
  }

  /** One Bot API method: the result, or a failure. */
  function answer(method: string, p: Record<string, unknown>): unknown | ApiFailure {
    switch (method) {
      case 'getme':
        return BOT_INFO;
      case 'setmycommands':
      case 'deletewebhook':
        if (method === 'deletewebhook') webhook = null;
        return true;
      case 'setwebhook':
        webhook = { url: String(p.url), ...(p.secret_token ? { secret_token: String(p.secret_token) } : {}) };
        return true;
      case 'sendmessage': {
        const m = store(p);
        return 'status' in m ? m : asMessage(m);
      }
      case 'editmessagetext':
      case 'editmessagereplymarkup': {
        const existing = messages.get(key(p.chat_id, p.message_id));
        if (!existing) return bad('message to edit not found');
        const next = method === 'editmessagetext' ? p : { ...p, text: existing.html, parse_mode: 'HTML' };
        const m = store({ ...next, chat_id: existing.chatId }, existing);
        return 'status' in m ? m : asMessage(m);
      }
      case 'answercallbackquery': {
        const id = String(p.callback_query_id);
        if (!callbacks.has(id) || answered.has(id))
          return bad('query is too old and response timeout expired or query ID is invalid');
        answered.add(id);
        return true;
      }
      default:
        return { status: 404, description: 'Not Found: method not found' };
    }
  }

  function respond(res: http.ServerResponse, status: number, body: Record<string, unknown>) {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    const retryAfter = (body.parameters as { retry_after?: number } | undefined)?.retry_after;
    if (retryAfter) headers['Retry-After'] = String(retryAfter);
    res.writeHead(status, headers).end(JSON.stringify(body));
  }

  function failureBody(f: ApiFailure) {
    return {
      ok: false,
      error_code: f.status,
      description: f.description,
      ...(f.retryAfter ? { parameters: { retry_after: f.retryAfter } } : {}),
    };
  }

  function record(
    method: string,
    params: Record<string, unknown>,
    status: number,
    body: Record<string, unknown>,
  ) {
    const call = { method, params, at: performance.now() - t0, status, body };
    calls.push(call);
    events.emit('call', call);
    return call;
  }

  /** Long polling: answers at once when updates wait, else when one arrives or `timeout` s pass. */
  function getUpdates(p: Record<string, unknown>, res: http.ServerResponse) {
    const offset = Number(p.offset ?? 0);
    while (queue.length && Number(queue[0]!.update_id) < offset) queue.shift();
    // Recorded on arrival (a long poll may wait); its result is filled in when it answers.
    const call = record('getUpdates', p, 200, { ok: true, result: [] });
    const send = () => {
      call.body.result = queue.splice(0, Math.max(1, Math.min(100, Number(p.limit ?? 100))));
      respond(res, 200, call.body);
    };
    if (queue.length) return send();
    const done = () => {
      clearTimeout(timer);
      events.off('update', onUpdate);
    };
    const onUpdate = () => {
      done();
      send();
    };
    const timer = setTimeout(onUpdate, Number(p.timeout ?? 0) * 1000);
    events.on('update', onUpdate);
    res.on('close', done);
  }

  async function readParams(req: http.IncomingMessage, url: URL): Promise<Record<string, unknown>> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
    if (!raw) return params;
    if ((req.headers['content-type'] ?? '').includes('application/json'))
      return { ...params, ...JSON.parse(raw) };
    for (const [k, v] of new URLSearchParams(raw)) params[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
    return params;
  }

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
    if (!m) return respond(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    if (m[1] !== token)
      return respond(res, 401, {
        ok: false,
        error_code: 401,
        description: 'Unauthorized: invalid token specified',
      });
    const method = m[2]!;
    const params = await readParams(req, url).catch(() => null);
    if (!params) return respond(res, 400, failureBody(bad("can't parse JSON encoded request body")));
    if (method.toLowerCase() === 'getupdates') return getUpdates(params, res);
    const i = failures.findIndex((f) => f.method === method.toLowerCase() && f.when(params));
    const limited =
      i < 0 && flood && SENDING_METHODS.has(method.toLowerCase())
        ? flood(params.chat_id, performance.now())
        : null;
    const result =
      i >= 0 ? failures.splice(i, 1)[0]!.failure : (limited ?? answer(method.toLowerCase(), params));
    const failed =
      typeof result === 'object' && result !== null && 'status' in result && 'description' in result;
    const body = failed ? failureBody(result as ApiFailure) : { ok: true, result };
    const status = failed ? (result as ApiFailure).status : 200;
    record(method, params, status, body);
    respond(res, status, body);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  function waitFor(predicate: (c: TelegramCall) => boolean, timeoutMs = 10_000): Promise<TelegramCall> {
    const found = calls.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        events.off('call', onCall);
        reject(
          new Error(
            `no matching Telegram call within ${timeoutMs} ms; got ${calls.map((c) => c.method).join(', ')}`,
          ),
        );
      }, timeoutMs);
      const onCall = (c: TelegramCall) => {
        if (!predicate(c)) return;
        clearTimeout(timer);
        events.off('call', onCall);
        resolve(c);
      };
      events.on('call', onCall);
    });
  }

  const updates = updateBuilders({ registerCallback: (id) => callbacks.add(id) });

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    calls,
    messages,
    get webhook() {
      return webhook;
    },
    waitFor,
    /** Answers the next call of `method` (whose params pass `when`) with this failure, `times` times. */
    fail(
      method: string,
      failure: ApiFailure,
      opts: { times?: number; when?: (p: Record<string, unknown>) => boolean } = {},
    ) {
      for (let n = 0; n < (opts.times ?? 1); n++)
        failures.push({ method: method.toLowerCase(), failure, when: opts.when ?? (() => true) });
    },
    /** Queues an update for getUpdates (long polling). */
    push(update: Record<string, unknown>) {
      queue.push(update);
      events.emit('update');
    },
    /** Messages in a chat, oldest first. */
    chat(chatId: number): StoredMessage[] {
      return [...messages.values()]
        .filter((m) => m.chatId === chatId)
        .sort((a, b) => a.messageId - b.messageId);
    },
    /** Calls made since index `from` (see `calls.length`). */
    since(from: number) {
      return calls.slice(from);
    },
    isAnswered: (callbackQueryId: string) => answered.has(callbackQueryId),
    ...updates,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
