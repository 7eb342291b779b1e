import { setTimeout as sleep } from 'node:timers/promises';
import { type Browser, chromium, type Page } from 'playwright-core';
import { UpstreamError } from '../../core/errors.ts';
import type { SourceContext } from '../../core/ports.ts';
import { type HttpEnv, isRetryableStatus, retryDelay, safeUrl } from './http.ts';

/**
 * A real headless Chromium (the system's, driven by playwright-core) for pages that render their
 * postings with JavaScript or refuse plain HTTP clients. One browser per run, closed at its end;
 * the same User-Agent, per-host spacing, timeout and 429/5xx retries as the HTTP client.
 */

export interface BrowserSettings {
  executablePath: string;
  timeoutMs: number;
  proxyUrl?: string | undefined;
  /**
   * Hosts that skip the proxy. Chromium never proxies loopback unless told "<-loopback>", which
   * the tests use to check that pages do go through the proxy.
   */
  proxyBypass?: string | undefined;
}

/** Headless, no sandbox (containers), nothing running in the background that phones home. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

export interface BrowserSession {
  /** Loads a page (waiting for `waitFor` when given) and returns it; the session closes it. */
  open(url: string, options?: { waitFor?: string }): Promise<Page>;
  close(): Promise<void>;
}

function proxyOption(url: string, bypass: string | undefined) {
  const u = new URL(url);
  return {
    server: `${u.protocol}//${u.host}`,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(bypass ? { bypass } : {}),
  };
}

/** Loads a page with the HTTP client's spacing and 429/5xx retries, then waits for `waitFor`. */
async function loadPage(
  page: Page,
  url: string,
  waitFor: string | undefined,
  run: {
    settings: BrowserSettings;
    env: HttpEnv;
    ctx: SourceContext;
    options: { service: string; minIntervalMs: number };
  },
): Promise<void> {
  const { settings, env, ctx, options } = run;
  const { service } = options;
  for (let attempt = 0; ; attempt++) {
    await env.limiter.wait(new URL(url).host, options.minIntervalMs, ctx.signal);
    let response: Awaited<ReturnType<Page['goto']>>;
    try {
      response = await page.goto(url, { waitUntil: 'load', timeout: settings.timeoutMs });
    } catch (err) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      const timedOut = (err as Error).name === 'TimeoutError';
      throw new UpstreamError(
        service,
        timedOut
          ? `page did not load within ${settings.timeoutMs} ms`
          : `page failed to load (${(err as Error).message.split('\n')[0]})`,
        { retryable: true, cause: err },
      );
    }
    const status = response?.status() ?? 200;
    if (status < 400) break;
    if (!isRetryableStatus(status))
      throw new UpstreamError(service, `HTTP ${status} from ${safeUrl(url)}`, { retryable: false, status });
    if (attempt >= env.settings.retries)
      throw new UpstreamError(service, `HTTP ${status} from ${safeUrl(url)} after ${attempt + 1} attempts`, {
        retryable: true,
        status,
      });
    const retryAfter = (await response?.allHeaders())?.['retry-after'] ?? null;
    await sleep(retryDelay(status, retryAfter, attempt, env.settings, ctx.clock.now(), service), undefined, {
      signal: ctx.signal,
    });
  }
  if (waitFor) {
    try {
      await page.waitForSelector(waitFor, { state: 'attached', timeout: settings.timeoutMs });
    } catch (err) {
      throw new UpstreamError(
        service,
        `the page never showed "${waitFor}" (blocked, or its layout changed)`,
        {
          retryable: true,
          cause: err,
        },
      );
    }
  }
}

export async function launchBrowser(
  settings: BrowserSettings,
  env: HttpEnv,
  ctx: SourceContext,
  options: { service: string; minIntervalMs: number; proxy: boolean },
): Promise<BrowserSession> {
  const { service } = options;
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: settings.executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: settings.timeoutMs,
      ...(options.proxy && settings.proxyUrl
        ? { proxy: proxyOption(settings.proxyUrl, settings.proxyBypass) }
        : {}),
    });
  } catch (err) {
    throw new UpstreamError(
      service,
      `Chromium did not start (${settings.executablePath}): ${(err as Error).message}`,
      {
        retryable: false,
        cause: err,
      },
    );
  }
  const onAbort = () => void browser.close().catch(() => undefined);
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const context = await browser
    .newContext({ userAgent: env.settings.userAgent, javaScriptEnabled: true })
    .catch(async (err: unknown) => {
      await browser.close().catch(() => undefined);
      throw err;
    });
  context.setDefaultTimeout(settings.timeoutMs);

  return {
    async open(url, openOptions) {
      const page = await context.newPage();
      await loadPage(page, url, openOptions?.waitFor, { settings, env, ctx, options });
      return page;
    },
    async close() {
      ctx.signal.removeEventListener('abort', onAbort);
      await browser.close().catch(() => undefined);
    },
  };
}
