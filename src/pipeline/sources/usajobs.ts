import { z } from 'zod';
import type { RawPosting } from '../../core/types.ts';
import { baseUrl, commonConfig, defineKind, searchTerms, takeQuota, validItems } from './define.ts';

/**
 * USAJOBS (US federal jobs), enabled by USAJOBS_API_KEY and USAJOBS_USER_AGENT (the e-mail the
 * key was issued to, which USAJOBS wants as the User-Agent): `GET /api/search?Keyword=&Page=`.
 * Requests per day are counted in the database against `dailyLimit`.
 */

const item = z.object({
  MatchedObjectId: z.union([z.string(), z.number()]),
  MatchedObjectDescriptor: z.object({
    PositionID: z.string().nullish(),
    PositionTitle: z.string(),
    PositionURI: z.string(),
    PositionLocationDisplay: z.string().nullish(),
    PositionLocation: z.array(z.object({ LocationName: z.string().nullish() }).loose()).nullish(),
    OrganizationName: z.string().nullish(),
    DepartmentName: z.string().nullish(),
    JobCategory: z.array(z.object({ Name: z.string() }).loose()).nullish(),
    QualificationSummary: z.string().nullish(),
    PositionRemuneration: z
      .array(
        z
          .object({
            MinimumRange: z.union([z.string(), z.number()]).nullish(),
            MaximumRange: z.union([z.string(), z.number()]).nullish(),
            RateIntervalCode: z.string().nullish(),
            Description: z.string().nullish(),
          })
          .loose(),
      )
      .nullish(),
    PublicationStartDate: z.string().nullish(),
    UserArea: z
      .object({
        Details: z
          .object({
            JobSummary: z.string().nullish(),
            MajorDuties: z.union([z.array(z.string()), z.string()]).nullish(),
            TeleworkEligible: z.boolean().nullish(),
            RemoteIndicator: z.boolean().nullish(),
          })
          .loose()
          .nullish(),
      })
      .loose()
      .nullish(),
  }),
});
type Item = z.infer<typeof item>;

const response = z.object({
  SearchResult: z.object({
    SearchResultItems: z.array(z.unknown()),
    UserArea: z
      .object({ NumberOfPages: z.union([z.string(), z.number()]).nullish() })
      .loose()
      .nullish(),
  }),
});

/** USAJOBS pay intervals, as codes ("PA") or words ("Per Year"); bi-weekly and fee basis are left out. */
const INTERVALS: Record<string, string> = {
  pa: 'year',
  'per year': 'year',
  ph: 'hour',
  'per hour': 'hour',
  pd: 'day',
  'per day': 'day',
  pw: 'week',
  'per week': 'week',
  pm: 'month',
  'per month': 'month',
};

function toRaw(i: Item): RawPosting {
  const d = i.MatchedObjectDescriptor;
  const details = d.UserArea?.Details;
  const pay = d.PositionRemuneration?.[0];
  const interval = INTERVALS[(pay?.RateIntervalCode ?? pay?.Description ?? '').trim().toLowerCase()];
  const duties = [details?.MajorDuties ?? []].flat();
  return {
    externalId: String(i.MatchedObjectId),
    title: d.PositionTitle,
    company: d.OrganizationName || d.DepartmentName || 'US Federal Government',
    url: d.PositionURI,
    location: d.PositionLocationDisplay ?? (d.PositionLocation ?? []).map((l) => l.LocationName).join(' / '),
    remote: details?.RemoteIndicator ? 'remote' : details?.TeleworkEligible ? 'hybrid' : null,
    description: [details?.JobSummary, ...duties, d.QualificationSummary].filter(Boolean).join('\n\n'),
    descriptionFormat: 'text',
    salary:
      pay && interval ? { min: pay.MinimumRange, max: pay.MaximumRange, currency: 'USD', interval } : null,
    postedAt: d.PublicationStartDate ?? null,
    tags: [d.DepartmentName, ...(d.JobCategory ?? []).map((c) => c.Name)].filter((t): t is string =>
      Boolean(t),
    ),
  };
}

export const usaJobsKind = defineKind({
  kind: 'usajobs',
  label: 'USAJOBS',
  searches: true,
  minIntervalMs: 1000,
  requires: (deps) =>
    deps.keys.usajobs ? null : 'USAJOBS needs USAJOBS_API_KEY and USAJOBS_USER_AGENT to be set',
  config: z.object({
    baseUrl: baseUrl('https://data.usajobs.gov'),
    locationName: z.string().min(1).optional(),
    resultsPerPage: z.number().int().min(1).max(500).default(100),
    maxPages: z.number().int().min(1).max(20).default(2),
    maxTerms: z.number().int().min(1).max(10).default(3),
    dailyLimit: z.number().int().min(1).max(100_000).default(500),
    ...commonConfig,
  }),
  async *fetch(run) {
    const { config, http } = run;
    const key = run.deps.keys.usajobs!;
    const headers = { 'authorization-key': key.apiKey, 'user-agent': key.userAgent };
    const terms = searchTerms(run.query, config.maxTerms);
    const seen = new Set<string>();
    let requests = 0;
    for (const term of terms.length > 0 ? terms : [null]) {
      for (let n = 1; n <= config.maxPages; n++) {
        if (!(await takeQuota(run, 'usajobs', config.dailyLimit, requests))) return;
        requests++;
        const params = new URLSearchParams({
          ResultsPerPage: String(config.resultsPerPage),
          Page: String(n),
        });
        if (term) params.set('Keyword', term);
        if (config.locationName) params.set('LocationName', config.locationName);
        const data = await http.json(`${config.baseUrl}/api/search?${params}`, response, { headers });
        const result = data.SearchResult;
        for (const i of validItems(result.SearchResultItems, item, run, 'USAJOBS')) {
          const raw = toRaw(i);
          if (seen.has(raw.externalId)) continue;
          seen.add(raw.externalId);
          yield raw;
        }
        const pages = Number(result.UserArea?.NumberOfPages ?? 0);
        if (result.SearchResultItems.length === 0 || n >= pages) break;
      }
    }
  },
});
