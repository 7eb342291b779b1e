import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Keys whose values are secret wherever they appear in a logged object. */
const SECRET_KEYS = [
  'authorization',
  'cookie',
  'token',
  'botToken',
  'appToken',
  'accessToken',
  'apiKey',
  'api_key',
  'password',
  'secret',
  'signingSecret',
  'webhookSecret',
  'secret_token',
  'x-telegram-bot-api-secret-token',
  'x-slack-signature',
];

const redactPaths = SECRET_KEYS.flatMap((key) => {
  const k = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
  const dot = k.startsWith('[') ? '' : '.';
  return [k, `*${dot}${k}`, `*.*${dot}${k}`, `*.*.*${dot}${k}`];
});

const CENSOR = '[REDACTED]';

/** Matches the password part of connection URLs (postgres://user:PASSWORD@host). */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:)([^@\s]+)(@)/gi;
/** Token shapes we know, caught even when they are not configured here (e.g. echoed by an API). */
const TOKEN_SHAPES = [
  /xox[abposr]-[\w-]{8,}/g,
  /xapp-[\w-]{8,}/g,
  /\bsk-[\w-]{16,}/g,
  /\bbot\d+:[\w-]{20,}/g,
  /\b\d{6,}:[\w-]{30,}/g,
];

export function scrubString(text: string, secrets: readonly string[]): string {
  let out = text.replace(URL_PASSWORD, `$1${CENSOR}$3`);
  for (const shape of TOKEN_SHAPES) out = out.replace(shape, CENSOR);
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(CENSOR);
  return out;
}

/**
 * Errors as type, message, code, stack and cause chain only. Library errors carry whole clients
 * and sockets (pg puts its Client on connection errors); those never belong in a log line.
 */
export function serializeError(err: unknown, depth = 0): Record<string, unknown> {
  if (!(err instanceof Error)) {
    // Already serialized (formatters run before serializers), or something thrown that is no Error.
    return err !== null && typeof err === 'object'
      ? (err as Record<string, unknown>)
      : { message: String(err) };
  }
  const out: Record<string, unknown> = { type: err.name, message: err.message };
  for (const key of ['code', 'status', 'statusCode', 'retryable', 'service', 'field']) {
    const v = (err as unknown as Record<string, unknown>)[key];
    if (v !== undefined && (typeof v !== 'object' || v === null)) out[key] = v;
  }
  out.stack = err.stack;
  if (err.cause !== undefined && depth < 4) out.cause = serializeError(err.cause, depth + 1);
  return out;
}

function scrubDeep(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === 'string') return scrubString(value, secrets);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return scrubDeep(serializeError(value), secrets, depth + 1);
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubDeep(v, secrets, depth + 1);
  return out;
}

export interface LogOptions {
  level: string;
  format?: 'json' | 'pretty' | undefined;
  /** Configured secret values, removed from every string that is logged. */
  secrets?: readonly string[];
}

/**
 * pino with two layers of redaction: known secret keys by path, and every configured secret value
 * (plus URL passwords and known token shapes) scrubbed from strings such as error messages.
 */
export function createLogger(options: LogOptions, destination?: DestinationStream): Logger {
  const secrets = options.secrets ?? [];
  const pretty = (options.format ?? (process.stdout.isTTY ? 'pretty' : 'json')) === 'pretty';
  const base: pino.LoggerOptions = {
    level: options.level,
    redact: { paths: redactPaths, censor: CENSOR },
    serializers: { err: serializeError, error: serializeError },
    formatters: { log: (obj) => scrubDeep(obj, secrets) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((a) => (typeof a === 'string' ? scrubString(a, secrets) : a));
        method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
  };
  if (destination) return pino(base, destination);
  if (pretty) {
    return pino({
      ...base,
      transport: {
        target: 'pino-pretty',
        options: { colorize: true, translateTime: 'HH:MM:ss', ignore: 'pid,hostname' },
      },
    });
  }
  return pino(base);
}
