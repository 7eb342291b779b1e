import { z } from 'zod';
import { baseUrl, commonConfig, companyFromSlug, defineKind, validItems } from './define.ts';

/**
 * Greenhouse job boards: `GET /v1/boards/{board}/jobs?content=true`, every job in one response.
 * `content` is HTML escaped once more (`&lt;p&gt;`); the normaliser undoes that.
 */

const job = z.object({
  id: z.union([z.number(), z.string()]),
  title: z.string(),
  absolute_url: z.string(),
  company_name: z.string().nullish(),
  location: z.object({ name: z.string().nullish() }).nullish(),
  offices: z.array(z.object({ name: z.string().nullish(), location: z.string().nullish() })).nullish(),
  departments: z.array(z.object({ name: z.string() })).nullish(),
  first_published: z.string().nullish(),
  updated_at: z.string().nullish(),
  content: z.string().nullish(),
});

const response = z.object({ jobs: z.array(z.unknown()) });

export const greenhouseKind = defineKind({
  kind: 'greenhouse',
  label: 'Greenhouse',
  target: 'board',
  minIntervalMs: 500,
  config: z.object({
    board: z.string().regex(/^[\w.-]+$/, 'expected a board token like "stripe"'),
    company: z.string().min(1).optional(),
    baseUrl: baseUrl('https://boards-api.greenhouse.io'),
    ...commonConfig,
  }),
  async *fetch(run) {
    const { config, http } = run;
    const url = `${config.baseUrl}/v1/boards/${encodeURIComponent(config.board)}/jobs?content=true`;
    const data = await http.json(url, response);
    for (const j of validItems(data.jobs, job, run, 'Greenhouse')) {
      yield {
        externalId: String(j.id),
        title: j.title,
        company: config.company ?? j.company_name ?? companyFromSlug(config.board),
        url: j.absolute_url,
        location: j.location?.name ?? j.offices?.[0]?.location ?? null,
        description: j.content ?? null,
        descriptionFormat: 'html',
        postedAt: j.first_published ?? j.updated_at ?? null,
        tags: (j.departments ?? []).map((d) => d.name),
      };
    }
  },
});
