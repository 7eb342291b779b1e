import { setTimeout as sleep } from 'node:timers/promises';
import { type Dispatcher, ProxyAgent } from 'undici';
import type { z } from 'zod';
import { UpstreamError } from '../../core/errors.ts';
import type { SourceContext } from '../../core/ports.ts';

/**
 * The HTTP plumbing every board adapter shares: the injected `fetch`, a timeout per request, a
 * per-host request spacing shared by all sources of the process, an honest User-Agent, retries on
 * 429/5xx that honour Retry-After (up to a bound), no retries on other 4xx, and zod validation of
 * each response at the edge. Failures are `UpstreamError`s that name the board.
 */

export interface HttpSettings {
  /** "JobPing/0.1 (+contact)": boards can see who is calling and how to reach the operator. */
  userAgent: string;
  timeoutMs: number;
  /** Attempts after the first, for 429, 5xx, timeouts and network errors. */
  retries: number;
  /** First back-off when the board gave no Retry-After; doubles per attempt. */
  backoffMs: number;
  /** The longest Retry-After we wait for; a longer one fails the run and says when to come back. */
  maxRetryAfterMs: number;
  /** Search boards go through this proxy when set (`SCRAPER_PROXY_URL`). */
  proxyUrl?: string | undefined;
}

export const DEFAULT_HTTP_SETTINGS: Omit<HttpSettings, 'userAgent'> = {
  timeoutMs: 20_000,
  retries: 3,
  backoffMs: 1_000,
  maxRetryAfterMs: 60_000,
};

export function userAgent(contact: string | undefined): string {
  return contact ? `JobPing/0.1 (job-alert bot; +${contact})` : 'JobPing/0.1 (job-alert bot)';
}

/** Spaces requests to one host, across every source of this process (boards count per host). */
export interface HostLimiter {
  wait(host: string, intervalMs: number, signal: AbortSignal): Promise<void>;
}

export function createHostLimiter(now: () => number = Date.now): HostLimiter {
  const nextSlot = new Map<string, number>();
  return {
    async wait(host, intervalMs, signal) {
      if (intervalMs <= 0) return;
      const t = now();
      const slot = Math.max(t, nextSlot.get(host) ?? 0);
      nextSlot.set(host, slot + intervalMs);
      if (slot > t) await sleep(slot - t, undefined, { signal });
    },
  };
}

/** What the adapters of one process share: settings, the host limiter, the proxy agent. */
export interface HttpEnv {
  settings: HttpSettings;
  limiter: HostLimiter;
  proxy: Dispatcher | undefined;
}

export function createHttpEnv(settings: HttpSettings): HttpEnv {
  return {
    settings,
    limiter: createHostLimiter(),
    proxy: settings.proxyUrl ? new ProxyAgent(settings.proxyUrl) : undefined,
  };
}

export interface ClientOptions {
  /** Board name used in errors ("Greenhouse: HTTP 404 …"). */
  service: string;
  /** Minimum spacing between two requests to the same host. */
  minIntervalMs: number;
  /** Route through the scraper proxy (search boards). */
  proxy?: boolean;
  headers?: Record<string, string>;
}

export interface RequestOptions {
  method?: 'GET' | 'POST';
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface SourceHttp {
  /** GET (or POST) a JSON document and validate it; anything else fails the run with a clear message. */
  json<S extends z.ZodType>(url: string, schema: S, options?: RequestOptions): Promise<z.infer<S>>;
  text(url: string, options?: RequestOptions): Promise<string>;
}

/** The URL without its query: query strings carry API keys (Adzuna) and must not reach logs. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: Date): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

/**
 * How long to wait before retrying a 429/5xx, or an error when the board asked for longer than we
 * wait (the run fails; the source's back-off takes over).
 */
export function retryDelay(
  status: number,
  retryAfter: string | null,
  attempt: number,
  settings: HttpSettings,
  now: Date,
  service: string,
): number {
  const asked = parseRetryAfter(retryAfter, now);
  if (asked !== null && asked > settings.maxRetryAfterMs) {
    const seconds = Math.ceil(asked / 1000);
    throw new UpstreamError(service, `HTTP ${status}; asked to wait ${seconds} s before retrying`, {
      retryable: true,
      status,
      retryAfterSeconds: seconds,
    });
  }
  return asked ?? settings.backoffMs * 2 ** attempt;
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

function describeIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
  return `${shown.join('; ')}${more}`;
}

/** Parses and validates a board response; the error says what was wrong without dumping it. */
export function parseBoardJson<S extends z.ZodType>(service: string, text: string, schema: S): z.infer<S> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const start = text.slice(0, 60).replace(/\s+/g, ' ');
    throw new UpstreamError(service, `response is not valid JSON (${(err as Error).message}): "${start}…"`, {
      retryable: false,
      cause: err,
    });
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success)
    throw new UpstreamError(
      service,
      `response is not in the expected shape: ${describeIssues(parsed.error)}`,
      {
        retryable: false,
      },
    );
  return parsed.data;
}

function failure(service: string, err: unknown, timedOut: boolean, timeoutMs: number): UpstreamError {
  if (timedOut)
    return new UpstreamError(service, `no response within ${timeoutMs} ms`, { retryable: true, cause: err });
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? cause?.message ?? (err as Error).message;
  return new UpstreamError(service, `request failed (${detail})`, { retryable: true, cause: err });
}

/** One attempt: the response and its body, read under the same timeout. */
async function attempt(
  ctx: SourceContext,
  env: HttpEnv,
  client: ClientOptions,
  url: string,
  options: RequestOptions,
): Promise<{ response: Response; body: string }> {
  const { settings } = env;
  const timeout = AbortSignal.timeout(settings.timeoutMs);
  const headers: Record<string, string> = {
    'user-agent': settings.userAgent,
    accept: 'application/json, text/html;q=0.9, */*;q=0.5',
    ...client.headers,
    ...options.headers,
  };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const init: RequestInit & { dispatcher?: Dispatcher } = {
    method: options.method ?? 'GET',
    headers,
    signal: AbortSignal.any([ctx.signal, timeout]),
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    ...(client.proxy && env.proxy ? { dispatcher: env.proxy } : {}),
  };
  try {
    const response = await ctx.fetch(url, init);
    // The timeout covers the body too: a board that stalls mid-response fails like one that never answers.
    return { response, body: await response.text() };
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    throw failure(client.service, err, timeout.aborted, settings.timeoutMs);
  }
}

/** A request with spacing and retries; resolves to the body of the first successful response. */
async function request(
  ctx: SourceContext,
  env: HttpEnv,
  client: ClientOptions,
  url: string,
  options: RequestOptions,
): Promise<string> {
  const { settings } = env;
  const { service } = client;
  const host = new URL(url).host;
  for (let n = 0; ; n++) {
    await env.limiter.wait(host, client.minIntervalMs, ctx.signal);
    let delay: number;
    try {
      const { response, body } = await attempt(ctx, env, client, url, options);
      if (response.ok) return body;
      const status = response.status;
      if (!isRetryableStatus(status))
        throw new UpstreamError(service, `HTTP ${status} from ${safeUrl(url)}`, { retryable: false, status });
      if (n >= settings.retries)
        throw new UpstreamError(service, `HTTP ${status} from ${safeUrl(url)} after ${n + 1} attempts`, {
          retryable: true,
          status,
        });
      delay = retryDelay(status, response.headers.get('retry-after'), n, settings, ctx.clock.now(), service);
      ctx.logger.debug(
        { service, status, attempt: n, delayMs: delay },
        'board asked us to slow down; retrying',
      );
    } catch (err) {
      // Timeouts and network errors are retried; HTTP failures were decided above.
      if (
        !(err instanceof UpstreamError) ||
        !err.retryable ||
        err.status !== undefined ||
        n >= settings.retries
      )
        throw err;
      delay = settings.backoffMs * 2 ** n;
      ctx.logger.debug({ service, attempt: n, err: err.message }, 'request failed; retrying');
    }
    await sleep(delay, undefined, { signal: ctx.signal });
  }
}

export function createSourceHttp(ctx: SourceContext, env: HttpEnv, client: ClientOptions): SourceHttp {
  return {
    async json(url, schema, options = {}) {
      return parseBoardJson(client.service, await request(ctx, env, client, url, options), schema);
    },
    text: (url, options = {}) => request(ctx, env, client, url, options),
  };
}
