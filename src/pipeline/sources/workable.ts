import { z } from 'zod';
import { baseUrl, commonConfig, companyFromSlug, defineKind, validItems } from './define.ts';

/**
 * Workable accounts through the public widget API:
 * `GET /api/v1/widget/accounts/{account}?details=true`, every job with its text in one response.
 */

const job = z.object({
  shortcode: z.string(),
  title: z.string(),
  url: z.string(),
  shortlink: z.string().nullish(),
  telecommuting: z.boolean().nullish(),
  employment_type: z.string().nullish(),
  department: z.string().nullish(),
  published_on: z.string().nullish(),
  created_at: z.string().nullish(),
  city: z.string().nullish(),
  state: z.string().nullish(),
  country: z.string().nullish(),
  locations: z
    .array(
      z
        .object({ city: z.string().nullish(), region: z.string().nullish(), country: z.string().nullish() })
        .loose(),
    )
    .nullish(),
  description: z.string().nullish(),
  requirements: z.string().nullish(),
  benefits: z.string().nullish(),
});
type Job = z.infer<typeof job>;

function place(p: {
  city?: string | null;
  region?: string | null;
  state?: string | null;
  country?: string | null;
}) {
  return [p.city, p.region ?? p.state, p.country].filter(Boolean).join(', ');
}

function locationOf(j: Job): string | null {
  const all = (j.locations ?? []).map(place).filter(Boolean);
  if (all.length > 0) return [...new Set(all)].join(' / ');
  return place(j) || null;
}

export const workableKind = defineKind({
  kind: 'workable',
  label: 'Workable',
  target: 'account',
  minIntervalMs: 500,
  config: z.object({
    account: z.string().regex(/^[\w-]+$/, 'expected a Workable account like "acme"'),
    company: z.string().min(1).optional(),
    baseUrl: baseUrl('https://apply.workable.com'),
    ...commonConfig,
  }),
  async *fetch(run) {
    const { config, http } = run;
    const url = `${config.baseUrl}/api/v1/widget/accounts/${encodeURIComponent(config.account)}?details=true`;
    const data = await http.json(url, z.object({ name: z.string().nullish(), jobs: z.array(z.unknown()) }));
    for (const j of validItems(data.jobs, job, run, 'Workable')) {
      yield {
        externalId: j.shortcode,
        title: j.title,
        company: config.company ?? data.name ?? companyFromSlug(config.account),
        url: j.url,
        location: locationOf(j),
        // Workable's flag says "remote allowed"; false does not mean on-site, so leave it to the text.
        remote: j.telecommuting ? 'remote' : null,
        description: [j.description, j.requirements, j.benefits].filter(Boolean).join('\n'),
        descriptionFormat: 'html',
        postedAt: j.published_on ?? j.created_at ?? null,
        tags: [j.department, j.employment_type].filter((t): t is string => Boolean(t)),
      };
    }
  },
});
