import { z } from 'zod';
import { baseUrl, commonConfig, defineKind, searchTerms, validItems } from './define.ts';

/**
 * Himalayas (remote jobs only). With search terms: `GET /jobs/api/search?q=&page=N` per term;
 * without: the feed, `GET /jobs/api?limit=&cursor=`, following `nextCursor` (Himalayas' preferred
 * paging, which never returns a job twice). Its terms ask for credit with a link.
 */

const job = z.object({
  guid: z.string(),
  title: z.string(),
  companyName: z.string(),
  applicationLink: z.string(),
  minSalary: z.number().nullish(),
  maxSalary: z.number().nullish(),
  currency: z.string().nullish(),
  salaryPeriod: z.string().nullish(),
  locationRestrictions: z.array(z.string()).nullish(),
  categories: z.array(z.string()).nullish(),
  parentCategories: z.array(z.string()).nullish(),
  seniority: z.array(z.string()).nullish(),
  employmentType: z.string().nullish(),
  description: z.string().nullish(),
  excerpt: z.string().nullish(),
  pubDate: z.number().nullish(),
});
type Job = z.infer<typeof job>;

const page = z.object({
  jobs: z.array(z.unknown()),
  nextCursor: z.string().nullish(),
  totalCount: z.number().nullish(),
});

function toRaw(j: Job) {
  return {
    externalId: j.guid,
    title: j.title,
    company: j.companyName,
    url: j.applicationLink,
    location: (j.locationRestrictions ?? []).join(', ') || null,
    remote: 'remote' as const,
    description: j.description ?? j.excerpt ?? null,
    descriptionFormat: j.description ? ('html' as const) : ('text' as const),
    salary:
      j.minSalary || j.maxSalary
        ? { min: j.minSalary, max: j.maxSalary, currency: j.currency, interval: j.salaryPeriod }
        : null,
    postedAt: j.pubDate ?? null,
    tags: [...(j.parentCategories ?? []), ...(j.categories ?? []).map((c) => c.replace(/-/g, ' '))],
  };
}

export const himalayasKind = defineKind({
  kind: 'himalayas',
  label: 'Himalayas',
  attribution: { text: 'Jobs from Himalayas', url: 'https://himalayas.app' },
  searches: true,
  minIntervalMs: 1000,
  config: z.object({
    baseUrl: baseUrl('https://himalayas.app'),
    /** Pages per search term (or of the feed). */
    maxPages: z.number().int().min(1).max(50).default(5),
    /** At most this many of the users' keywords are searched per run. */
    maxTerms: z.number().int().min(1).max(20).default(5),
    limit: z.number().int().min(1).max(20).default(20),
    ...commonConfig,
  }),
  async *fetch(run) {
    const { config, http } = run;
    const seen = new Set<string>();
    const fresh = function* (items: unknown[]) {
      for (const j of validItems(items, job, run, 'Himalayas')) {
        if (seen.has(j.guid)) continue;
        seen.add(j.guid);
        yield toRaw(j);
      }
    };
    const terms = searchTerms(run.query, config.maxTerms);
    for (const term of terms) {
      for (let n = 1; n <= config.maxPages; n++) {
        const url = `${config.baseUrl}/jobs/api/search?q=${encodeURIComponent(term)}&page=${n}`;
        const data = await http.json(url, page);
        yield* fresh(data.jobs);
        if (data.jobs.length < config.limit) break;
      }
    }
    if (terms.length > 0) return;
    let cursor: string | null = null;
    for (let n = 0; n < config.maxPages; n++) {
      const after: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const data: z.infer<typeof page> = await http.json(
        `${config.baseUrl}/jobs/api?limit=${config.limit}${after}`,
        page,
      );
      yield* fresh(data.jobs);
      cursor = data.nextCursor ?? null;
      if (!cursor || data.jobs.length === 0) return;
    }
  },
});
