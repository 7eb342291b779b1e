import type { FastifyInstance } from 'fastify';
import OpenAI from 'openai';
import { registerAdminApi } from './api/admin.ts';
import type { AdminAuth } from './api/auth.ts';
import { buildHttpApp, type RawHandler } from './api/server.ts';
import { describeAdmin, resolveAdminAuth } from './api/token.ts';
import type { BotDeps } from './bots/handlers.ts';
import type { RunningPlatform } from './bots/platform.ts';
import { platformStarters } from './bots/platforms.ts';
import { type Config, platformStatus } from './config.ts';
import { type Analyzer, type Clock, type FetchFn, type Messenger, systemClock } from './core/ports.ts';
import type { Platform } from './core/types.ts';
import { type Database, openDatabase } from './db/database.ts';
import { recordJobDurations } from './db/job-durations.ts';
import type { Logger } from './log.ts';
import { createHeuristicAnalyzer } from './pipeline/analyze/heuristic.ts';
import { createOpenAIAnalyzer } from './pipeline/analyze/openai.ts';
import { type Queues, startQueues } from './pipeline/queues.ts';
import { boardKinds, buildSourceDeps } from './pipeline/sources/kinds.ts';
import { createSourceRegistry, type SourceKind, type SourceRegistry } from './pipeline/sources/registry.ts';
import { sampleKind } from './pipeline/sources/sample.ts';
import { startPipelineWorkers } from './pipeline/workers.ts';

/**
 * The composition root: config → database → queues → pipeline workers → bots → HTTP. Every client
 * is built here and passed down; nothing is created at import time.
 */

export type Role = 'all' | 'web' | 'worker';
/** full: admin API, chat webhooks, health; health: /healthz and /readyz only; none: no server. */
type HttpMode = 'full' | 'health' | 'none';

export interface RunningApp {
  config: Config;
  db: Database;
  queues: Queues;
  sources: SourceRegistry;
  /** Chat platforms that can deliver alerts from this process (the console registers itself). */
  messengers: Map<Platform, Messenger>;
  bot: BotDeps;
  http: FastifyInstance | undefined;
  /** Base URL of the HTTP server, when this process serves HTTP. */
  url: string | undefined;
  stop(): Promise<void>;
}

export interface StartOptions {
  role?: Role;
  logger: Logger;
  /** Where the start-up summary goes (one line per fact). */
  print?: (line: string) => void;
  /**
   * true: the whole HTTP server, even in the worker role; false: none (`jobping chat`, `jobping
   * fetch`). By default the web and all roles serve it all, and a worker only /healthz and
   * /readyz, so its container's health check (Dockerfile, fly.toml) has something to ask.
   */
  http?: boolean;
  /**
   * Receive chat events (gateway, polling, webhooks); default: every role but worker. One-off
   * commands (`jobping chat`, `jobping fetch`) only send: they must not take over polling or a
   * gateway session from the running service.
   */
  receive?: boolean;
  clock?: Clock;
  fetch?: FetchFn;
  /** Tests and benchmarks tune queue polling; production keeps pg-boss's defaults. */
  pollingIntervalSeconds?: number;
  spies?: boolean;
  /** Run pg-boss's cron pass here (FETCH_CRON, the dispatcher); tests trigger those jobs themselves. */
  cron?: boolean;
  /** Source kinds beyond the built-in ones (tests add boards of their own). */
  sourceKinds?: SourceKind[];
}

export function buildAnalyzer(config: Config): Analyzer {
  if (!config.openai.apiKey) return createHeuristicAnalyzer();
  const client = new OpenAI({ apiKey: config.openai.apiKey, baseURL: config.openai.baseUrl, maxRetries: 0 });
  return createOpenAIAnalyzer({ client, model: config.openai.model, timeoutMs: config.openai.timeoutMs });
}

/** The bundled sample, every board, then `extra` (later kinds replace earlier ones of the same name). */
export function buildSourceRegistry(
  config: Config,
  deps: Parameters<typeof buildSourceDeps>[1],
  extra: SourceKind[] = [],
) {
  return createSourceRegistry([sampleKind, ...boardKinds(buildSourceDeps(config, deps)), ...extra]);
}

export async function startApp(config: Config, options: StartOptions): Promise<RunningApp> {
  const { logger } = options;
  const role = options.role ?? 'all';
  const print = options.print ?? (() => {});
  const httpMode: HttpMode =
    options.http === undefined ? (role === 'worker' ? 'health' : 'full') : options.http ? 'full' : 'none';
  const runWorkers = role !== 'web';
  const clock = options.clock ?? systemClock;

  const db = await openDatabase(config, logger);
  let startedQueues: Queues | undefined;
  const platforms: RunningPlatform[] = [];
  let listening: FastifyInstance | undefined;
  const step = async (what: string, stop: () => Promise<void>) => {
    try {
      await stop();
    } catch (err) {
      logger.error({ err }, `error while stopping ${what}`);
    }
  };
  /**
   * Each step keeps alive what the earlier ones still need: the HTTP server closes first (no new
   * requests); platforms stop receiving and finish the events in hand, which may still queue
   * jobs; the queue stops taking jobs and lets running ones finish (SHUTDOWN_TIMEOUT_MS), with
   * every platform still able to send their alerts; only then are the platforms' senders
   * released, and the database closed last.
   */
  let stopping: Promise<void> | undefined;
  const stopAll = () => {
    stopping ??= (async () => {
      const server = listening;
      if (server) await step('the HTTP server', () => server.close());
      for (const platform of [...platforms].reverse())
        await step(`${platform.platform}: receiving`, () => platform.stop());
      const queue = startedQueues;
      if (queue) await step('the queue', () => queue.stop(config.shutdownTimeoutMs));
      for (const platform of [...platforms].reverse())
        if (platform.close) await step(`${platform.platform}: sending`, () => platform.close!());
      await step('the database', () => db.close());
    })();
    return stopping;
  };

  try {
    const queues = await startQueues({
      url: db.url,
      logger,
      schedule: runWorkers && (options.cron ?? true),
      spies: options.spies,
      monitorIntervalSeconds: config.queue.monitorSeconds,
      recordDurations: (timings) => recordJobDurations(db.pool, timings),
    });
    startedQueues = queues;
    const sources = buildSourceRegistry(config, { pool: db.pool, clock }, options.sourceKinds);
    const messengers = new Map<Platform, Messenger>();
    const bot: BotDeps = { pool: db.pool, queues, clock, logger, describeSource: sources.describe };

    let http: FastifyInstance | undefined;
    let admin: AdminAuth | undefined;
    const rawRoutes = new Map<string, RawHandler>();
    if (httpMode !== 'none') {
      http = buildHttpApp({
        logger,
        rawRoutes,
        trustProxy: config.http.trustProxy,
        checks: [
          { name: 'database', check: async () => void (await db.pool.query('select 1')) },
          { name: 'queue', check: async () => void (await queues.boss.getDb().executeSql('select 1')) },
        ],
      });
    }
    if (http && httpMode === 'full') {
      admin = await resolveAdminAuth(config);
      await registerAdminApi(http, { pool: db.pool, queues, clock, logger, sources, auth: admin });
    }

    // Platforms before workers: an alert must never find its platform's messenger missing.
    for (const start of platformStarters) {
      const platform = await start({
        config,
        bot,
        logger,
        receive: options.receive ?? role !== 'worker',
        http: httpMode === 'full' ? http : undefined,
        rawRoutes,
      });
      if (!platform) continue;
      messengers.set(platform.platform, platform.messenger);
      platforms.push(platform);
    }

    if (runWorkers) {
      await startPipelineWorkers(
        queues,
        {
          pool: db.pool,
          queues,
          sources,
          fetch: options.fetch ?? globalThis.fetch,
          clock,
          logger,
          analyzer: buildAnalyzer(config),
          prices: config.openai.pricesPerMillionTokens,
          messengers,
          describeSource: sources.describe,
        },
        {
          analyzeConcurrency: config.openai.concurrency,
          pollingIntervalSeconds: options.pollingIntervalSeconds,
          fetchCron: config.fetch.cron,
        },
      );
    }

    let url: string | undefined;
    if (http) {
      await http.listen({ port: config.http.port, host: '0.0.0.0' });
      const address = http.server.address();
      const port = typeof address === 'object' && address ? address.port : config.http.port;
      url = `http://localhost:${port}`;
      listening = http;
    }

    printSummary(config, { role, url, healthOnly: httpMode === 'health', db, print, admin });
    return { config, db, queues, sources, messengers, bot, http, url, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

function printSummary(
  config: Config,
  facts: {
    role: Role;
    url: string | undefined;
    healthOnly: boolean;
    db: Database;
    print: (line: string) => void;
    admin?: AdminAuth | undefined;
  },
) {
  const { print, db } = facts;
  print('JobPing is running');
  if (facts.url && facts.healthOnly)
    print(`  health     ${facts.url}/healthz, ready ${facts.url}/readyz  (a worker serves nothing else)`);
  else if (facts.url)
    print(`  server     ${facts.url}  (health ${facts.url}/healthz, ready ${facts.url}/readyz)`);
  if (facts.url && facts.admin)
    print(`  admin      ${describeAdmin(facts.url, facts.admin, config.db.dataDir)}`);
  print(
    db.embedded
      ? `  database   embedded PostgreSQL, data in ${db.embedded.dataDir} (127.0.0.1:${db.embedded.port})`
      : `  database   ${redactUrl(db.url)}`,
  );
  const relocated = db.embedded?.relocated;
  if (relocated) print(`             linked from ${relocated.link}: ${relocated.because}`);
  print(`  data dir   ${config.db.dataDir}`);
  print(`  role       ${facts.role}`);
  for (const [name, status] of Object.entries(platformStatus(config))) {
    print(`  ${name.padEnd(10)} ${status.enabled ? `on (${status.mode})` : `off: ${status.reason}`}`);
  }
  print(
    `  analyzer   ${config.openai.apiKey ? `OpenAI ${config.openai.model}` : 'built-in heuristic (OPENAI_API_KEY is not set)'}`,
  );
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
