import fs from 'node:fs/promises';
import type { Source, SourceQuery } from '../../core/ports.ts';
import type { RawPosting } from '../../core/types.ts';
import type { SourceKind } from './registry.ts';

/**
 * The bundled offline source: 64 postings written for JobPing, so a fresh install works with no
 * network. Dates are relative ("posted 3 days ago"), turned into timestamps at fetch time.
 */

interface SampleEntry {
  id: string;
  title: string;
  company: string;
  location: string | null;
  workplace: 'remote' | 'hybrid' | 'onsite' | null;
  salary: { min: number | null; max: number | null; currency: string; interval: string } | null;
  salaryText: string | null;
  postedDaysAgo: number;
  url: string;
  descriptionHtml: string;
  tags: string[];
}

const DATA = new URL('./sample-postings.json', import.meta.url);
const DAY = 86_400_000;

/** Search boards return what matches the query; the sample does the same with free text. */
function matchesQuery(entry: SampleEntry, query: SourceQuery): boolean {
  if (!query.text) return true;
  const haystack = `${entry.title} ${entry.tags.join(' ')} ${entry.descriptionHtml}`.toLowerCase();
  return query.text
    .toLowerCase()
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((word) => haystack.includes(word));
}

export function createSampleSource(id = 'sample', file: URL = DATA): Source {
  return {
    id,
    kind: 'sample',
    async *fetch(query, ctx): AsyncIterable<RawPosting> {
      const entries = JSON.parse(await fs.readFile(file, 'utf8')) as SampleEntry[];
      const now = ctx.clock.now().getTime();
      for (const e of entries) {
        ctx.signal.throwIfAborted();
        if (!matchesQuery(e, query)) continue;
        yield {
          externalId: e.id,
          title: e.title,
          company: e.company,
          url: e.url,
          location: e.location,
          remote: e.workplace,
          description: e.descriptionHtml,
          descriptionFormat: 'html',
          salary: e.salary,
          salaryText: e.salaryText,
          postedAt: new Date(now - e.postedDaysAgo * DAY),
          tags: e.tags,
        };
      }
    },
  };
}

export const sampleKind: SourceKind = {
  kind: 'sample',
  label: 'Sample board',
  create: (row) => createSampleSource(row.id),
};
