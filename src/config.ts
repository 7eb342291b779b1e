import path from 'node:path';
import { z } from 'zod';

/**
 * Every environment variable JobPing reads, parsed once into a frozen, nested object.
 * Nothing else in the code base reads `process.env`. Secrets have no defaults: a platform is
 * enabled by configuring it, never by accident.
 */

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();
const optionalUrl = optionalString.pipe(z.url({ message: 'expected an http(s) URL' }).optional());
const secret = (min: number, what: string) =>
  optionalString.pipe(z.string().min(min, `expected ${what} of at least ${min} characters`).optional());

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const envSchema = z.object({
  NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
  LOG_LEVEL: z.enum(logLevels, { message: `expected one of ${logLevels.join(', ')}` }).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  PORT: z.coerce
    .number({ message: 'expected a port number' })
    .int()
    .min(0)
    .max(65535, 'expected a port number between 0 and 65535')
    .default(8080),
  PUBLIC_URL: optionalUrl,
  TRUST_PROXY: z
    .enum(['true', 'false', '1', '0'], { message: 'expected true or false' })
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// or postgresql:// connection URL')
      .optional(),
  ),
  JOBPING_DATA_DIR: z.string().trim().min(1).default('./.jobping'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1000).max(300_000).default(20_000),
  QUEUE_MONITOR_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
  ADMIN_TOKEN: secret(16, 'a token'),
  OPENAI_API_KEY: secret(8, 'an API key'),
  OPENAI_BASE_URL: optionalUrl,
  OPENAI_MODEL: z.string().trim().min(1).default('gpt-4o-mini'),
  OPENAI_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  OPENAI_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  OPENAI_PRICE_INPUT_PER_MTOK: z.coerce.number().min(0).default(0.15),
  OPENAI_PRICE_CACHED_INPUT_PER_MTOK: z.coerce.number().min(0).default(0.075),
  OPENAI_PRICE_OUTPUT_PER_MTOK: z.coerce.number().min(0).default(0.6),
  SLACK_BOT_TOKEN: optionalString.pipe(
    z.string().startsWith('xoxb-', 'expected a bot token starting with xoxb-').optional(),
  ),
  SLACK_SIGNING_SECRET: secret(16, 'a signing secret'),
  SLACK_APP_TOKEN: optionalString.pipe(
    z.string().startsWith('xapp-', 'expected an app token starting with xapp-').optional(),
  ),
  SLACK_API_URL: optionalUrl,
  SLACK_CLIENT_ID: optionalString.pipe(
    z
      .string()
      .regex(/^\d+\.\d+$/, 'expected a client id like 1234567890.1234567890')
      .optional(),
  ),
  SLACK_CLIENT_SECRET: secret(16, 'a client secret'),
  SLACK_STATE_SECRET: secret(16, 'a random secret'),
  DISCORD_TOKEN: secret(20, 'a bot token'),
  DISCORD_APPLICATION_ID: optionalString.pipe(
    z
      .string()
      .regex(/^\d{5,25}$/, 'expected a numeric application id')
      .optional(),
  ),
  DISCORD_API_URL: optionalUrl,
  TELEGRAM_BOT_TOKEN: optionalString.pipe(
    z
      .string()
      .regex(/^\d+:[\w-]{20,}$/, 'expected a bot token like 123456:ABC-DEF…')
      .optional(),
  ),
  TELEGRAM_WEBHOOK_SECRET: optionalString.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, 'expected 16–256 characters of A-Z, a-z, 0-9, _ or -')
      .optional(),
  ),
  TELEGRAM_API_ROOT: optionalUrl,
  SOURCE_CONTACT_URL: optionalUrl,
  SOURCE_TIMEOUT_MS: z.coerce.number().int().min(1000).max(300_000).default(20_000),
  SCRAPER_PROXY_URL: optionalUrl,
  CHROMIUM_PATH: z.string().trim().min(1).default('/usr/bin/chromium'),
  ADZUNA_APP_ID: optionalString,
  ADZUNA_APP_KEY: secret(8, 'an API key'),
  USAJOBS_API_KEY: secret(8, 'an API key'),
  USAJOBS_USER_AGENT: optionalString.pipe(
    z.email('expected the e-mail address the key was issued to').optional(),
  ),
  FETCH_CRON: z
    .string()
    .trim()
    .regex(/^(\S+\s+){4}\S+$/, 'expected a 5-field cron expression like "*/30 * * * *"')
    .default('*/30 * * * *'),
});

type Env = z.infer<typeof envSchema>;

export type PlatformName = 'slack' | 'discord' | 'telegram';
export type PlatformStatus = { enabled: true; mode: string } | { enabled: false; reason: string };

export function buildConfig(env: Env) {
  return {
    env: env.NODE_ENV,
    log: { level: env.LOG_LEVEL, format: env.LOG_FORMAT },
    http: { port: env.PORT, publicUrl: env.PUBLIC_URL, trustProxy: env.TRUST_PROXY },
    db: { url: env.DATABASE_URL, dataDir: path.resolve(env.JOBPING_DATA_DIR) },
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    queue: { monitorSeconds: env.QUEUE_MONITOR_SECONDS },
    admin: { token: env.ADMIN_TOKEN },
    openai: {
      apiKey: env.OPENAI_API_KEY,
      baseUrl: env.OPENAI_BASE_URL,
      model: env.OPENAI_MODEL,
      concurrency: env.OPENAI_CONCURRENCY,
      timeoutMs: env.OPENAI_TIMEOUT_MS,
      pricesPerMillionTokens: {
        input: env.OPENAI_PRICE_INPUT_PER_MTOK,
        cachedInput: env.OPENAI_PRICE_CACHED_INPUT_PER_MTOK,
        output: env.OPENAI_PRICE_OUTPUT_PER_MTOK,
      },
    },
    slack: {
      botToken: env.SLACK_BOT_TOKEN,
      signingSecret: env.SLACK_SIGNING_SECRET,
      appToken: env.SLACK_APP_TOKEN,
      apiUrl: env.SLACK_API_URL,
      /** Multi-workspace mode: the OAuth install flow, one bot token per installed workspace. */
      oauth:
        env.SLACK_CLIENT_ID && env.SLACK_CLIENT_SECRET && env.SLACK_STATE_SECRET
          ? {
              clientId: env.SLACK_CLIENT_ID,
              clientSecret: env.SLACK_CLIENT_SECRET,
              stateSecret: env.SLACK_STATE_SECRET,
            }
          : undefined,
    },
    discord: {
      token: env.DISCORD_TOKEN,
      applicationId: env.DISCORD_APPLICATION_ID,
      apiUrl: env.DISCORD_API_URL,
    },
    telegram: {
      botToken: env.TELEGRAM_BOT_TOKEN,
      webhookSecret: env.TELEGRAM_WEBHOOK_SECRET,
      apiRoot: env.TELEGRAM_API_ROOT,
    },
    fetch: { cron: env.FETCH_CRON },
    sources: {
      /** Named in the User-Agent of every board request, so boards can reach the operator. */
      contactUrl: env.SOURCE_CONTACT_URL ?? env.PUBLIC_URL,
      timeoutMs: env.SOURCE_TIMEOUT_MS,
      proxyUrl: env.SCRAPER_PROXY_URL,
      chromiumPath: env.CHROMIUM_PATH,
      adzuna:
        env.ADZUNA_APP_ID && env.ADZUNA_APP_KEY
          ? { appId: env.ADZUNA_APP_ID, appKey: env.ADZUNA_APP_KEY }
          : undefined,
      usajobs:
        env.USAJOBS_API_KEY && env.USAJOBS_USER_AGENT
          ? { apiKey: env.USAJOBS_API_KEY, userAgent: env.USAJOBS_USER_AGENT }
          : undefined,
    },
  };
}

type Mutable = ReturnType<typeof buildConfig>;
type DeepReadonly<T> = { readonly [K in keyof T]: T[K] extends object ? DeepReadonly<T[K]> : T[K] };
export type Config = DeepReadonly<Mutable>;

export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * Which variables are set, as far as the cross-variable checks care: parsed values where a
 * variable is valid, the raw text where it is not, so those checks run even when single
 * variables are wrong and every problem is reported in one round.
 */
type Presence = { readonly [K in keyof Env]?: unknown };

function presence(source: Record<string, string | undefined>): Presence {
  const seen: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(envSchema.shape)) {
    const parsed = schema.safeParse(source[name]);
    seen[name] = parsed.success ? parsed.data : source[name]?.trim() || undefined;
  }
  return seen;
}

/** A platform that is half configured is an error: the operator meant to enable it. */
function crossFieldProblems(env: Presence): string[] {
  const problems: string[] = slackOAuthProblems(env);
  const multiWorkspace = Boolean(env.SLACK_CLIENT_ID || env.SLACK_CLIENT_SECRET || env.SLACK_STATE_SECRET);
  if (!multiWorkspace && env.SLACK_BOT_TOKEN && !env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN) {
    problems.push(
      'SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN (or set SLACK_APP_TOKEN for Socket Mode)',
    );
  }
  if (!multiWorkspace && !env.SLACK_BOT_TOKEN && (env.SLACK_SIGNING_SECRET || env.SLACK_APP_TOKEN)) {
    problems.push('SLACK_BOT_TOKEN: required when SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is set');
  }
  if (env.DISCORD_TOKEN && !env.DISCORD_APPLICATION_ID) {
    problems.push('DISCORD_APPLICATION_ID: required with DISCORD_TOKEN');
  }
  for (const [a, b] of [
    ['ADZUNA_APP_ID', 'ADZUNA_APP_KEY'],
    ['USAJOBS_API_KEY', 'USAJOBS_USER_AGENT'],
  ] as const) {
    if (Boolean(env[a]) !== Boolean(env[b]))
      problems.push(`${env[a] ? b : a}: required with ${env[a] ? a : b}`);
  }
  if (env.TELEGRAM_WEBHOOK_SECRET && !env.TELEGRAM_BOT_TOKEN) {
    problems.push('TELEGRAM_BOT_TOKEN: required when TELEGRAM_WEBHOOK_SECRET is set');
  }
  return problems;
}

const SLACK_OAUTH_VARIABLES = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'] as const;

/** Multi-workspace mode takes all three OAuth variables, and Slack's HTTP requests (signed). */
function slackOAuthProblems(env: Presence): string[] {
  const set = SLACK_OAUTH_VARIABLES.filter((name) => env[name]);
  if (set.length === 0) return [];
  const problems = SLACK_OAUTH_VARIABLES.filter((name) => !env[name]).map(
    (name) => `${name}: required with ${set.join(' and ')} (multi-workspace mode takes all three)`,
  );
  if (!env.SLACK_SIGNING_SECRET) {
    problems.push('SLACK_SIGNING_SECRET: required in multi-workspace mode (SLACK_CLIENT_ID)');
  }
  if (env.SLACK_APP_TOKEN) {
    problems.push(
      'SLACK_APP_TOKEN: multi-workspace mode runs over HTTP (the install pages and events at /slack/*); unset it',
    );
  }
  return problems;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Parses the environment; throws one ConfigError naming every bad variable. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(source);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => {
        const name = issue.path.join('.');
        const shown =
          name in source && !/TOKEN|SECRET|KEY|DATABASE_URL|PROXY_URL/.test(name)
            ? ` (got "${source[name]}")`
            : '';
        return `${name}: ${issue.message}${shown}`;
      });
  problems.push(...crossFieldProblems(parsed.success ? parsed.data : presence(source)));
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(buildConfig(parsed.data));
}

/** Which chat platforms run, and in words why the others do not (printed at start). */
export function platformStatus(config: Config): Record<PlatformName, PlatformStatus> {
  const { slack, discord, telegram, http } = config;
  return {
    slack: slack.oauth
      ? {
          enabled: true,
          mode: 'HTTP events at /slack/events, every workspace that installs at /slack/install',
        }
      : slack.botToken
        ? { enabled: true, mode: slack.appToken ? 'Socket Mode' : 'HTTP events at /slack/events' }
        : { enabled: false, reason: 'SLACK_BOT_TOKEN is not set' },
    discord: discord.token
      ? { enabled: true, mode: 'gateway' }
      : { enabled: false, reason: 'DISCORD_TOKEN is not set' },
    telegram: telegram.botToken
      ? {
          enabled: true,
          mode:
            http.publicUrl && telegram.webhookSecret
              ? 'webhook at /telegram/webhook'
              : http.publicUrl
                ? 'long polling, not webhook: PUBLIC_URL is set but TELEGRAM_WEBHOOK_SECRET is not'
                : 'long polling',
        }
      : { enabled: false, reason: 'TELEGRAM_BOT_TOKEN is not set' },
  };
}

/**
 * PUBLIC_URL without TELEGRAM_WEBHOOK_SECRET still starts (PUBLIC_URL serves Slack's install flow
 * and the board User-Agent too, and polling is a valid choice), but a server with a public address
 * usually runs on several machines or rolls deploys, and pollers of one token then take updates
 * from each other (409 Conflict). So it is said loudly, by name, when polling starts.
 */
export function telegramPollingWarning(config: Config): string | null {
  const { telegram, http } = config;
  if (!telegram.botToken || !http.publicUrl || telegram.webhookSecret) return null;
  return (
    'Telegram uses long polling although PUBLIC_URL is set, because TELEGRAM_WEBHOOK_SECRET is not. ' +
    'Only one process may poll a bot token (others get 409 Conflict, e.g. two web machines or a ' +
    'rolling deploy): set TELEGRAM_WEBHOOK_SECRET for webhook mode at PUBLIC_URL/telegram/webhook.'
  );
}

/** Every secret value in the config, so the logger can scrub them from any string. */
export function secretValues(config: Config): string[] {
  const values = [
    config.admin.token,
    config.openai.apiKey,
    config.slack.botToken,
    config.slack.signingSecret,
    config.slack.appToken,
    config.slack.oauth?.clientSecret,
    config.slack.oauth?.stateSecret,
    config.discord.token,
    config.telegram.botToken,
    config.telegram.webhookSecret,
    config.sources.adzuna?.appKey,
    config.sources.usajobs?.apiKey,
  ];
  const proxyPassword = config.sources.proxyUrl ? new URL(config.sources.proxyUrl).password : '';
  if (proxyPassword) values.push(decodeURIComponent(proxyPassword));
  const dbPassword = config.db.url ? new URL(config.db.url).password : '';
  if (dbPassword) values.push(decodeURIComponent(dbPassword));
  return values.filter((v): v is string => typeof v === 'string' && v.length >= 6);
}
