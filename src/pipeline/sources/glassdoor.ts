import { z } from 'zod';
import { UpstreamError } from '../../core/errors.ts';
import { launchBrowser } from './browser.ts';
import { baseUrl, commonConfig, defineKind, searchTerms, validItems } from './define.ts';
import { SEARCH_BOARD_WARNING } from './linkedin.ts';

/**
 * Glassdoor's job search (`/Job/jobs.htm?sc.keyword=&locKeyword=`) in headless Chromium, which
 * Glassdoor requires. The listings are read from the page's Next.js data (`__NEXT_DATA__`): every
 * object there with a `jobview.header` and a `jobview.job.listingId` is a posting. First page per
 * search term only (Glassdoor pages with a cursor held in the browser session). Opt-in only.
 */

const DAY_MS = 86_400_000;

const listing = z.object({
  jobview: z.object({
    header: z.object({
      jobTitleText: z.string().nullish(),
      employerNameFromSearch: z.string().nullish(),
      employer: z.object({ name: z.string().nullish() }).loose().nullish(),
      locationName: z.string().nullish(),
      ageInDays: z.number().nullish(),
      payCurrency: z.string().nullish(),
      payPeriod: z.string().nullish(),
      payPeriodAdjustedPay: z
        .object({ p10: z.number().nullish(), p90: z.number().nullish() })
        .loose()
        .nullish(),
      salarySource: z.string().nullish(),
      seoJobLink: z.string().nullish(),
      jobLink: z.string().nullish(),
    }),
    job: z.object({
      listingId: z.union([z.number(), z.string()]),
      jobTitleText: z.string().nullish(),
      descriptionFragmentsText: z.array(z.string()).nullish(),
    }),
  }),
});

/** Objects shaped like a job listing, wherever the page's data nests them. */
export function findListings(node: unknown, out: unknown[] = [], depth = 0): unknown[] {
  if (depth > 20 || node === null || typeof node !== 'object') return out;
  if (Array.isArray(node)) {
    for (const child of node) findListings(child, out, depth + 1);
    return out;
  }
  const jobview = (node as { jobview?: { header?: unknown; job?: { listingId?: unknown } } }).jobview;
  if (jobview?.header && jobview.job?.listingId !== undefined) {
    out.push(node);
    return out;
  }
  for (const child of Object.values(node)) findListings(child, out, depth + 1);
  return out;
}

export const glassdoorKind = defineKind({
  kind: 'glassdoor',
  label: 'Glassdoor',
  warning: SEARCH_BOARD_WARNING,
  searches: true,
  minIntervalMs: 5000,
  proxy: true,
  config: z.object({
    baseUrl: baseUrl('https://www.glassdoor.com'),
    location: z.string().min(1).optional(),
    maxTerms: z.number().int().min(1).max(10).default(3),
    ...commonConfig,
  }),
  async *fetch(run) {
    const { config, query, ctx } = run;
    const terms = searchTerms(query, config.maxTerms);
    const place = config.location ?? query.locations[0] ?? '';
    const browser = await launchBrowser(run.deps.browser, run.deps.http, ctx, {
      service: 'Glassdoor',
      minIntervalMs: config.minIntervalMs ?? 5000,
      proxy: true,
    });
    const seen = new Set<string>();
    try {
      for (const term of terms.length > 0 ? terms : ['']) {
        const params = new URLSearchParams({ 'sc.keyword': term, locKeyword: place });
        const page = await browser.open(`${config.baseUrl}/Job/jobs.htm?${params}`, {
          waitFor: 'script#__NEXT_DATA__',
        });
        let data: unknown;
        try {
          data = JSON.parse((await page.locator('script#__NEXT_DATA__').textContent()) ?? '');
        } catch (err) {
          throw new UpstreamError('Glassdoor', 'the page data is not valid JSON', {
            retryable: false,
            cause: err,
          });
        } finally {
          await page.close();
        }
        const now = ctx.clock.now().getTime();
        for (const l of validItems(findListings(data), listing, run, 'Glassdoor')) {
          const { header, job } = l.jobview;
          const id = String(job.listingId);
          if (seen.has(id)) continue;
          seen.add(id);
          const pay = header.payPeriodAdjustedPay;
          // Glassdoor's own estimates are not the employer's offer: only stated pay is kept.
          const stated = header.salarySource === 'EMPLOYER_PROVIDED' && pay && (pay.p10 || pay.p90);
          const link = header.seoJobLink ?? header.jobLink ?? `/job-listing/j?jl=${id}`;
          yield {
            externalId: id,
            title: header.jobTitleText ?? job.jobTitleText ?? '',
            company: header.employerNameFromSearch ?? header.employer?.name ?? '',
            url: new URL(link, config.baseUrl).toString(),
            location: header.locationName ?? null,
            description: (job.descriptionFragmentsText ?? []).join('\n') || null,
            descriptionFormat: 'text',
            salary: stated
              ? { min: pay.p10, max: pay.p90, currency: header.payCurrency, interval: header.payPeriod }
              : null,
            postedAt: header.ageInDays != null ? new Date(now - header.ageInDays * DAY_MS) : null,
          };
        }
      }
    } finally {
      await browser.close();
    }
  },
});
