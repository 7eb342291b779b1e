import { z } from 'zod';
import { PLATFORMS, REMOTE_MODES, SALARY_INTERVALS, SENIORITIES } from '../core/types.ts';

/**
 * The zod schemas of the admin API: they validate requests, shape responses and are the OpenAPI
 * document (generated from them). Timestamps are ISO 8601 strings on the wire and Dates inside.
 */

export const timestamp = z.codec(z.iso.datetime({ offset: true }), z.date(), {
  decode: (s) => new Date(s),
  encode: (d) => d.toISOString(),
});

export const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const idParams = z.object({ id });
export const limit = (fallback: number, max = 200) =>
  z.coerce.number().int().min(1).max(max).default(fallback);

/** Query-string booleans: "true"/"false" (and 1/0), nothing looser. */
export const queryBoolean = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** A comma-separated list in one query parameter ("remote,hybrid"). */
export const csv = <T extends z.ZodType<string, string>>(item: T) =>
  z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).min(1).max(50));

export const platform = z.enum(PLATFORMS);
export const remoteMode = z.enum(REMOTE_MODES);
export const matchCounts = z.object({
  new: z.number().int(),
  saved: z.number().int(),
  dismissed: z.number().int(),
  applied: z.number().int(),
});
export const deliveryCounts = z.object({
  pending: z.number().int(),
  sending: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  undeliverable: z.number().int(),
  skipped: z.number().int(),
});

export const salary = z.object({
  min: z.number().nullable(),
  max: z.number().nullable(),
  currency: z.string(),
  interval: z.enum(SALARY_INTERVALS),
});

export const analysis = z.object({
  status: z.enum(['pending', 'succeeded', 'failed', 'skipped']),
  analyzer: z.enum(['openai', 'heuristic']).nullable(),
  model: z.string().nullable(),
  seniority: z.enum(SENIORITIES).nullable(),
  skills: z.array(z.string()),
  remotePolicy: remoteMode.nullable(),
  salaryAnnual: z
    .object({ min: z.number().nullable(), max: z.number().nullable(), currency: z.string() })
    .nullable(),
  visaSponsorship: z.boolean().nullable(),
  relocation: z.boolean().nullable(),
  summary: z.string().nullable(),
  error: z.string().nullable(),
});

export const jobItem = z.object({
  id: z.number().int(),
  sourceId: z.string(),
  externalId: z.string(),
  canonicalId: z.number().int().nullable().describe('set on duplicates: the posting they repeat'),
  title: z.string(),
  company: z.string(),
  location: z.string().nullable(),
  remote: remoteMode,
  salary: salary.nullable(),
  postedAt: timestamp.nullable(),
  url: z.string(),
  tags: z.array(z.string()),
  firstSeenAt: timestamp,
  lastSeenAt: timestamp,
  closedAt: timestamp.nullable(),
  analysis: analysis.nullable(),
});

export const runStatus = z.enum(['queued', 'running', 'succeeded', 'failed']);
export const trigger = z.enum(['chat', 'schedule', 'api', 'cli']);

export const run = z.object({
  id: z.number().int(),
  requestId: z.number().int(),
  sourceId: z.string(),
  trigger,
  status: runStatus,
  found: z.number().int(),
  new: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  invalid: z.number().int(),
  duplicates: z.number().int(),
  error: z.string().nullable(),
  warning: z
    .string()
    .nullable()
    .describe('set when the run found 0 postings where the previous runs found plenty'),
  createdAt: timestamp,
  startedAt: timestamp.nullable(),
  finishedAt: timestamp.nullable(),
});

export const sourceHealth = z.enum(['ok', 'failing', 'paused', 'disabled', 'new']);

/** Opaque page cursors: base64url JSON, so clients treat them as tokens and never build them. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function cursorOf<T extends z.ZodType>(shape: T) {
  return z
    .string()
    .max(500)
    .transform((s, ctx) => {
      try {
        return JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not a cursor this API returned' });
        return z.NEVER;
      }
    })
    .pipe(shape);
}
