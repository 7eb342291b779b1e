import { z } from 'zod';
import { UpstreamError } from '../../core/errors.ts';
import { launchBrowser } from './browser.ts';
import { baseUrl, commonConfig, defineKind, searchTerms, validItems } from './define.ts';
import { SEARCH_BOARD_WARNING } from './linkedin.ts';

/**
 * Indeed's search pages (`/jobs?q=&l=&start=`) in headless Chromium: Indeed refuses plain HTTP
 * clients, and its result page builds its job cards from data its scripts put in
 * `window.mosaic.providerData["mosaic-provider-jobcards"]`, which we read once the page has run.
 * Opt-in only (see the warning).
 */

const PAGE = 10;
const CARDS =
  'window.mosaic?.providerData?.["mosaic-provider-jobcards"]?.metaData?.mosaicProviderJobCardsModel?.results';

const card = z.object({
  jobkey: z.string(),
  title: z.string().nullish(),
  displayTitle: z.string().nullish(),
  company: z.string(),
  formattedLocation: z.string().nullish(),
  pubDate: z.number().nullish(),
  snippet: z.string().nullish(),
  remoteLocation: z.boolean().nullish(),
  extractedSalary: z
    .object({ min: z.number().nullish(), max: z.number().nullish(), type: z.string().nullish() })
    .nullish(),
  salarySnippet: z.object({ currency: z.string().nullish(), text: z.string().nullish() }).loose().nullish(),
  jobTypes: z.array(z.string()).nullish(),
});

export const indeedKind = defineKind({
  kind: 'indeed',
  label: 'Indeed',
  warning: SEARCH_BOARD_WARNING,
  searches: true,
  minIntervalMs: 5000,
  proxy: true,
  config: z.object({
    /** The country site: https://uk.indeed.com, https://de.indeed.com … */
    baseUrl: baseUrl('https://www.indeed.com'),
    location: z.string().min(1).optional(),
    /** Salaries on this site are in this currency when Indeed does not say. */
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .default('USD'),
    maxPages: z.number().int().min(1).max(10).default(2),
    maxTerms: z.number().int().min(1).max(10).default(3),
    ...commonConfig,
  }),
  async *fetch(run) {
    const { config, query, ctx } = run;
    const terms = searchTerms(query, config.maxTerms);
    const place = config.location ?? query.locations[0] ?? '';
    const browser = await launchBrowser(run.deps.browser, run.deps.http, ctx, {
      service: 'Indeed',
      minIntervalMs: config.minIntervalMs ?? 5000,
      proxy: true,
    });
    const seen = new Set<string>();
    try {
      for (const term of terms.length > 0 ? terms : ['']) {
        for (let n = 0; n < config.maxPages; n++) {
          const params = new URLSearchParams({ q: term, l: place, start: String(n * PAGE) });
          const page = await browser.open(`${config.baseUrl}/jobs?${params}`);
          let results: unknown;
          try {
            await page.waitForFunction(`Array.isArray(${CARDS})`, undefined, {
              timeout: run.deps.browser.timeoutMs,
            });
            results = await page.evaluate(CARDS);
          } catch (err) {
            throw new UpstreamError(
              'Indeed',
              'the result page had no job-card data (blocked, or its layout changed)',
              {
                retryable: true,
                cause: err,
              },
            );
          } finally {
            await page.close();
          }
          const items = Array.isArray(results) ? results : [];
          let fresh = 0;
          for (const c of validItems(items, card, run, 'Indeed')) {
            if (seen.has(c.jobkey)) continue;
            seen.add(c.jobkey);
            fresh++;
            const pay = c.extractedSalary;
            yield {
              externalId: c.jobkey,
              title: c.displayTitle ?? c.title ?? '',
              company: c.company,
              url: `${config.baseUrl}/viewjob?jk=${encodeURIComponent(c.jobkey)}`,
              location: c.formattedLocation ?? null,
              remote: c.remoteLocation ? 'remote' : null,
              description: c.snippet ?? null,
              descriptionFormat: 'html',
              salary:
                pay && (pay.min || pay.max)
                  ? {
                      min: pay.min,
                      max: pay.max,
                      currency: c.salarySnippet?.currency ?? config.currency,
                      interval: pay.type,
                    }
                  : null,
              salaryText: c.salarySnippet?.text ?? null,
              postedAt: c.pubDate ?? null,
              tags: c.jobTypes ?? [],
            };
          }
          if (items.length < PAGE || fresh === 0) break;
        }
      }
    } finally {
      await browser.close();
    }
  },
});
