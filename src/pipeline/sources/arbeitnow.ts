import { z } from 'zod';
import { baseUrl, commonConfig, defineKind, validItems } from './define.ts';

/**
 * Arbeitnow: `GET /api/job-board-api?page=N`, 100 a page, `links.next` null on the last. The
 * descriptions are HTML escaped once more, which the normaliser undoes.
 */

const job = z.object({
  slug: z.string(),
  company_name: z.string(),
  title: z.string(),
  description: z.string().nullish(),
  remote: z.boolean().nullish(),
  url: z.string(),
  tags: z.array(z.string()).nullish(),
  job_types: z.array(z.string()).nullish(),
  location: z.string().nullish(),
  created_at: z.number().nullish(),
});

const page = z.object({
  data: z.array(z.unknown()),
  links: z.object({ next: z.string().nullish() }).nullish(),
  meta: z.object({ current_page: z.number().nullish(), last_page: z.number().nullish() }).nullish(),
});

export const arbeitnowKind = defineKind({
  kind: 'arbeitnow',
  label: 'Arbeitnow',
  minIntervalMs: 1000,
  config: z.object({
    baseUrl: baseUrl('https://www.arbeitnow.com'),
    maxPages: z.number().int().min(1).max(100).default(5),
    ...commonConfig,
  }),
  async *fetch(run) {
    const { config } = run;
    const seen = new Set<string>();
    for (let n = 1; n <= config.maxPages; n++) {
      const data = await run.http.json(`${config.baseUrl}/api/job-board-api?page=${n}`, page);
      for (const j of validItems(data.data, job, run, 'Arbeitnow')) {
        if (seen.has(j.slug)) continue;
        seen.add(j.slug);
        yield {
          externalId: j.slug,
          title: j.title,
          company: j.company_name,
          url: j.url,
          location: j.location || null,
          remote: j.remote ?? null,
          description: j.description ?? null,
          descriptionFormat: 'html',
          postedAt: j.created_at ?? null,
          tags: [...(j.tags ?? []), ...(j.job_types ?? [])],
        };
      }
      const last = data.meta?.last_page;
      if (data.data.length === 0 || !data.links?.next || (last && n >= last)) return;
    }
  },
});
