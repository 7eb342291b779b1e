import { createHash } from 'node:crypto';
import { z } from 'zod';
import { mentionsCurrency, parseSalaryFields, parseSalaryText } from '../core/salary.ts';
import { type NormalizedPosting, type RawPosting, REMOTE_MODES, type Salary } from '../core/types.ts';
import { cleanInline, htmlToPlainText, looksLikeHtml, plainDescription } from './html-text.ts';
import { dedupKey, normalizeTags, parsePostedAt, resolveRemote } from './posting-fields.ts';

/**
 * RawPosting (a board's posting in the common shape, untrusted) → NormalizedPosting (validated,
 * plain text, salary and remote mode resolved, dedup key and content hash computed).
 */

export { dedupKey } from './posting-fields.ts';

const amount = z.union([z.number(), z.string().max(50)]);

/** Some boards say "on-site" or "Remote"; the canonical spelling is lower-case, no hyphen. */
function remoteSpelling(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const v = value
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
  return v === '' ? null : v;
}

export const rawPostingSchema = z.object({
  externalId: z
    .union([z.string(), z.number().int().nonnegative()])
    .transform((v) => String(v).trim())
    .pipe(z.string().min(1, 'must not be empty').max(500)),
  title: z.string().trim().min(1, 'must not be empty').max(300),
  company: z.string().trim().min(1, 'must not be empty').max(200),
  url: z
    .string()
    .trim()
    .max(2000)
    .pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })),
  location: z.string().max(500).nullish(),
  remote: z.preprocess(remoteSpelling, z.union([z.enum(REMOTE_MODES), z.boolean()]).nullish()),
  description: z.string().nullish(),
  descriptionFormat: z
    .enum(['html', 'text'])
    .nullish()
    .transform((v) => v ?? undefined),
  salary: z
    .object({
      min: amount.nullish(),
      max: amount.nullish(),
      currency: z.string().max(10).nullish(),
      interval: z.string().max(40).nullish(),
    })
    .nullish(),
  salaryText: z.string().max(2000).nullish(),
  postedAt: z.union([z.string().max(100), z.number(), z.date()]).nullish(),
  tags: z
    .array(z.string().max(200))
    .max(500)
    .nullish()
    .transform((v) => v ?? undefined),
  freeText: z
    .boolean()
    .nullish()
    .transform((v) => v ?? undefined),
  identifiedByUrlOnly: z
    .boolean()
    .nullish()
    .transform((v) => v ?? undefined),
});

export type NormalizeResult = { ok: true; posting: NormalizedPosting } | { ok: false; error: string };

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(posting)'}: ${i.message}`).join('; ');
}

function descriptionOf(raw: Pick<RawPosting, 'description' | 'descriptionFormat'>): string {
  const text = raw.description ?? '';
  if (!text) return '';
  const html = raw.descriptionFormat ? raw.descriptionFormat === 'html' : looksLikeHtml(text);
  return html ? htmlToPlainText(text) : plainDescription(text);
}

/** Salary search in the description stops here: pay mentioned later is rarely this job's. */
const SALARY_SEARCH_CHARS = 2000;

function salaryOf(raw: Pick<RawPosting, 'salary' | 'salaryText'>, description: string): Salary | null {
  const stated = parseSalaryFields(raw.salary, raw.salaryText);
  if (stated) return stated;
  const head = description.slice(0, SALARY_SEARCH_CHARS);
  return mentionsCurrency(head) ? parseSalaryText(head) : null;
}

type HashedFields = Pick<
  NormalizedPosting,
  'title' | 'company' | 'location' | 'remote' | 'salary' | 'description' | 'url'
>;

/**
 * sha-256 of what an analysis depends on. Not the posting date: a repost with only a new date is
 * the same content and needs no new analysis.
 */
export function contentHash(p: HashedFields): string {
  const s = p.salary;
  // An array, not an object, so the order never depends on how the posting was built.
  const stable = JSON.stringify([
    p.title,
    p.company,
    p.location,
    p.remote,
    s ? [s.min, s.max, s.currency, s.interval] : null,
    p.description,
    p.url,
  ]);
  return createHash('sha256').update(stable).digest('hex');
}

function normalizeValid(raw: RawPosting, now: Date): NormalizeResult {
  const title = cleanInline(raw.title);
  const company = cleanInline(raw.company);
  const empty = [title ? null : 'title', company ? null : 'company'].filter((f) => f !== null);
  if (empty.length > 0)
    return { ok: false, error: empty.map((f) => `${f}: empty once markup is removed`).join('; ') };
  const location = raw.location ? cleanInline(raw.location) || null : null;
  const description = descriptionOf(raw);
  const hashed: HashedFields = {
    title,
    company,
    location,
    remote: resolveRemote(raw.remote, { title, location, description }),
    salary: salaryOf(raw, description),
    description,
    url: raw.url,
  };
  const posting: NormalizedPosting = {
    externalId: raw.externalId,
    ...hashed,
    postedAt: parsePostedAt(raw.postedAt, now),
    tags: normalizeTags(raw.tags),
    freeText: raw.freeText === true,
    // Guessed fields may not tell two posts apart (two comments both guessed "Open roles" at a
    // "Company not named"): such a posting is only ever the same job as itself. A post whose
    // "Company | Role | Place" line was read still folds with its repost in next month's thread.
    dedupKey: raw.identifiedByUrlOnly
      ? `${dedupKey(company, title, location)}|${raw.url}`
      : dedupKey(company, title, location),
    contentHash: contentHash(hashed),
  };
  return { ok: true, posting };
}

/**
 * Validates and normalises one posting from a source. Never throws: a bad posting comes back as
 * `{ ok: false, error }` naming the failing fields, so the fetch stage can skip and count it.
 */
export function normalizePosting(raw: unknown, options: { now: Date }): NormalizeResult {
  const parsed = rawPostingSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, error: describeIssues(parsed.error) };
  try {
    return normalizeValid(parsed.data, options.now);
  } catch (err) {
    // A converter bug on hostile markup must cost one posting, not the whole fetch.
    return { ok: false, error: `could not normalise: ${err instanceof Error ? err.message : String(err)}` };
  }
}
