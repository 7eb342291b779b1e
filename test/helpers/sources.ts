import { type Clock, type FetchFn, type SourceQuery, systemClock } from '../../src/core/ports.ts';
import type { NormalizedPosting, RawPosting } from '../../src/core/types.ts';
import type { SourceRow } from '../../src/db/fetch-runs.ts';
import { normalizePosting } from '../../src/pipeline/normalize.ts';
import type { QuotaPort, SourceDeps } from '../../src/pipeline/sources/define.ts';
import {
  createHttpEnv,
  DEFAULT_HTTP_SETTINGS,
  type HttpSettings,
  userAgent,
} from '../../src/pipeline/sources/http.ts';
import type { SourceKind } from '../../src/pipeline/sources/registry.ts';
import { chromiumPath } from './chromium.ts';
import { testLogger } from './db.ts';

/** Runs one board adapter against the fake boards, as the fetch stage would, and normalises what it yields. */

export function memoryQuota(): QuotaPort & { used: Map<string, number> } {
  const used = new Map<string, number>();
  return {
    used,
    async take(bucket, limit) {
      const n = used.get(bucket) ?? 0;
      if (n >= limit) return false;
      used.set(bucket, n + 1);
      return true;
    },
  };
}

export interface TestDepsOptions {
  http?: Partial<HttpSettings>;
  keys?: SourceDeps['keys'];
  quota?: QuotaPort;
  proxyBypass?: string;
}

/** Fast retries and no request spacing unless a test asks for them. */
export function testDeps(options: TestDepsOptions = {}): SourceDeps {
  const http = createHttpEnv({
    ...DEFAULT_HTTP_SETTINGS,
    userAgent: userAgent('https://jobping.example/contact'),
    timeoutMs: 5_000,
    retries: 2,
    backoffMs: 10,
    maxRetryAfterMs: 5_000,
    ...options.http,
  });
  return {
    http,
    browser: {
      executablePath: chromiumPath,
      timeoutMs: options.http?.timeoutMs ?? 15_000,
      proxyUrl: http.settings.proxyUrl,
      proxyBypass: options.proxyBypass,
    },
    quota: options.quota ?? memoryQuota(),
    keys: options.keys ?? {},
  };
}

export const NO_QUERY: SourceQuery = { text: null, keywords: [], locations: [] };

export interface Collected {
  raw: RawPosting[];
  postings: NormalizedPosting[];
  invalid: string[];
  error: Error | null;
  ms: number;
}

export function sourceRow(id: string, config: Record<string, unknown>): SourceRow {
  return {
    id,
    kind: id.split(':')[0]!,
    config,
    enabled: true,
    consecutiveFailures: 0,
    pausedUntil: null,
    pauseReason: null,
  };
}

export async function collect(
  kind: SourceKind,
  id: string,
  config: Record<string, unknown>,
  options: { query?: SourceQuery; fetch?: FetchFn; clock?: Clock; signal?: AbortSignal } = {},
): Promise<Collected> {
  const clock = options.clock ?? systemClock;
  const started = performance.now();
  const raw: RawPosting[] = [];
  let error: Error | null = null;
  try {
    // No request spacing unless the test asks for it: every fake board shares one host.
    const source = kind.create(sourceRow(id, { minIntervalMs: 0, ...config }));
    const ctx = {
      fetch: options.fetch ?? globalThis.fetch,
      signal: options.signal ?? new AbortController().signal,
      logger: testLogger,
      clock,
    };
    for await (const posting of source.fetch(options.query ?? NO_QUERY, ctx)) raw.push(posting);
  } catch (err) {
    error = err as Error;
  }
  const ms = performance.now() - started;
  const postings: NormalizedPosting[] = [];
  const invalid: string[] = [];
  for (const r of raw) {
    const result = normalizePosting(r, { now: clock.now() });
    if (result.ok) postings.push(result.posting);
    else invalid.push(result.error);
  }
  return { raw, postings, invalid, error, ms };
}

/** Postings by external id, for readable assertions. */
export function byId(postings: NormalizedPosting[]): Record<string, NormalizedPosting> {
  return Object.fromEntries(postings.map((p) => [p.externalId, p]));
}
