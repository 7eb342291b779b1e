import type http from 'node:http';
import { App, type Logger as BoltLogger, HTTPReceiver, LogLevel, webApi } from '@slack/bolt';
import type { FetchFn, LogPort } from '../../core/ports.ts';
import type { PlatformContext, PlatformStarter, RunningPlatform } from '../platform.ts';
import { registerInteractions } from './interactions.ts';
import { createSlackMessenger, slackError } from './messenger.ts';
import { registerSlashCommands } from './slash-commands.ts';
import type { SlackDeps } from './surfaces.ts';

/**
 * The Slack platform. Web role: a Bolt app, either on the shared HTTP server at /slack/events
 * (Bolt's HTTPReceiver verifies every request's signature and age against the raw body) or, when
 * SLACK_APP_TOKEN is set, over Socket Mode. Worker role: only a WebClient, to send alerts.
 */

export const SLACK_EVENTS_PATH = '/slack/events';

/**
 * The WebClient retries network errors and 5xx, and waits out 429s for as long as Retry-After
 * says before retrying. A few quick retries, not Bolt's default half hour: a user is waiting for
 * most of these calls, and the notify queue retries an alert later on its own.
 */
export const RETRY_CONFIG: webApi.RetryOptions = { retries: 3, factor: 2, minTimeout: 300, maxTimeout: 3000 };
const REQUEST_TIMEOUT_MS = 10_000;

export interface SlackOptions {
  fetch?: FetchFn;
  progressIntervalMs?: number;
}

/** Bolt and the WebClient log through our logger (and its redaction), at our level. */
function boltLogger(log: LogPort): BoltLogger {
  const write =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...parts: unknown[]) => {
      const err = parts.find((p) => p instanceof Error);
      const text = parts
        .filter((p) => !(p instanceof Error))
        .map((p) => (typeof p === 'string' ? p : JSON.stringify(p)))
        .join(' ');
      log[level](err ? { err } : {}, text);
    };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: () => {},
    getLevel: () => LogLevel.DEBUG,
    setName: () => {},
  };
}

function inFlightWork(logger: LogPort) {
  const running = new Set<Promise<void>>();
  return {
    run(label: string, work: () => Promise<void>): Promise<void> {
      const p: Promise<void> = work()
        .catch((err) => logger.error({ err, update: label }, 'slack: handling an update failed'))
        .finally(() => running.delete(p));
      running.add(p);
      return p;
    },
    /** Lets running handlers finish (a `/jobs fetch` may wait minutes: not that long). */
    async drain(ms: number) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...running]),
        new Promise((r) => {
          timer = setTimeout(r, ms);
        }),
      ]);
      clearTimeout(timer);
    },
  };
}

/** Bolt's request listener on the shared server; anything but a POST to the path is not ours. */
function rawHandler(receiver: HTTPReceiver) {
  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    try {
      receiver.requestListener(req, res);
    } catch {
      if (!res.headersSent) res.writeHead(req.method === 'POST' ? 404 : 405, { allow: 'POST' });
      res.end();
    }
  };
}

export function slackStarter(options: SlackOptions = {}): PlatformStarter {
  return (ctx) => startSlack(ctx, options);
}

export async function startSlack(
  ctx: PlatformContext,
  options: SlackOptions = {},
): Promise<RunningPlatform | null> {
  const { botToken, signingSecret, appToken, apiUrl } = ctx.config.slack;
  if (!botToken) return null;
  const logger = ctx.logger.child({ platform: 'slack' });
  const log = boltLogger(logger);
  const clientOptions: webApi.WebClientOptions = {
    retryConfig: RETRY_CONFIG,
    timeout: REQUEST_TIMEOUT_MS,
    logger: log,
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
  };

  // No HTTP server means a worker or a one-off command (`jobping fetch`, `jobping chat`): it sends
  // alerts but takes no events (Slack would hand some to a short-lived Socket Mode connection).
  if (!ctx.receive || !ctx.http) {
    const client = new webApi.WebClient(botToken, clientOptions);
    return { platform: 'slack', messenger: createSlackMessenger(client), stop: async () => {} };
  }

  const socketMode = Boolean(appToken);
  if (!socketMode && !signingSecret) throw new Error('Slack HTTP mode needs SLACK_SIGNING_SECRET');
  const receiver = socketMode
    ? undefined
    : new HTTPReceiver({ signingSecret: signingSecret!, endpoints: SLACK_EVENTS_PATH, logger: log });
  const app = new App({
    token: botToken,
    ...(socketMode ? { appToken, socketMode: true } : { receiver }),
    clientOptions,
    logger: log,
    convoStore: false,
    deferInitialization: true,
  });
  try {
    // auth.test: a wrong token stops the start with a clear message instead of failing every request.
    await app.init();
  } catch (err) {
    throw new Error(`Slack refused the bot token (SLACK_BOT_TOKEN): ${slackError(err).message}`, {
      cause: err,
    });
  }

  const work = inFlightWork(logger);
  const messenger = createSlackMessenger(app.client);
  const deps: SlackDeps = {
    bot: ctx.bot,
    client: app.client,
    messenger,
    logger,
    fetch: options.fetch ?? globalThis.fetch,
    progressIntervalMs: options.progressIntervalMs ?? 1500,
    run: work.run,
  };
  registerSlashCommands(app, deps);
  registerInteractions(app, deps);
  app.error(async (err) => {
    logger.error({ err }, 'slack: listener failed');
  });

  if (receiver) ctx.rawRoutes.set(SLACK_EVENTS_PATH, rawHandler(receiver));
  else await app.start();

  return {
    platform: 'slack',
    messenger,
    async stop() {
      if (receiver) ctx.rawRoutes.delete(SLACK_EVENTS_PATH);
      else await app.stop();
      await work.drain(Math.min(5000, ctx.config.shutdownTimeoutMs));
    },
  };
}
