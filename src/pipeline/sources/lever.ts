import { z } from 'zod';
import { commonConfig, companyFromSlug, defineKind, httpUrl, validItems } from './define.ts';

/**
 * Lever postings: `GET /v0/postings/{site}?mode=json&skip=&limit=`, on api.lever.co or, for
 * accounts hosted in Europe, api.eu.lever.co. The full text is description + lists + additional.
 */

const HOSTS = { global: 'https://api.lever.co', eu: 'https://api.eu.lever.co' } as const;
const PAGE = 100;

const posting = z.object({
  id: z.string(),
  text: z.string(),
  hostedUrl: z.string(),
  createdAt: z.number().nullish(),
  workplaceType: z.string().nullish(),
  country: z.string().nullish(),
  categories: z
    .object({
      location: z.string().nullish(),
      allLocations: z.array(z.string()).nullish(),
      team: z.string().nullish(),
      department: z.string().nullish(),
      commitment: z.string().nullish(),
    })
    .nullish(),
  description: z.string().nullish(),
  lists: z.array(z.object({ text: z.string(), content: z.string() })).nullish(),
  additional: z.string().nullish(),
  salaryRange: z
    .object({
      min: z.number().nullish(),
      max: z.number().nullish(),
      currency: z.string().nullish(),
      interval: z.string().nullish(),
    })
    .nullish(),
});
type Posting = z.infer<typeof posting>;

/** "per-year-salary", "per-hour-wage" → "year", "hour"; "one-time" has no interval we compare. */
export function leverInterval(interval: string | null | undefined): string | null {
  const m = /^per-(hour|day|week|month|year)-/.exec(interval ?? '');
  return m?.[1] ?? null;
}

function fullDescription(p: Posting): string {
  // List contents are bare <li>s, sometimes wrapped in a <div>: unwrapped, they read as a list.
  const lists = (p.lists ?? [])
    .map((l) => `<h3>${l.text}</h3><ul>${l.content.replace(/<\/?div\b[^>]*>/gi, '')}</ul>`)
    .join('');
  return `${p.description ?? ''}${lists}${p.additional ?? ''}`;
}

/** Lever says "on-site", "remote", "hybrid" or "unspecified". */
function workplace(type: string | null | undefined) {
  return type === 'remote' || type === 'hybrid' ? type : type === 'on-site' ? 'onsite' : null;
}

export const leverKind = defineKind({
  kind: 'lever',
  label: 'Lever',
  target: 'site',
  minIntervalMs: 500,
  config: z.object({
    site: z.string().regex(/^[\w.-]+$/, 'expected a Lever site name like "netflix"'),
    company: z.string().min(1).optional(),
    region: z.enum(['global', 'eu']).default('global'),
    baseUrl: httpUrl.optional(),
    maxPages: z.number().int().min(1).max(100).default(20),
    ...commonConfig,
  }),
  async *fetch(run) {
    const { config, http } = run;
    const base = config.baseUrl ?? HOSTS[config.region];
    const seen = new Set<string>();
    for (let page = 0; page < config.maxPages; page++) {
      const url = `${base}/v0/postings/${encodeURIComponent(config.site)}?mode=json&skip=${page * PAGE}&limit=${PAGE}`;
      const items = await http.json(url, z.array(z.unknown()));
      for (const p of validItems(items, posting, run, 'Lever')) {
        if (seen.has(p.id)) continue;
        seen.add(p.id);
        const salary = p.salaryRange;
        const interval = leverInterval(salary?.interval);
        yield {
          externalId: p.id,
          title: p.text,
          company: config.company ?? companyFromSlug(config.site),
          url: p.hostedUrl,
          location: p.categories?.location ?? p.categories?.allLocations?.join(' / ') ?? null,
          remote: workplace(p.workplaceType),
          description: fullDescription(p),
          descriptionFormat: 'html',
          // A one-time amount is not a salary we can compare.
          salary: salary && (interval || !salary.interval) ? { ...salary, interval } : null,
          postedAt: p.createdAt ?? null,
          tags: [p.categories?.team, p.categories?.department, p.categories?.commitment].filter(
            (t): t is string => Boolean(t),
          ),
        };
      }
      if (items.length < PAGE) return;
    }
  },
});
