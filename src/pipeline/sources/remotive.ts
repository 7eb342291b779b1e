import { z } from 'zod';
import { baseUrl, commonConfig, defineKind, takeQuota, validItems } from './define.ts';

/**
 * Remotive: `GET /api/remote-jobs` (optionally one category). Its terms: credit Remotive with a
 * link, and call the API only a few times a day (its listings are published with a delay anyway);
 * the daily allowance is counted in the database, so every worker process shares it.
 */

const job = z.object({
  id: z.union([z.number(), z.string()]),
  url: z.string(),
  title: z.string(),
  company_name: z.string(),
  category: z.string().nullish(),
  tags: z.array(z.string()).nullish(),
  job_type: z.string().nullish(),
  publication_date: z.string().nullish(),
  candidate_required_location: z.string().nullish(),
  salary: z.string().nullish(),
  description: z.string().nullish(),
});

export const remotiveKind = defineKind({
  kind: 'remotive',
  label: 'Remotive',
  attribution: { text: 'Jobs from Remotive', url: 'https://remotive.com' },
  minIntervalMs: 30_000,
  config: z.object({
    baseUrl: baseUrl('https://remotive.com'),
    category: z.string().min(1).optional(),
    /** Remotive asks for no more than a handful of calls a day. */
    dailyLimit: z.number().int().min(1).max(24).default(4),
    ...commonConfig,
  }),
  async *fetch(run) {
    const { config } = run;
    await takeQuota(run, 'remotive', config.dailyLimit, 0);
    const query = config.category ? `?category=${encodeURIComponent(config.category)}` : '';
    const data = await run.http.json(
      `${config.baseUrl}/api/remote-jobs${query}`,
      z.object({ jobs: z.array(z.unknown()) }),
    );
    for (const j of validItems(data.jobs, job, run, 'Remotive')) {
      yield {
        externalId: String(j.id),
        title: j.title,
        company: j.company_name,
        url: j.url,
        location: j.candidate_required_location || null,
        remote: 'remote',
        description: j.description ?? null,
        descriptionFormat: 'html',
        salaryText: j.salary || null,
        // Remotive's dates carry no zone; they are UTC.
        postedAt: j.publication_date ?? null,
        tags: [j.category, ...(j.tags ?? [])].filter((t): t is string => Boolean(t)),
      };
    }
  },
});
