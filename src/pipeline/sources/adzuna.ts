import { z } from 'zod';
import { baseUrl, commonConfig, defineKind, takeQuota, validItems } from './define.ts';

/**
 * Adzuna, enabled by ADZUNA_APP_ID and ADZUNA_APP_KEY: `GET /v1/api/jobs/{country}/search/{page}`.
 * Without a fetch text it searches any of the users' keywords at once (`what_or`). Its terms ask for
 * "Jobs by Adzuna" with a link next to its results, and bound requests per day (counted in the
 * database) and per minute (the request spacing).
 */

/** Adzuna reports amounts in the country's currency. */
const CURRENCIES: Record<string, string> = {
  gb: 'GBP',
  us: 'USD',
  ca: 'CAD',
  au: 'AUD',
  nz: 'NZD',
  in: 'INR',
  sg: 'SGD',
  za: 'ZAR',
  br: 'BRL',
  mx: 'MXN',
  pl: 'PLN',
  ch: 'CHF',
  de: 'EUR',
  at: 'EUR',
  fr: 'EUR',
  it: 'EUR',
  es: 'EUR',
  nl: 'EUR',
  be: 'EUR',
};

const job = z.object({
  id: z.union([z.string(), z.number()]),
  title: z.string(),
  description: z.string().nullish(),
  created: z.string().nullish(),
  redirect_url: z.string(),
  company: z.object({ display_name: z.string() }),
  location: z.object({ display_name: z.string().nullish() }).loose().nullish(),
  category: z.object({ label: z.string().nullish() }).loose().nullish(),
  salary_min: z.number().nullish(),
  salary_max: z.number().nullish(),
  salary_is_predicted: z.union([z.string(), z.number()]).nullish(),
  contract_time: z.string().nullish(),
  contract_type: z.string().nullish(),
});
const page = z.object({ count: z.number(), results: z.array(z.unknown()) });

export const adzunaKind = defineKind({
  kind: 'adzuna',
  label: 'Adzuna',
  attribution: { text: 'Jobs by Adzuna', url: 'https://www.adzuna.com' },
  target: 'country',
  searches: true,
  minIntervalMs: 2500,
  requires: (deps) => (deps.keys.adzuna ? null : 'Adzuna needs ADZUNA_APP_ID and ADZUNA_APP_KEY to be set'),
  config: z.object({
    country: z.enum(Object.keys(CURRENCIES) as [string, ...string[]], {
      error: `expected an Adzuna country code: ${Object.keys(CURRENCIES).join(', ')}`,
    }),
    baseUrl: baseUrl('https://api.adzuna.com'),
    where: z.string().min(1).optional(),
    resultsPerPage: z.number().int().min(1).max(50).default(50),
    maxPages: z.number().int().min(1).max(20).default(2),
    dailyLimit: z.number().int().min(1).max(100_000).default(250),
    ...commonConfig,
  }),
  async *fetch(run) {
    const { config, query } = run;
    const key = run.deps.keys.adzuna!;
    const params = new URLSearchParams({
      app_id: key.appId,
      app_key: key.appKey,
      results_per_page: String(config.resultsPerPage),
      'content-type': 'application/json',
    });
    if (query.text?.trim()) params.set('what', query.text.trim());
    else if (query.keywords.length > 0) params.set('what_or', query.keywords.slice(0, 20).join(' '));
    const where = config.where ?? query.locations[0];
    if (where) params.set('where', where);
    const seen = new Set<string>();
    for (let n = 1; n <= config.maxPages; n++) {
      if (!(await takeQuota(run, 'adzuna', config.dailyLimit, n - 1))) return;
      const url = `${config.baseUrl}/v1/api/jobs/${config.country}/search/${n}?${params}`;
      const data = await run.http.json(url, page);
      for (const j of validItems(data.results, job, run, 'Adzuna')) {
        const id = String(j.id);
        if (seen.has(id)) continue;
        seen.add(id);
        // Predicted salaries are Adzuna's estimates, not the employer's: left out.
        const stated = String(j.salary_is_predicted ?? '0') !== '1' && (j.salary_min || j.salary_max);
        yield {
          externalId: id,
          title: j.title,
          company: j.company.display_name,
          url: j.redirect_url,
          location: j.location?.display_name ?? null,
          description: j.description ?? null,
          descriptionFormat: 'html',
          salary: stated
            ? { min: j.salary_min, max: j.salary_max, currency: CURRENCIES[config.country], interval: 'year' }
            : null,
          postedAt: j.created ?? null,
          tags: [j.category?.label, j.contract_time, j.contract_type].filter((t): t is string => Boolean(t)),
        };
      }
      if (data.results.length === 0 || n * config.resultsPerPage >= data.count) return;
    }
  },
});
