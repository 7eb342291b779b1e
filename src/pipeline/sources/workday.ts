import { z } from 'zod';
import { InvalidInputError, UpstreamError } from '../../core/errors.ts';
import { commonConfig, companyFromSlug, defineKind, pageUrl, validItems } from './define.ts';

/**
 * Workday careers sites through their own JSON API ("cxs"): `POST /wday/cxs/{tenant}/{site}/jobs`
 * with `{limit, offset, searchText, appliedFacets}`, 20 at a time. Workday sends the total only
 * with the first page, and lists only relative dates ("Posted 4 Days Ago"); each posting's detail
 * (`GET /wday/cxs/{tenant}/{site}{externalPath}`) has its text and start date.
 */

const PAGE = 20;
const DAY_MS = 86_400_000;

const listItem = z.object({
  title: z.string(),
  externalPath: z.string(),
  locationsText: z.string().nullish(),
  postedOn: z.string().nullish(),
  bulletFields: z.array(z.string()).nullish(),
});
const page = z.object({ total: z.number().nullish(), jobPostings: z.array(z.unknown()) });
const detail = z.object({
  jobPostingInfo: z.object({
    jobDescription: z.string().nullish(),
    location: z.string().nullish(),
    additionalLocations: z.array(z.string()).nullish(),
    startDate: z.string().nullish(),
    timeType: z.string().nullish(),
    remoteType: z.string().nullish(),
    externalUrl: z.string().nullish(),
  }),
  hiringOrganization: z.object({ name: z.string().nullish() }).nullish(),
});
type Detail = z.infer<typeof detail>;

/** "Posted Today" / "Posted Yesterday" / "Posted 3 Days Ago"; "30+ Days" is too vague to keep. */
export function workdayPostedOn(text: string | null | undefined, now: Date): Date | null {
  const t = text?.toLowerCase() ?? '';
  const days = t.includes('today')
    ? 0
    : t.includes('yesterday')
      ? 1
      : Number(/(\d+) days? ago/.exec(t)?.[1] ?? Number.NaN);
  if (Number.isNaN(days) || t.includes('+')) return null;
  return new Date(now.getTime() - days * DAY_MS);
}

/** "https://acme.wd5.myworkdayjobs.com/en-US/External" → API base, tenant "acme", site "External". */
export function workdaySite(
  url: string,
  overrides: { tenant?: string | undefined; site?: string | undefined },
) {
  const u = new URL(url);
  const segments = u.pathname.split('/').filter(Boolean);
  const site = overrides.site ?? segments.at(-1);
  const tenant = overrides.tenant ?? u.hostname.split('.')[0];
  if (!site || !tenant)
    throw new InvalidInputError(
      `workday: cannot tell the tenant and site from ${url}; set "tenant" and "site"`,
    );
  return { api: `${u.origin}/wday/cxs/${tenant}/${site}`, siteUrl: url.replace(/\/+$/, ''), tenant, site };
}

function remoteOf(d: Detail | null) {
  const r = d?.jobPostingInfo.remoteType?.toLowerCase() ?? '';
  if (r.includes('hybrid')) return 'hybrid';
  if (r.includes('remote')) return 'remote';
  if (r.includes('site') || r.includes('office')) return 'onsite';
  return null;
}

export const workdayKind = defineKind({
  kind: 'workday',
  label: 'Workday',
  target: 'url',
  minIntervalMs: 500,
  config: z.object({
    /** The careers site as candidates see it. */
    url: pageUrl,
    tenant: z.string().min(1).optional(),
    site: z.string().min(1).optional(),
    company: z.string().min(1).optional(),
    searchText: z.string().default(''),
    details: z.boolean().default(true),
    maxDetails: z.number().int().min(0).max(2000).default(200),
    maxPages: z.number().int().min(1).max(200).default(25),
    ...commonConfig,
  }),
  async *fetch(run) {
    const { config, http, ctx } = run;
    const site = workdaySite(config.url, config);
    const seen = new Set<string>();
    let total = Number.POSITIVE_INFINITY;
    let detailsRead = 0;
    for (let n = 0, offset = 0; n < config.maxPages && offset < total; n++, offset += PAGE) {
      const body = { appliedFacets: {}, limit: PAGE, offset, searchText: config.searchText };
      const data = await http.json(`${site.api}/jobs`, page, { method: 'POST', body });
      if (n === 0) total = data.total ?? 0;
      if (data.jobPostings.length === 0) return;
      for (const p of validItems(data.jobPostings, listItem, run, 'Workday')) {
        // Pages shift when postings open or close mid-run; a posting seen on an earlier page is skipped.
        if (seen.has(p.externalPath)) continue;
        seen.add(p.externalPath);
        let d: Detail | null = null;
        if (config.details && detailsRead < config.maxDetails) {
          detailsRead++;
          d = await http.json(`${site.api}${p.externalPath}`, detail).catch((err: unknown) => {
            if (err instanceof UpstreamError && err.status === 404) return null;
            throw err;
          });
        }
        const info = d?.jobPostingInfo;
        // "2 Locations" is a count, not a place.
        const listed = p.locationsText && !/^\d+ locations?$/i.test(p.locationsText) ? p.locationsText : null;
        const location = info?.location
          ? [info.location, ...(info.additionalLocations ?? [])].join(' / ')
          : listed;
        yield {
          externalId: p.externalPath,
          title: p.title,
          company: config.company ?? d?.hiringOrganization?.name ?? companyFromSlug(site.tenant),
          url: info?.externalUrl ?? `${site.siteUrl}${p.externalPath}`,
          location,
          remote: remoteOf(d),
          description: info?.jobDescription ?? null,
          descriptionFormat: 'html',
          postedAt: info?.startDate ?? workdayPostedOn(p.postedOn, ctx.clock.now()),
          tags: info?.timeType ? [info.timeType] : [],
        };
      }
    }
  },
});
