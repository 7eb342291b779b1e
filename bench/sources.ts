/**
 * Every board adapter once against the local fake boards (test/fixtures/boards): postings parsed,
 * how many of them have a salary, a location, a known remote mode and a date, and how long one
 * run took. `npm run bench:sources`; Chromium-driven sources need /usr/bin/chromium.
 */
import { systemClock } from '../src/core/ports.ts';
import type { NormalizedPosting } from '../src/core/types.ts';
import { createLogger } from '../src/log.ts';
import { normalizePosting } from '../src/pipeline/normalize.ts';
import type { SourceDeps } from '../src/pipeline/sources/define.ts';
import { createHttpEnv, DEFAULT_HTTP_SETTINGS, userAgent } from '../src/pipeline/sources/http.ts';
import { boardKinds } from '../src/pipeline/sources/kinds.ts';
import { startFakeBoards } from '../test/fakes/boards.ts';

const boards = await startFakeBoards();
const deps: SourceDeps = {
  http: createHttpEnv({ ...DEFAULT_HTTP_SETTINGS, userAgent: userAgent('https://jobping.example/contact') }),
  browser: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', timeoutMs: 20_000 },
  // One run per board: no daily limit comes into play.
  quota: { take: async () => true },
  keys: {
    adzuna: { appId: boards.keys.adzunaId, appKey: boards.keys.adzunaKey },
    usajobs: { apiKey: boards.keys.usajobsKey, userAgent: boards.keys.usajobsEmail },
  },
};
const kinds = new Map(boardKinds(deps).map((k) => [k.kind, k]));
const base = { baseUrl: boards.url, minIntervalMs: 0 };
const rows: [string, Record<string, unknown>][] = [
  ['greenhouse:northwindfreight', base],
  ['lever:tidewaterlabs', { ...base, company: 'Tidewater Labs' }],
  ['ashby:quillcraft', base],
  ['smartrecruiters:Brightmoor1', base],
  ['recruitee:harbourlight', base],
  ['workable:fernhill', base],
  [`workday:${boards.url}/en-US/Halvard_Careers`, { tenant: 'halvard', minIntervalMs: 0 }],
  [`careers:${boards.url}/ridgeback/`, { detailLinks: 'a.job-link', minIntervalMs: 0 }],
  [`careers:${boards.url}/spa-careers/`, { render: true, minIntervalMs: 0 }],
  ['remoteok', base],
  ['remotive', base],
  ['arbeitnow', base],
  ['himalayas', { ...base, limit: 2 }],
  ['jobicy', base],
  ['themuse', base],
  ['hackernews', base],
  ['usajobs', base],
  ['adzuna:gb', base],
  ['linkedin', base],
  ['indeed', base],
  ['glassdoor', base],
];

const logger = createLogger({ level: 'silent', format: 'json' });
const share = (ps: NormalizedPosting[], has: (p: NormalizedPosting) => boolean) =>
  ps.length === 0 ? '-' : `${Math.round((100 * ps.filter(has).length) / ps.length)}%`;
const table: string[][] = [['source', 'postings', 'salary', 'location', 'remote', 'date', 'ms', 'error']];

for (const [id, config] of rows) {
  const kind = kinds.get(id.split(':')[0]!)!;
  const started = performance.now();
  const postings: NormalizedPosting[] = [];
  let error = '';
  try {
    const source = kind.create({
      id,
      kind: kind.kind,
      config,
      enabled: true,
      consecutiveFailures: 0,
      pausedUntil: null,
      pauseReason: null,
    });
    const ctx = { fetch: globalThis.fetch, signal: new AbortController().signal, logger, clock: systemClock };
    for await (const raw of source.fetch({ text: null, keywords: [], locations: [] }, ctx)) {
      const result = normalizePosting(raw, { now: systemClock.now() });
      if (result.ok) postings.push(result.posting);
    }
  } catch (err) {
    error = (err as Error).message;
  }
  const ms = Math.round(performance.now() - started);
  table.push([
    id.replace(boards.url, '…'),
    String(postings.length),
    share(postings, (p) => p.salary !== null),
    share(postings, (p) => p.location !== null),
    share(postings, (p) => p.remote !== 'unknown'),
    share(postings, (p) => p.postedAt !== null),
    String(ms),
    error,
  ]);
}
await boards.close();

const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
for (const row of table)
  console.log(
    row.map((c, i) => (i === 0 || i === 7 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '),
  );
