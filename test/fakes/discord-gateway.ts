import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Json } from './discord-payloads.ts';

/**
 * The gateway side of the fake Discord, plain JSON (discord.js asks for `encoding=json` and, without
 * zlib-sync installed, no compression): HELLO, HEARTBEAT ACK, IDENTIFY → READY + GUILD_CREATE,
 * RESUME → replay of what was missed + RESUMED, or INVALID_SESSION when the session is unknown.
 */

const EVENTS = JSON.parse(
  readFileSync(new URL('../fixtures/discord/gateway-events.json', import.meta.url), 'utf8'),
);

export interface GatewayConnection {
  /** Path and query the client connected with. */
  url: string;
  identify?: Json;
  resume?: Json;
}

export interface FakeGateway {
  url: string;
  connections: GatewayConnection[];
  heartbeats: number;
  /** READY or RESUMED frames sent so far: the client is (again) able to receive dispatches. */
  sessionsStarted: number;
  dispatch(t: string, d: Json): void;
  /** Closes the client's socket with this code; the client decides whether to resume. */
  drop(code: number): void;
  /** Tells the client its session is gone (op 9, not resumable): it must identify again. */
  invalidateSession(): void;
  /** Resolves once `ready()` holds, checked after every frame the fake receives or sends. */
  waitUntil(ready: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

interface Session {
  id: string;
  seq: number;
  log: { s: number; t: string; d: Json }[];
}

export function startFakeGateway(
  server: Server,
  options: { token: string; heartbeatIntervalMs?: number | undefined },
): FakeGateway {
  const wss = new WebSocketServer({ server });
  let socket: WebSocket | null = null;
  let session: Session | null = null;
  let live = false;
  const waiters: { ready: () => boolean; resolve: () => void }[] = [];

  const frame = (op: number, d: Json, s: number | null = null, t: string | null = null) =>
    JSON.stringify({ t, s, op, d });

  function changed() {
    for (const w of [...waiters]) {
      if (w.ready()) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  }

  function sessionStarted() {
    live = true;
    gateway.sessionsStarted++;
    changed();
  }

  function push(t: string, d: Json) {
    if (!session) throw new Error('fake gateway: no session to dispatch into');
    const s = ++session.seq;
    session.log.push({ s, t, d });
    if (live && socket) socket.send(frame(0, d, s, t));
  }

  function identify(ws: WebSocket, d: Json) {
    if (d?.token !== options.token) return ws.close(4004, 'Authentication failed.');
    session = { id: randomBytes(16).toString('hex'), seq: 0, log: [] };
    const ready = structuredClone(EVENTS.ready_assembled.d);
    ready.session_id = session.id;
    ready.resume_gateway_url = gateway.url;
    ready.shard = d.shard;
    socket = ws;
    live = true;
    push('READY', ready);
    push('GUILD_CREATE', structuredClone(EVENTS.guild_create_minimal_assembled.d));
    sessionStarted();
  }

  function resume(ws: WebSocket, d: Json) {
    if (d?.token !== options.token || !session || d.session_id !== session.id) {
      ws.send(frame(9, false));
      return;
    }
    socket = ws;
    for (const event of session.log.filter((e) => e.s > d.seq)) ws.send(frame(0, event.d, event.s, event.t));
    live = true;
    push('RESUMED', null);
    sessionStarted();
  }

  wss.on('connection', (ws, req) => {
    const connection: GatewayConnection = { url: req.url ?? '' };
    gateway.connections.push(connection);
    live = false;
    ws.send(frame(10, { heartbeat_interval: options.heartbeatIntervalMs ?? 45_000 }));
    ws.on('message', (raw) => {
      const { op, d } = JSON.parse(String(raw));
      if (op === 1) {
        gateway.heartbeats++;
        ws.send(frame(11, null));
        changed();
      } else if (op === 2) {
        connection.identify = d;
        identify(ws, d);
      } else if (op === 6) {
        connection.resume = d;
        resume(ws, d);
      }
    });
    ws.on('close', () => {
      if (socket === ws) {
        socket = null;
        live = false;
      }
    });
  });

  const gateway: FakeGateway = {
    url: '',
    connections: [],
    heartbeats: 0,
    sessionsStarted: 0,
    dispatch: push,
    drop(code) {
      const current = socket;
      socket = null;
      live = false;
      current?.close(code, 'fake Discord closed the connection');
    },
    invalidateSession() {
      socket?.send(frame(9, false));
      live = false;
    },
    waitUntil(ready, timeoutMs = 20_000) {
      if (ready()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error('fake gateway: the awaited state never came')),
          timeoutMs,
        );
        waiters.push({
          ready,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
  return gateway;
}
