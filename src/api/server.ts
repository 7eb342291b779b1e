import http from 'node:http';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from '../log.ts';

/**
 * The one HTTP server on PORT: health, admin API, Slack events, Telegram webhook. Fastify serves
 * everything except paths claimed by a raw Node handler (Bolt's request listener verifies Slack
 * signatures against the untouched body, so it must see the request before any body parser does).
 */

export type RawHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** A named dependency probe for /readyz; resolves when reachable, rejects otherwise. */
export type ReadinessCheck = { name: string; check: () => Promise<void> };

export interface HttpAppOptions {
  logger: Logger;
  checks: ReadinessCheck[];
  /** Path (exact, without query) → raw handler, served before Fastify sees the request. */
  rawRoutes?: Map<string, RawHandler>;
  bodyLimit?: number;
  /** Behind a reverse proxy (Fly): take the client's address from X-Forwarded-For. */
  trustProxy?: boolean;
}

/**
 * Raw handlers read whole bodies into memory (Bolt does), so the size limit Fastify applies to its
 * own routes is applied here first: a declared length over the limit gets 413 before anything is
 * read, and a body without a declared length is cut off at the limit.
 */
function limitBody(handler: RawHandler, limit: number): RawHandler {
  return (req, res) => {
    const declared = Number(req.headers['content-length'] ?? Number.NaN);
    const tooLarge = () => {
      if (!res.headersSent)
        res.writeHead(413, { 'content-type': 'text/plain', connection: 'close' }).end('Payload Too Large');
    };
    if (declared > limit) {
      tooLarge();
      req.resume();
      return;
    }
    if (Number.isNaN(declared)) {
      let seen = 0;
      req.on('data', (chunk: Buffer) => {
        seen += chunk.length;
        if (seen > limit) {
          tooLarge();
          req.destroy();
        }
      });
    }
    handler(req, res);
  };
}

export function buildHttpApp(options: HttpAppOptions): FastifyInstance {
  const rawRoutes = options.rawRoutes ?? new Map<string, RawHandler>();
  const bodyLimit = options.bodyLimit ?? 1024 * 1024;
  const app = Fastify({
    trustProxy: options.trustProxy ?? false,
    loggerInstance: options.logger.child({ component: 'http' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit,
    serverFactory: (handler) =>
      http.createServer((req, res) => {
        const path = (req.url ?? '/').split('?')[0]!;
        const raw = rawRoutes.get(path);
        if (raw) limitBody(raw, bodyLimit)(req, res);
        else handler(req, res);
      }),
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_req, reply) => {
    const results = await Promise.all(
      options.checks.map(async ({ name, check }) => {
        try {
          await withTimeout(check(), 3000);
          return [name, 'ok'] as const;
        } catch (err) {
          return [name, `unavailable: ${(err as Error).message}`] as const;
        }
      }),
    );
    const ready = results.every(([, state]) => state === 'ok');
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(results) });
  });

  return app;
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
