import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local HTTP server for job-board fakes: routes by method and path, records every request (with
 * its arrival time, to check spacing and Retry-After), and lets a test queue faults (429, 500,
 * invalid JSON, a response that never comes) in front of a route.
 */

export interface BoardRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** performance.now() when the request arrived. */
  at: number;
}

export interface BoardReply {
  status?: number;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  /** Never answer (until the server closes): a board that hangs. */
  hang?: boolean;
}

type Handler = (req: BoardRequest) => BoardReply | Promise<BoardReply>;

export interface BoardServer {
  url: string;
  requests: BoardRequest[];
  on(method: string, path: string | RegExp, handler: Handler): void;
  /** The next replies on `path`, one per request, before its handler answers again. */
  queue(path: string, ...replies: BoardReply[]): void;
  hits(path: string | RegExp): BoardRequest[];
  close(): Promise<void>;
}

const FIXTURES = new URL('../fixtures/boards/', import.meta.url);

export function fixtureText(name: string): string {
  return fs.readFileSync(new URL(name, FIXTURES), 'utf8');
}

export function fixture<T = unknown>(name: string): T {
  return JSON.parse(fixtureText(name)) as T;
}

function send(res: http.ServerResponse, reply: BoardReply) {
  const isText = typeof reply.body === 'string';
  const body = reply.body === undefined ? '' : isText ? (reply.body as string) : JSON.stringify(reply.body);
  res.writeHead(reply.status ?? 200, {
    'content-type':
      isText && body.trimStart().startsWith('<') ? 'text/html; charset=utf-8' : 'application/json',
    ...reply.headers,
  });
  res.end(body);
}

export async function startBoardServer(): Promise<BoardServer> {
  const routes: { method: string; path: string | RegExp; handler: Handler }[] = [];
  const queued = new Map<string, BoardReply[]>();
  const requests: BoardRequest[] = [];
  const matches = (pattern: string | RegExp, path: string) =>
    typeof pattern === 'string' ? pattern === path : pattern.test(path);

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const u = new URL(req.url ?? '/', 'http://localhost');
      const request: BoardRequest = {
        method: req.method ?? 'GET',
        path: u.pathname,
        query: u.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: performance.now(),
      };
      requests.push(request);
      const fault = queued.get(request.path)?.shift();
      if (fault?.hang) return;
      if (fault) return send(res, fault);
      const route = routes.find((r) => r.method === request.method && matches(r.path, request.path));
      if (!route) return send(res, { status: 404, body: { error: 'not found' } });
      try {
        const reply = await route.handler(request);
        if (!reply.hang) send(res, reply);
      } catch (err) {
        send(res, { status: 500, body: { error: String(err) } });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    on(method, path, handler) {
      routes.push({ method, path, handler });
    },
    queue(path, ...replies) {
      queued.set(path, [...(queued.get(path) ?? []), ...replies]);
    },
    hits: (path) => requests.filter((r) => matches(path, r.path)),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
