import { z } from 'zod';
import { baseUrl, commonConfig, companyFromSlug, defineKind, validItems } from './define.ts';

/**
 * Ashby job boards: `GET /posting-api/job-board/{org}?includeCompensation=true`, one response.
 * Pay comes as compensation components ("Salary", interval "1 YEAR", currency code, min/max).
 */

const component = z.object({
  compensationType: z.string().nullish(),
  interval: z.string().nullish(),
  currencyCode: z.string().nullish(),
  minValue: z.number().nullish(),
  maxValue: z.number().nullish(),
});

const job = z.object({
  id: z.string(),
  title: z.string(),
  jobUrl: z.string(),
  location: z.string().nullish(),
  secondaryLocations: z.array(z.object({ location: z.string().nullish() }).loose()).nullish(),
  publishedAt: z.string().nullish(),
  isListed: z.boolean().nullish(),
  isRemote: z.boolean().nullish(),
  workplaceType: z.string().nullish(),
  department: z.string().nullish(),
  team: z.string().nullish(),
  employmentType: z.string().nullish(),
  descriptionHtml: z.string().nullish(),
  descriptionPlain: z.string().nullish(),
  compensation: z
    .object({
      summaryComponents: z.array(component).nullish(),
      compensationTiers: z.array(z.object({ components: z.array(component).nullish() }).loose()).nullish(),
      compensationTierSummary: z.string().nullish(),
    })
    .nullish(),
});
type Job = z.infer<typeof job>;

/** "1 YEAR" → "year"; "1 HOUR" → "hour". */
function ashbyInterval(interval: string | null | undefined): string | null {
  const m = /^1\s+(hour|day|week|month|year)$/i.exec(interval?.trim() ?? '');
  return m?.[1]?.toLowerCase() ?? null;
}

function salaryOf(j: Job) {
  const c = j.compensation;
  const all = [
    ...(c?.summaryComponents ?? []),
    ...(c?.compensationTiers ?? []).flatMap((t) => t.components ?? []),
  ];
  const salary = all.find((s) => s.compensationType === 'Salary' && (s.minValue || s.maxValue));
  if (!salary) return null;
  const interval = ashbyInterval(salary.interval);
  if (!interval) return null;
  return { min: salary.minValue, max: salary.maxValue, currency: salary.currencyCode, interval };
}

function workplace(j: Job) {
  const t = j.workplaceType?.toLowerCase();
  if (t === 'remote' || t === 'hybrid') return t;
  if (t === 'onsite') return 'onsite';
  return j.isRemote ? true : null;
}

export const ashbyKind = defineKind({
  kind: 'ashby',
  label: 'Ashby',
  target: 'org',
  minIntervalMs: 500,
  config: z.object({
    org: z.string().regex(/^[\w.-]+$/, 'expected a job board name like "linear"'),
    company: z.string().min(1).optional(),
    baseUrl: baseUrl('https://api.ashbyhq.com'),
    ...commonConfig,
  }),
  async *fetch(run) {
    const { config, http } = run;
    const url = `${config.baseUrl}/posting-api/job-board/${encodeURIComponent(config.org)}?includeCompensation=true`;
    const data = await http.json(url, z.object({ jobs: z.array(z.unknown()) }));
    for (const j of validItems(data.jobs, job, run, 'Ashby')) {
      if (j.isListed === false) continue;
      const others = (j.secondaryLocations ?? []).map((l) => l.location).filter(Boolean);
      yield {
        externalId: j.id,
        title: j.title,
        company: config.company ?? companyFromSlug(config.org),
        url: j.jobUrl,
        location: [j.location, ...others].filter(Boolean).join(' / ') || null,
        remote: workplace(j),
        description: j.descriptionHtml ?? j.descriptionPlain ?? null,
        descriptionFormat: j.descriptionHtml ? 'html' : 'text',
        salary: salaryOf(j),
        // Free text ("$150K – $200K • Offers Equity") only when there are no components.
        salaryText: j.compensation?.compensationTierSummary ?? null,
        postedAt: j.publishedAt ?? null,
        tags: [j.department, j.team].filter((t): t is string => Boolean(t)),
      };
    }
  },
});
