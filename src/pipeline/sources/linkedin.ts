import * as cheerio from 'cheerio';
import { z } from 'zod';
import { UpstreamError } from '../../core/errors.ts';
import type { RawPosting } from '../../core/types.ts';
import { baseUrl, commonConfig, defineKind, type RunContext, searchTerms } from './define.ts';

/**
 * LinkedIn's public guest job search (no login): an HTML fragment of `<li>` cards from
 * `/jobs-guest/jobs/api/seeMoreJobPostings/search?keywords=&location=&start=`, parsed with cheerio.
 * Opt-in only: LinkedIn's terms forbid automated access and it blocks readily.
 */

export const SEARCH_BOARD_WARNING =
  'Search boards (LinkedIn, Indeed, Glassdoor) forbid automated access in their terms and block ' +
  'scrapers: use at your own risk, keep the request rate low, and expect runs to fail when blocked.';

const PAGE = 10;

/** The cards of one result page; cards without an id, title or company are dropped. */
export function parseLinkedInCards(html: string, origin: string): RawPosting[] {
  const $ = cheerio.load(html);
  const cards: RawPosting[] = [];
  $('[data-entity-urn^="urn:li:jobPosting:"]').each((_, el) => {
    const card = $(el);
    const id = card.attr('data-entity-urn')?.split(':').at(-1) ?? '';
    const title = card.find('.base-search-card__title').first().text().trim();
    const company = card.find('.base-search-card__subtitle').first().text().trim();
    if (!/^\d+$/.test(id) || !title || !company) return;
    const href =
      card.find('a.base-card__full-link').attr('href') ?? card.find('a[href*="/jobs/view/"]').attr('href');
    // Tracking parameters (refId, trackingId) change on every search: keep the bare posting URL.
    const url = href ? href.split('?')[0]! : `${origin}/jobs/view/${id}`;
    cards.push({
      externalId: id,
      title,
      company,
      url,
      location: card.find('.job-search-card__location').first().text().trim() || null,
      salaryText: card.find('.job-search-card__salary-info').first().text().trim() || null,
      postedAt: card.find('time[datetime]').first().attr('datetime') ?? null,
    });
  });
  return cards;
}

/** A result page's cards; a page that has content but no card we can read fails the run. */
function cardsOf(html: string, origin: string): RawPosting[] {
  const cards = parseLinkedInCards(html, origin);
  if (cards.length > 0 || html.replace(/<!DOCTYPE html>/i, '').trim() === '') return cards;
  const why = /<li\b/i.test(html)
    ? 'its job cards are not in the expected shape'
    : 'it is not a job-card list (a sign-in wall or a block page?)';
  throw new UpstreamError('LinkedIn', `the search page could not be read: ${why}`, { retryable: false });
}

async function describe(run: RunContext<Config>, id: string): Promise<string | null> {
  const html = await run.http
    .text(`${run.config.baseUrl}/jobs-guest/jobs/api/jobPosting/${id}`, { headers: { accept: 'text/html' } })
    .catch((err: unknown) => {
      if (err instanceof UpstreamError && err.status === 404) return null;
      throw err;
    });
  if (!html) return null;
  return cheerio.load(html)('.show-more-less-html__markup').first().html()?.trim() || null;
}

const config = z.object({
  baseUrl: baseUrl('https://www.linkedin.com'),
  /** Search here instead of the users' locations. */
  location: z.string().min(1).optional(),
  remoteOnly: z.boolean().default(false),
  /** Only postings from the last N days. */
  postedWithinDays: z.number().int().min(1).max(30).default(7),
  maxPages: z.number().int().min(1).max(10).default(3),
  maxTerms: z.number().int().min(1).max(10).default(3),
  /** Read each posting's page for its description (one more request per posting). */
  details: z.boolean().default(false),
  maxDetails: z.number().int().min(0).max(200).default(25),
  ...commonConfig,
});
type Config = z.infer<typeof config>;

export const linkedInKind = defineKind({
  kind: 'linkedin',
  label: 'LinkedIn',
  warning: SEARCH_BOARD_WARNING,
  searches: true,
  minIntervalMs: 3000,
  proxy: true,
  config,
  async *fetch(run) {
    const { config, query } = run;
    const terms = searchTerms(query, config.maxTerms);
    const places = config.location ? [config.location] : query.locations.slice(0, 1);
    const seen = new Set<string>();
    let detailsRead = 0;
    for (const term of terms.length > 0 ? terms : ['']) {
      for (let n = 0; n < config.maxPages; n++) {
        const params = new URLSearchParams({ keywords: term, start: String(n * PAGE) });
        if (places[0]) params.set('location', places[0]);
        if (config.remoteOnly) params.set('f_WT', '2');
        params.set('f_TPR', `r${config.postedWithinDays * 86_400}`);
        const url = `${config.baseUrl}/jobs-guest/jobs/api/seeMoreJobPostings/search?${params}`;
        const cards = cardsOf(await run.http.text(url, { headers: { accept: 'text/html' } }), config.baseUrl);
        const fresh = cards.filter((c) => !seen.has(c.externalId));
        for (const card of fresh) {
          seen.add(card.externalId);
          const description =
            config.details && detailsRead++ < config.maxDetails ? await describe(run, card.externalId) : null;
          yield {
            ...card,
            remote: config.remoteOnly ? 'remote' : null,
            description,
            descriptionFormat: 'html',
          };
        }
        // A page of nothing new means the results ran out (LinkedIn repeats the last page).
        if (cards.length < PAGE || fresh.length === 0) break;
      }
    }
  },
});
