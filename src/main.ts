import type { FastifyInstance } from 'fastify';
import { buildHttpApp, type RawHandler } from './api/server.ts';
import { type Config, platformStatus } from './config.ts';
import { type Database, openDatabase } from './db/database.ts';
import type { Logger } from './log.ts';
import { type Queues, startQueues } from './pipeline/queues.ts';

/**
 * The composition root: config → database → queues → pipeline workers → bots → HTTP. Every client
 * is built here and passed down; nothing is created at import time.
 */

export type Role = 'all' | 'web' | 'worker';

export interface RunningApp {
  config: Config;
  db: Database;
  queues: Queues;
  http: FastifyInstance | undefined;
  /** Base URL of the HTTP server, when this role serves HTTP. */
  url: string | undefined;
  stop(): Promise<void>;
}

export interface StartOptions {
  role?: Role;
  logger: Logger;
  /** Where the start-up summary goes (a terminal line per fact). */
  print?: (line: string) => void;
}

export async function startApp(config: Config, options: StartOptions): Promise<RunningApp> {
  const { logger } = options;
  const role = options.role ?? 'all';
  const print = options.print ?? (() => {});
  const serveHttp = role !== 'worker';
  const runWorkers = role !== 'web';

  const db = await openDatabase(config, logger);
  const stack: (() => Promise<void>)[] = [() => db.close()];
  const stopAll = async () => {
    for (const stop of stack.reverse()) {
      try {
        await stop();
      } catch (err) {
        logger.error({ err }, 'error while stopping');
      }
    }
    stack.length = 0;
  };

  try {
    const queues = await startQueues({ url: db.url, logger, schedule: runWorkers });
    stack.push(() => queues.stop(config.shutdownTimeoutMs));

    let http: FastifyInstance | undefined;
    let url: string | undefined;
    if (serveHttp) {
      const rawRoutes = new Map<string, RawHandler>();
      http = buildHttpApp({
        logger,
        rawRoutes,
        checks: [
          { name: 'database', check: async () => void (await db.pool.query('select 1')) },
          { name: 'queue', check: async () => void (await queues.boss.getDb().executeSql('select 1')) },
        ],
      });
      await http.listen({ port: config.http.port, host: '0.0.0.0' });
      const address = http.server.address();
      const port = typeof address === 'object' && address ? address.port : config.http.port;
      url = `http://localhost:${port}`;
      const server = http;
      // Closed first on shutdown (pushed last): no new requests while the queue drains.
      stack.push(() => server.close());
    }

    printSummary(config, { role, url, db, print });
    return { config, db, queues, http, url, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

function printSummary(
  config: Config,
  facts: { role: Role; url: string | undefined; db: Database; print: (line: string) => void },
) {
  const { print, db } = facts;
  print('JobPing is running');
  if (facts.url) print(`  server     ${facts.url}  (health ${facts.url}/healthz, ready ${facts.url}/readyz)`);
  print(
    db.embedded
      ? `  database   embedded PostgreSQL, data in ${db.embedded.dataDir} (127.0.0.1:${db.embedded.port})`
      : `  database   ${redactUrl(db.url)}`,
  );
  print(`  data dir   ${config.db.dataDir}`);
  print(`  role       ${facts.role}`);
  for (const [name, status] of Object.entries(platformStatus(config))) {
    print(`  ${name.padEnd(10)} ${status.enabled ? `on (${status.mode})` : `off: ${status.reason}`}`);
  }
  print(
    `  analyzer   ${config.openai.apiKey ? `OpenAI ${config.openai.model}` : 'built-in heuristic (OPENAI_API_KEY is not set)'}`,
  );
  print('Press Ctrl-C to stop.');
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}
