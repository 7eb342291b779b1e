import { z } from 'zod';
import type { RawPosting } from '../../core/types.ts';
import { launchBrowser } from './browser.ts';
import { commonConfig, defineKind, pageUrl, type RunContext, validItems } from './define.ts';
import { jobPostingNodes, jobPostingSchema, jsonLdToRaw, sameSiteLinks } from './jsonld.ts';

/**
 * Any careers page that embeds schema.org JobPosting JSON-LD: the page itself, and optionally the
 * posting pages it links to (`detailLinks`, a CSS selector). With `render: true` pages are loaded
 * in headless Chromium first, for sites that add their JSON-LD with JavaScript.
 */

const config = z.object({
  url: pageUrl,
  company: z.string().min(1).optional(),
  /** CSS selector of links to posting pages on the same site ("a.job-link"). */
  detailLinks: z.string().min(1).optional(),
  maxPages: z.number().int().min(1).max(500).default(50),
  render: z.boolean().default(false),
  /** In render mode, what to wait for before reading the page. */
  waitFor: z.string().min(1).default('script[type="application/ld+json"]'),
  ...commonConfig,
});
type Config = z.infer<typeof config>;

/** "careers.acme.com" → "Acme", when the postings name no hiring organisation. */
function companyFromHost(url: string): string {
  const host = new URL(url).hostname.replace(/^(www|careers|jobs|apply)\./, '');
  const name = host.split('.')[0] ?? host;
  return name.charAt(0).toUpperCase() + name.slice(1);
}

type PageReader = (url: string) => Promise<string>;

async function* postingsOf(run: RunContext<Config>, read: PageReader): AsyncGenerator<RawPosting> {
  const { config } = run;
  const company = config.company ?? companyFromHost(config.url);
  const listing = await read(config.url);
  const seen = new Set<string>();
  let found = 0;
  let invalidBlocks = 0;
  const links = config.detailLinks ? sameSiteLinks(listing, config.url, config.detailLinks) : [];
  for (let i = 0; i <= links.length && i <= config.maxPages; i++) {
    const page =
      i === 0 ? { url: config.url, html: listing } : { url: links[i - 1]!, html: await read(links[i - 1]!) };
    const { nodes, invalidBlocks: invalid } = jobPostingNodes(page.html);
    invalidBlocks += invalid;
    if (nodes.length === 0) continue;
    for (const node of validItems(nodes, jobPostingSchema, run, 'Careers page')) {
      const raw = jsonLdToRaw(node, page.url, company);
      if (seen.has(raw.externalId)) continue;
      seen.add(raw.externalId);
      found++;
      yield raw;
    }
  }
  if (found === 0)
    run.ctx.logger.warn(
      { sourceId: run.sourceId, invalidBlocks, render: config.render },
      'no JobPosting JSON-LD found; if the site adds it with JavaScript, set "render": true',
    );
}

export const careersKind = defineKind({
  kind: 'careers',
  label: 'Careers page',
  target: 'url',
  minIntervalMs: 1000,
  config,
  async *fetch(run) {
    if (!run.config.render) {
      yield* postingsOf(run, (url) => run.http.text(url, { headers: { accept: 'text/html' } }));
      return;
    }
    const browser = await launchBrowser(run.deps.browser, run.deps.http, run.ctx, {
      service: 'Careers page',
      minIntervalMs: run.config.minIntervalMs ?? 1000,
      proxy: false,
    });
    try {
      yield* postingsOf(run, async (url) => {
        const page = await browser.open(url, { waitFor: run.config.waitFor });
        try {
          return await page.content();
        } finally {
          await page.close();
        }
      });
    } finally {
      await browser.close();
    }
  },
});
