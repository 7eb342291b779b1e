import type http from 'node:http';
import {
  App,
  type Logger as BoltLogger,
  type CodedError,
  ErrorCode,
  HTTPReceiver,
  type Installation,
  LogLevel,
  webApi,
} from '@slack/bolt';
import type { Config } from '../../config.ts';
import type { FetchFn, LogPort } from '../../core/ports.ts';
import type { PlatformContext, PlatformStarter, RunningPlatform } from '../platform.ts';
import {
  installedPage,
  installFailedPage,
  SLACK_INSTALL_PATH,
  SLACK_REDIRECT_PATH,
} from './install-pages.ts';
import {
  createSlackInstallations,
  homeWorkspace,
  type SlackInstallations,
  workspaceClients,
} from './installations.ts';
import { registerInteractions } from './interactions.ts';
import { registerLifecycle } from './lifecycle.ts';
import { createSlackMessenger, type SlackClients, singleTokenClients, slackError } from './messenger.ts';
import { registerSlashCommands } from './slash-commands.ts';
import type { SlackDeps } from './surfaces.ts';

/**
 * The Slack platform. Web role: a Bolt app, either on the shared HTTP server at /slack/events
 * (Bolt's HTTPReceiver verifies every request's signature and age against the raw body) or, when
 * SLACK_APP_TOKEN is set, over Socket Mode. Worker role: only a WebClient, to send alerts.
 *
 * Two ways to hold tokens: SLACK_BOT_TOKEN serves the one workspace it was made in; with
 * SLACK_CLIENT_ID/SECRET and SLACK_STATE_SECRET (multi-workspace mode) any workspace installs the
 * app at /slack/install (Bolt's OAuth flow) and each request and alert uses its workspace's token.
 */

export const SLACK_EVENTS_PATH = '/slack/events';
export { SLACK_INSTALL_PATH, SLACK_REDIRECT_PATH };
/** The bot scopes the install flow asks for; the same as slack/manifest*.yml. */
export const SLACK_SCOPES = ['commands', 'chat:write', 'im:write'];

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

type SlackOAuth = NonNullable<Config['slack']['oauth']>;

/**
 * Bolt's OAuth options for the HTTPReceiver: GET /slack/install redirects to Slack's consent screen
 * with a signed state (also set as a cookie), GET /slack/oauth_redirect checks that state, trades
 * the code for the workspace's bot token (oauth.v2.access) and stores it.
 */
function oauthReceiverOptions(
  config: Config,
  oauth: SlackOAuth,
  installations: SlackInstallations,
  clientOptions: webApi.WebClientOptions,
  logger: LogPort,
) {
  const { publicUrl } = config.http;
  const { apiUrl } = config.slack;
  const redirectUri = publicUrl ? `${publicUrl.replace(/\/+$/, '')}${SLACK_REDIRECT_PATH}` : undefined;
  return {
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    stateSecret: oauth.stateSecret,
    scopes: SLACK_SCOPES,
    installationStore: installations.store,
    ...(redirectUri ? { redirectUri } : {}),
    installerOptions: {
      installPath: SLACK_INSTALL_PATH,
      redirectUriPath: SLACK_REDIRECT_PATH,
      // Straight to Slack's consent screen: the link an operator shares is the "Add to Slack" button.
      directInstall: true,
      clientOptions,
      // Slack's consent page lives beside its Web API (slack.com/oauth/v2/authorize); a local fake too.
      ...(apiUrl ? { authorizationUrl: new URL('../oauth/v2/authorize', apiUrl).toString() } : {}),
      callbackOptions: {
        success: (installation: Installation, _options: unknown, _req: unknown, res: http.ServerResponse) =>
          installedPage(res, {
            teamId: installation.team?.id,
            teamName: installation.team?.name,
            appId: installation.appId,
          }),
        failure: (error: CodedError, _options: unknown, _req: unknown, res: http.ServerResponse) => {
          const status = installFailedPage(res, error.code);
          logger.warn({ code: error.code, status }, 'slack: an install did not complete');
        },
      },
    },
  };
}

/** Where bot tokens come from: SLACK_BOT_TOKEN alone, or the installations of multi-workspace mode. */
function slackTokens(ctx: PlatformContext, clientOptions: webApi.WebClientOptions, logger: LogPort) {
  const { botToken, oauth } = ctx.config.slack;
  const installations = oauth
    ? createSlackInstallations({
        pool: ctx.bot.pool,
        logger,
        ...(botToken
          ? { home: homeWorkspace(new webApi.WebClient(botToken, clientOptions), botToken, logger) }
          : {}),
      })
    : undefined;
  return {
    installations,
    /** The messenger's clients; `single` builds the one client of single-token mode. */
    messengerClients: (single: () => webApi.WebClient): SlackClients =>
      installations ? workspaceClients(installations, clientOptions) : singleTokenClients(single()),
  };
}

/** The Bolt app, its token (or its installation store) checked; the receiver in HTTP mode. */
async function startBolt(
  ctx: PlatformContext,
  installations: SlackInstallations | undefined,
  clientOptions: webApi.WebClientOptions & { logger: BoltLogger },
  logger: LogPort,
) {
  const { botToken, signingSecret, appToken, oauth } = ctx.config.slack;
  const log = clientOptions.logger;
  const socketMode = Boolean(appToken) && !oauth;
  if (!socketMode && !signingSecret) throw new Error('Slack HTTP mode needs SLACK_SIGNING_SECRET');
  const receiver = socketMode
    ? undefined
    : new HTTPReceiver({
        signingSecret: signingSecret!,
        endpoints: SLACK_EVENTS_PATH,
        logger: log,
        ...(oauth && installations
          ? oauthReceiverOptions(ctx.config, oauth, installations, clientOptions, logger)
          : {}),
      });
  // With OAuth, Bolt authorizes each request from the installation store instead of one token.
  const app = new App({
    ...(installations ? {} : { token: botToken }),
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
  return { app, receiver };
}

export async function startSlack(
  ctx: PlatformContext,
  options: SlackOptions = {},
): Promise<RunningPlatform | null> {
  const { botToken, apiUrl, oauth } = ctx.config.slack;
  if (!botToken && !oauth) return null;
  const logger = ctx.logger.child({ platform: 'slack' });
  const clientOptions = {
    retryConfig: RETRY_CONFIG,
    timeout: REQUEST_TIMEOUT_MS,
    logger: boltLogger(logger),
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
  };
  const { installations, messengerClients } = slackTokens(ctx, clientOptions, logger);

  // No HTTP server means a worker or a one-off command (`jobping fetch`, `jobping chat`): it sends
  // alerts but takes no events (Slack would hand some to a short-lived Socket Mode connection).
  if (!ctx.receive || !ctx.http) {
    const messenger = createSlackMessenger(
      messengerClients(() => new webApi.WebClient(botToken, clientOptions)),
    );
    return { platform: 'slack', messenger, stop: async () => {} };
  }

  const { app, receiver } = await startBolt(ctx, installations, clientOptions, logger);
  const work = inFlightWork(logger);
  const messenger = createSlackMessenger(messengerClients(() => app.client));
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
  registerLifecycle(app, deps, installations);
  app.error(async (err) => {
    // Multi-workspace mode: a request from a workspace that has not installed (or removed) JobPing.
    if (err.code === ErrorCode.AuthorizationError)
      logger.warn({ err }, 'slack: request from a workspace without JobPing');
    else logger.error({ err }, 'slack: listener failed');
  });

  const paths = oauth ? [SLACK_EVENTS_PATH, SLACK_INSTALL_PATH, SLACK_REDIRECT_PATH] : [SLACK_EVENTS_PATH];
  if (receiver) for (const path of paths) ctx.rawRoutes.set(path, rawHandler(receiver));
  else await app.start();

  return {
    platform: 'slack',
    messenger,
    async stop() {
      if (receiver) for (const path of paths) ctx.rawRoutes.delete(path);
      else await app.stop();
      await work.drain(Math.min(5000, ctx.config.shutdownTimeoutMs));
    },
  };
}
