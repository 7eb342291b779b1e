import * as cheerio from 'cheerio';
import { z } from 'zod';
import { UpstreamError } from '../../core/errors.ts';
import type { RawPosting } from '../../core/types.ts';
import { baseUrl, commonConfig, defineKind, validItems } from './define.ts';

/**
 * Hacker News "Ask HN: Who is hiring?" through the Algolia HN API: the latest thread by the
 * whoishiring account (`/api/v1/search_by_date`), then its comments (`/api/v1/items/{id}`). Each
 * top-level comment is a post; by convention its first line is "Company | Role | Place | …".
 * Title, company and place are read from that line as well as it allows, and a post without such
 * a line is kept with a guessed company and a neutral title. Either way they are only guesses from
 * free text (`freeText`): the model analyzer reads the real ones from the whole post.
 */

const search = z.object({
  hits: z.array(z.object({ objectID: z.string(), title: z.string().nullish() }).loose()),
});
const comment = z.object({
  id: z.number(),
  text: z.string().nullish(),
  created_at: z.string().nullish(),
  author: z.string().nullish(),
});
const story = z.object({ id: z.number(), title: z.string().nullish(), children: z.array(z.unknown()) });

const ROLE =
  /\b(swe|sde|full[- ]?stack|backend|frontend|engineer|developer|designer|manager|scientist|architect|lead|head|director|analyst|researcher|sre|devops|founding|intern|cto|vp|recruiter|specialist|consultant|administrator|programmer|roles?|positions?)\b/i;
const PLACE =
  /\b(remote|onsite|on-site|hybrid|in[- ]office|usa|us|uk|eu|europe|anywhere|worldwide)\b|,\s*[A-Z]{2}\b/i;
const EMPLOYMENT = /^(full[- ]?time|part[- ]?time|contract(or)?|permanent|freelance|visa|onsite|remote)\b/i;
/** "REMOTE", "Onsite": the work mode alone, which is not a place. */
const MODE_ONLY = /^(remote|onsite|on-site|hybrid|in[- ]office)$/i;
const PAY = /[$€£¥₹]|\b\d+\s*k\b|\b(usd|eur|gbp|salary|equity)\b/i;

/** The first line (before the first `<p>` or line break) as text, and the HTML after it. */
function splitPost(html: string): { head: string; body: string } {
  const m = /<p>|\n/i.exec(html);
  const headHtml = m ? html.slice(0, m.index) : html;
  const body = m ? html.slice(m.index) : '';
  return { head: cheerio.load(`<div>${headHtml}</div>`)('div').text().trim(), body };
}

export function parseHiringPost(html: string): {
  company: string;
  title: string | null;
  location: string | null;
  salaryText: string | null;
  remote: 'remote' | 'hybrid' | 'onsite' | null;
  body: string;
} {
  const { head, body } = splitPost(html);
  const parts = head
    .split('|')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length < 2) return guessFromProse(head, html);
  // "Acme (https://acme.io)" → "Acme"
  const company = parts[0]!.replace(/\s*\(?https?:\/\/\S+\)?/g, '').trim() || parts[0]!;
  const rest = parts.slice(1).filter((p) => !/^https?:\/\//i.test(p));
  const title =
    rest.find((p) => ROLE.test(p) && !PAY.test(p)) ??
    rest.find((p) => !PLACE.test(p) && !PAY.test(p) && !EMPLOYMENT.test(p)) ??
    null;
  const placeLike = (p: string) =>
    p !== title && !PAY.test(p) && !MODE_ONLY.test(p) && !/^(full|part)[- ]?time$/i.test(p);
  const location = rest.find((p) => placeLike(p) && (PLACE.test(p) || p.includes(','))) ?? null;
  const salaryText = rest.find((p) => p !== title && PAY.test(p)) ?? null;
  const words = head.toLowerCase();
  const remote = /\bhybrid\b/.test(words)
    ? 'hybrid'
    : /\bremote\b/.test(words)
      ? 'remote'
      : /\b(onsite|on-site|in[- ]office)\b/.test(words)
        ? 'onsite'
        : null;
  return { company, title, location, salaryText, remote, body };
}

/** "We're hiring", "Hi HN": the first words name no company. */
const NO_COMPANY = /^(we|we're|we’re|i|i'm|i’m|our|my|hi|hello|hey|looking|hiring)\b/i;
const COMPANY_GUESS_LENGTH = 80;

/**
 * A post without a "Company | Role" line: the company is guessed from the first words ("Acme is
 * hiring…", "Acme – remote roles"), nothing else; the whole post is the description.
 */
function guessFromProse(head: string, html: string) {
  const first =
    head
      .replace(/\s*\(?https?:\/\/\S+\)?/g, '')
      .split(/\s+(?:is|are)\s+(?:hiring|looking)\b|\s+hiring\b|[,.:;!?(]|\s[-–—]\s/i)[0]
      ?.trim()
      .slice(0, COMPANY_GUESS_LENGTH) ?? '';
  const words = head.toLowerCase();
  return {
    company: first && !NO_COMPANY.test(first) ? first : 'Company not named',
    title: null,
    location: null,
    salaryText: null,
    remote: /\bremote\b/.test(words) ? ('remote' as const) : null,
    body: html,
  };
}

export const hackerNewsKind = defineKind({
  kind: 'hackernews',
  label: 'Hacker News',
  minIntervalMs: 1000,
  config: z.object({
    baseUrl: baseUrl('https://hn.algolia.com'),
    /** A thread to read instead of the latest one. */
    storyId: z.number().int().positive().optional(),
    itemUrl: baseUrl('https://news.ycombinator.com/item'),
    ...commonConfig,
  }),
  async *fetch(run) {
    const { config, http } = run;
    let storyId = config.storyId ? String(config.storyId) : null;
    if (!storyId) {
      const url = `${config.baseUrl}/api/v1/search_by_date?tags=story,author_whoishiring&query=${encodeURIComponent('who is hiring')}&hitsPerPage=5`;
      const hits = (await http.json(url, search)).hits;
      storyId = hits.find((h) => /who is hiring/i.test(h.title ?? ''))?.objectID ?? null;
      if (!storyId)
        throw new UpstreamError('Hacker News', 'no "Who is hiring?" thread found', { retryable: false });
    }
    const thread = await http.json(`${config.baseUrl}/api/v1/items/${encodeURIComponent(storyId)}`, story);
    for (const c of validItems(thread.children, comment, run, 'Hacker News')) {
      if (!c.text) continue; // deleted or flagged
      const post = parseHiringPost(c.text);
      const raw: RawPosting = {
        externalId: String(c.id),
        title: post.title ?? 'Open roles',
        company: post.company,
        url: `${config.itemUrl}?id=${c.id}`,
        location: post.location,
        remote: post.remote,
        description: post.body || c.text,
        descriptionFormat: 'html',
        salaryText: post.salaryText,
        postedAt: c.created_at ?? null,
        tags: ['hacker news'],
        freeText: true,
        identifiedByUrlOnly: post.title === null,
      };
      yield raw;
    }
  },
});
