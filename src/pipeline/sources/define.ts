import { z } from 'zod';
import { InvalidInputError, UpstreamError } from '../../core/errors.ts';
import type { Attribution, Source, SourceContext, SourceQuery } from '../../core/ports.ts';
import type { RawPosting } from '../../core/types.ts';
import type { SourceRow } from '../../db/fetch-runs.ts';
import type { BrowserSettings } from './browser.ts';
import { createSourceHttp, type HttpEnv, type SourceHttp } from './http.ts';
import type { SourceKind } from './registry.ts';

/**
 * How a board adapter is declared: its kind, label, attribution, a zod schema for its row's
 * config, and a generator from (validated config, query, context) to raw postings. Rows look like
 * "greenhouse:stripe": the part after the colon fills the kind's `target` config key.
 */

/** Counts requests per UTC day where a board's terms limit them (kept in the database). */
export interface QuotaPort {
  /** Takes one request from today's allowance; false when it is used up. */
  take(bucket: string, dailyLimit: number): Promise<boolean>;
}

export interface SourceDeps {
  http: HttpEnv;
  browser: BrowserSettings;
  quota: QuotaPort;
  keys: {
    adzuna?: { appId: string; appKey: string } | undefined;
    usajobs?: { apiKey: string; userAgent: string } | undefined;
  };
}

export interface RunContext<C> {
  config: C;
  query: SourceQuery;
  ctx: SourceContext;
  deps: SourceDeps;
  /** The board's HTTP client for this run (rate limit, retries, validation). */
  http: SourceHttp;
  sourceId: string;
}

export interface KindSpec<S extends z.ZodObject> {
  kind: string;
  label: string;
  attribution?: Attribution;
  /** Shown by `jobping sources add` and logged at each run: terms and blocking risks. */
  warning?: string;
  config: S;
  /** The config key the id's target goes into ("greenhouse:stripe" → board: "stripe"). */
  target?: keyof z.infer<S> & string;
  /** A query-based board: it searches the users' keywords and places (see `searchTerms`). */
  searches?: boolean;
  /** Default spacing between requests to the board's host. */
  minIntervalMs: number;
  /** Search boards go through the scraper proxy. */
  proxy?: boolean;
  /** Refuses to build the source when something it needs is missing (API keys). */
  requires?(deps: SourceDeps): string | null;
  fetch(run: RunContext<z.infer<S>>): AsyncIterable<RawPosting>;
}

/** A board's base URL: configurable so that tests (or a mirror) can stand in for the real host. */
export const httpUrl = z
  .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
  .transform((u) => u.replace(/\/+$/, ''));

/** A page's own URL (careers pages, Workday sites), kept exactly as given. */
export const pageUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });

export function baseUrl(fallback: string) {
  return httpUrl.default(fallback);
}

/** Fields every board accepts in its config. */
export const commonConfig = {
  /** Overrides the kind's default spacing between requests (tests, or a board that allows more). */
  minIntervalMs: z.number().int().min(0).max(600_000).optional(),
};

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ');
}

/** "greenhouse:stripe" → "stripe"; "remoteok" → null. */
export function targetOf(sourceId: string): string | null {
  const i = sourceId.indexOf(':');
  return i < 0 ? null : sourceId.slice(i + 1);
}

export function defineKind<S extends z.ZodObject>(spec: KindSpec<S>): (deps: SourceDeps) => SourceKind {
  const validate = (sourceId: string, config: unknown): z.infer<S> => {
    const target = targetOf(sourceId);
    const input = { ...(config && typeof config === 'object' ? config : {}) } as Record<string, unknown>;
    if (target !== null && spec.target && input[spec.target] === undefined) input[spec.target] = target;
    if (target === null && spec.target && input[spec.target] === undefined)
      throw new InvalidInputError(
        `${sourceId}: say which ${spec.target} to read, as "${spec.kind}:<${spec.target}>" or in the config`,
      );
    const parsed = spec.config.safeParse(input);
    if (!parsed.success)
      throw new InvalidInputError(`${sourceId}: invalid config: ${describe(parsed.error)}`);
    return parsed.data;
  };

  return (deps) => ({
    kind: spec.kind,
    label: spec.label,
    ...(spec.attribution ? { attribution: spec.attribution } : {}),
    ...(spec.warning ? { warning: spec.warning } : {}),
    validateConfig(sourceId, config) {
      const missing = spec.requires?.(deps);
      if (missing) throw new InvalidInputError(`${sourceId}: ${missing}`);
      validate(sourceId, config);
      const target = targetOf(sourceId);
      const stored = { ...(config as Record<string, unknown>) };
      if (target !== null && spec.target && stored[spec.target] === undefined) stored[spec.target] = target;
      return stored;
    },
    create(row: SourceRow): Source {
      const missing = spec.requires?.(deps);
      if (missing) throw new InvalidInputError(`${row.id}: ${missing}`);
      const config = validate(row.id, row.config);
      const interval = (config as { minIntervalMs?: number }).minIntervalMs ?? spec.minIntervalMs;
      return {
        id: row.id,
        kind: spec.kind,
        ...(spec.attribution ? { attribution: spec.attribution } : {}),
        searches: spec.searches ?? false,
        fetch(query, ctx) {
          if (spec.warning) ctx.logger.info({ sourceId: row.id }, spec.warning);
          const http = createSourceHttp(ctx, deps.http, {
            service: spec.label,
            minIntervalMs: interval,
            proxy: spec.proxy ?? false,
          });
          return spec.fetch({ config, query, ctx, deps, http, sourceId: row.id });
        },
      };
    },
  });
}

/**
 * The terms a query-based board searches for: the fetch's text, else the first `max` of the users'
 * keywords (ordered so the first few serve the most users; see search-terms.ts).
 */
export function searchTerms(query: SourceQuery, max: number): string[] {
  if (query.text?.trim()) return [query.text.trim()];
  return query.keywords.slice(0, max);
}

/**
 * Takes one request from a board's daily allowance. When it is used up before the run's first
 * request the run fails saying when it resets; later in a run it stops paging politely (false).
 */
export async function takeQuota(
  run: RunContext<unknown>,
  bucket: string,
  dailyLimit: number,
  requestsSoFar: number,
): Promise<boolean> {
  if (await run.deps.quota.take(bucket, dailyLimit)) return true;
  if (requestsSoFar === 0)
    throw new UpstreamError(
      bucket,
      `daily limit of ${dailyLimit} request${dailyLimit === 1 ? '' : 's'} reached; it resets at 00:00 UTC`,
      {
        retryable: false,
      },
    );
  run.ctx.logger.info({ sourceId: run.sourceId, dailyLimit }, 'daily request limit reached; stopping here');
  return false;
}

/** "netflix" → "Netflix": a board slug as a company name when the config gives none. */
export function companyFromSlug(slug: string): string {
  const words = slug.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Yields each item that fits the item schema; logs the rest. A page of nothing valid fails the run. */
export function* validItems<S extends z.ZodType>(
  items: readonly unknown[],
  schema: S,
  run: { ctx: SourceContext; sourceId: string },
  service: string,
): Generator<z.infer<S>> {
  let valid = 0;
  const errors: string[] = [];
  for (const item of items) {
    const parsed = schema.safeParse(item);
    if (parsed.success) {
      valid++;
      yield parsed.data;
    } else {
      errors.push(describe(parsed.error));
    }
  }
  if (errors.length > 0)
    run.ctx.logger.warn(
      { sourceId: run.sourceId, skipped: errors.length, first: errors[0] },
      'board items not in the expected shape were skipped',
    );
  if (valid === 0 && errors.length > 0)
    throw new UpstreamError(service, `no item in the response has the expected shape: ${errors[0]}`, {
      retryable: false,
    });
}
