import { z } from 'zod';
import { baseUrl, commonConfig, defineKind, validItems } from './define.ts';

/**
 * The Muse: `GET /api/public/jobs?page=N&category=&location=&level=`, 20 a page, pages counted
 * from 0 up to `page_count`. It has no free-text search: it filters by category, level and
 * location, taken from the config, else the users' locations.
 */

const job = z.object({
  id: z.union([z.number(), z.string()]),
  name: z.string(),
  contents: z.string().nullish(),
  publication_date: z.string().nullish(),
  company: z.object({ name: z.string() }),
  locations: z.array(z.object({ name: z.string() })).nullish(),
  categories: z.array(z.object({ name: z.string() })).nullish(),
  levels: z.array(z.object({ name: z.string() })).nullish(),
  refs: z.object({ landing_page: z.string() }),
});
const page = z.object({ page: z.number(), page_count: z.number(), results: z.array(z.unknown()) });

/** "berlin" → "Berlin": The Muse matches location names as written ("Berlin, Germany"). */
function titleCase(s: string): string {
  return s.replace(/\b\p{L}/gu, (c) => c.toUpperCase());
}

export const theMuseKind = defineKind({
  kind: 'themuse',
  label: 'The Muse',
  searches: true,
  minIntervalMs: 1000,
  config: z.object({
    baseUrl: baseUrl('https://www.themuse.com'),
    categories: z.array(z.string().min(1)).default([]),
    levels: z.array(z.string().min(1)).default([]),
    locations: z.array(z.string().min(1)).optional(),
    /** Optional; raises The Muse's hourly limit. */
    apiKey: z.string().min(1).optional(),
    maxPages: z.number().int().min(1).max(100).default(5),
    ...commonConfig,
  }),
  async *fetch(run) {
    const { config } = run;
    const params = new URLSearchParams({ descending: 'true' });
    for (const c of config.categories) params.append('category', c);
    for (const l of config.levels) params.append('level', l);
    for (const l of config.locations ?? run.query.locations.map(titleCase)) params.append('location', l);
    if (config.apiKey) params.set('api_key', config.apiKey);
    const seen = new Set<string>();
    for (let n = 0; n < config.maxPages; n++) {
      params.set('page', String(n));
      const data = await run.http.json(`${config.baseUrl}/api/public/jobs?${params}`, page);
      for (const j of validItems(data.results, job, run, 'The Muse')) {
        const id = String(j.id);
        if (seen.has(id)) continue;
        seen.add(id);
        const locations = (j.locations ?? []).map((l) => l.name);
        yield {
          externalId: id,
          title: j.name,
          company: j.company.name,
          url: j.refs.landing_page,
          location: locations.join(' / ') || null,
          remote: locations.some((l) => /flexible|remote/i.test(l)) ? 'remote' : null,
          description: j.contents ?? null,
          descriptionFormat: 'html',
          postedAt: j.publication_date ?? null,
          tags: [...(j.categories ?? []), ...(j.levels ?? [])].map((c) => c.name),
        };
      }
      if (data.results.length === 0 || data.page + 1 >= data.page_count) return;
    }
  },
});
