import { z } from 'zod';
import { commonConfig, companyFromSlug, defineKind, httpUrl, validItems } from './define.ts';

/**
 * Recruitee careers sites: `GET https://{company}.recruitee.com/api/offers/`, one response. The
 * text is split between `description` and `requirements`; salary amounts are strings ("3750").
 */

const offer = z.object({
  id: z.union([z.number(), z.string()]),
  title: z.string(),
  careers_url: z.string(),
  company_name: z.string().nullish(),
  status: z.string().nullish(),
  location: z.string().nullish(),
  city: z.string().nullish(),
  country: z.string().nullish(),
  remote: z.boolean().nullish(),
  hybrid: z.boolean().nullish(),
  on_site: z.boolean().nullish(),
  salary: z
    .object({
      min: z.union([z.string(), z.number()]).nullish(),
      max: z.union([z.string(), z.number()]).nullish(),
      period: z.string().nullish(),
      currency: z.string().nullish(),
    })
    .nullish(),
  description: z.string().nullish(),
  requirements: z.string().nullish(),
  published_at: z.string().nullish(),
  created_at: z.string().nullish(),
  department: z.string().nullish(),
  tags: z.array(z.string()).nullish(),
});
type Offer = z.infer<typeof offer>;

function workplace(o: Offer) {
  if (o.remote) return 'remote';
  if (o.hybrid) return 'hybrid';
  if (o.on_site) return 'onsite';
  return null;
}

export const recruiteeKind = defineKind({
  kind: 'recruitee',
  label: 'Recruitee',
  target: 'company',
  minIntervalMs: 500,
  config: z.object({
    company: z.string().regex(/^[\w-]+$/, 'expected a Recruitee subdomain like "channable"'),
    companyName: z.string().min(1).optional(),
    /** Default: https://{company}.recruitee.com */
    baseUrl: httpUrl.optional(),
    ...commonConfig,
  }),
  async *fetch(run) {
    const { config, http } = run;
    const base = config.baseUrl ?? `https://${config.company}.recruitee.com`;
    const data = await http.json(`${base}/api/offers/`, z.object({ offers: z.array(z.unknown()) }));
    for (const o of validItems(data.offers, offer, run, 'Recruitee')) {
      if (o.status && o.status !== 'published') continue;
      yield {
        externalId: String(o.id),
        title: o.title,
        company: config.companyName ?? o.company_name ?? companyFromSlug(config.company),
        url: o.careers_url,
        location: o.location || [o.city, o.country].filter(Boolean).join(', ') || null,
        remote: workplace(o),
        description: [o.description, o.requirements].filter(Boolean).join('\n'),
        descriptionFormat: 'html',
        salary: o.salary ? { ...o.salary, interval: o.salary.period ?? null } : null,
        postedAt: o.published_at ?? o.created_at ?? null,
        tags: [o.department, ...(o.tags ?? [])].filter((t): t is string => Boolean(t)),
      };
    }
  },
});
