import { z } from 'zod';
import { baseUrl, commonConfig, defineKind, validItems } from './define.ts';

/**
 * Jobicy (remote jobs): `GET /api/v2/remote-jobs?count=&industry=&geo=&tag=`, one response. Salary
 * keys are absent when unknown. Its notice asks for credit with a direct link, and for apply
 * buttons to go to the job's own URL (cards do).
 */

const job = z.object({
  id: z.union([z.number(), z.string()]),
  url: z.string(),
  jobTitle: z.string(),
  companyName: z.string(),
  jobIndustry: z.array(z.string()).nullish(),
  jobType: z.array(z.string()).nullish(),
  jobGeo: z.string().nullish(),
  jobLevel: z.string().nullish(),
  jobExcerpt: z.string().nullish(),
  jobDescription: z.string().nullish(),
  pubDate: z.string().nullish(),
  salaryMin: z.number().nullish(),
  salaryMax: z.number().nullish(),
  salaryCurrency: z.string().nullish(),
  salaryPeriod: z.string().nullish(),
});

export const jobicyKind = defineKind({
  kind: 'jobicy',
  label: 'Jobicy',
  attribution: { text: 'Jobs from Jobicy', url: 'https://jobicy.com' },
  minIntervalMs: 1000,
  config: z.object({
    baseUrl: baseUrl('https://jobicy.com'),
    count: z.number().int().min(1).max(100).default(50),
    industry: z.string().min(1).optional(),
    geo: z.string().min(1).optional(),
    tag: z.string().min(1).optional(),
    ...commonConfig,
  }),
  async *fetch(run) {
    const { config } = run;
    const params = new URLSearchParams({ count: String(config.count) });
    for (const key of ['industry', 'geo', 'tag'] as const) if (config[key]) params.set(key, config[key]);
    const data = await run.http.json(
      `${config.baseUrl}/api/v2/remote-jobs?${params}`,
      z.object({ jobs: z.array(z.unknown()) }),
    );
    for (const j of validItems(data.jobs, job, run, 'Jobicy')) {
      yield {
        externalId: String(j.id),
        title: j.jobTitle,
        company: j.companyName,
        url: j.url,
        // "EMEA,  LATAM,  USA": Jobicy separates regions with a comma and two spaces.
        location: j.jobGeo
          ? j.jobGeo
              .split(/\s*,\s*/)
              .filter(Boolean)
              .join(', ')
          : null,
        remote: 'remote',
        description: j.jobDescription ?? j.jobExcerpt ?? null,
        descriptionFormat: 'html',
        salary:
          j.salaryMin || j.salaryMax
            ? { min: j.salaryMin, max: j.salaryMax, currency: j.salaryCurrency, interval: j.salaryPeriod }
            : null,
        postedAt: j.pubDate ?? null,
        tags: [
          ...(j.jobIndustry ?? []),
          ...(j.jobType ?? []),
          ...(j.jobLevel && j.jobLevel !== 'Any' ? [j.jobLevel] : []),
        ],
      };
    }
  },
});
