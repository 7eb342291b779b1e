import { type BoardServer, fixture, fixtureText, startBoardServer } from './board-server.ts';

/**
 * Every job board JobPing reads, as one local server speaking each board's own API: the same
 * paths, query parameters, paging rules and response shapes (fixtures in test/fixtures/boards,
 * written for JobPing in the shape of captured real responses). `data` holds what each board
 * lists; tests replace it (more postings for paging, broken items) before a fetch.
 */

export { type BoardReply, type BoardRequest, fixture, fixtureText } from './board-server.ts';

type Json = Record<string, unknown>;

export interface BoardData {
  greenhouse: Json[];
  /** More Greenhouse boards by token (benchmarks list thousands of generated jobs on several). */
  greenhouseBoards: Record<string, Json[]>;
  lever: Json[];
  ashby: Json[];
  smartrecruiters: Json[];
  smartrecruitersDetails: Record<string, Json>;
  recruitee: Json[];
  workable: Json;
  workday: Json[];
  workdayDetail: Json;
  remoteok: unknown[];
  remotive: Json[];
  arbeitnow: Json[];
  arbeitnowPerPage: number;
  himalayas: Json[];
  himalayasPerPage: number;
  jobicy: Json;
  themuse: Json[];
  themusePerPage: number;
  hackernewsSearch: Json;
  hackernewsItem: Json;
  usajobs: Json[];
  usajobsPerPage: number;
  adzuna: Json[];
  linkedin: string[];
  indeed: Json[];
  glassdoor: Json[];
}

export interface FakeBoards extends BoardServer {
  data: BoardData;
  /** Credentials the keyed APIs accept. */
  keys: { adzunaId: string; adzunaKey: string; usajobsKey: string; usajobsEmail: string };
}

const page = <T>(items: T[], start: number, size: number) => items.slice(start, start + size);

function defaults(): BoardData {
  const arbeitnow = [fixture<Json>('arbeitnow-page1.json'), fixture<Json>('arbeitnow-page2.json')];
  const himalayas = [fixture<Json>('himalayas-page1.json'), fixture<Json>('himalayas-page2.json')];
  const muse = [fixture<Json>('themuse-page0.json'), fixture<Json>('themuse-page1.json')];
  const usajobs = [fixture<Json>('usajobs-page1.json'), fixture<Json>('usajobs-page2.json')];
  const usaItems = (p: Json) => (p.SearchResult as { SearchResultItems: Json[] }).SearchResultItems;
  return {
    greenhouse: fixture<{ jobs: Json[] }>('greenhouse.json').jobs,
    greenhouseBoards: {},
    lever: fixture<Json[]>('lever.json'),
    ashby: fixture<{ jobs: Json[] }>('ashby.json').jobs,
    smartrecruiters: fixture<{ content: Json[] }>('smartrecruiters-list.json').content,
    smartrecruitersDetails: fixture<Record<string, Json>>('smartrecruiters-detail.json'),
    recruitee: fixture<{ offers: Json[] }>('recruitee.json').offers,
    workable: fixture<Json>('workable.json'),
    workday: fixture<{ jobPostings: Json[] }>('workday-jobs.json').jobPostings,
    workdayDetail: fixture<Json>('workday-detail.json'),
    remoteok: fixture<unknown[]>('remoteok.json'),
    remotive: fixture<{ jobs: Json[] }>('remotive.json').jobs,
    arbeitnow: arbeitnow.flatMap((p) => p.data as Json[]),
    arbeitnowPerPage: 2,
    himalayas: himalayas.flatMap((p) => p.jobs as Json[]),
    himalayasPerPage: 2,
    jobicy: fixture<Json>('jobicy.json'),
    themuse: muse.flatMap((p) => p.results as Json[]),
    themusePerPage: 2,
    hackernewsSearch: fixture<Json>('hackernews-search.json'),
    hackernewsItem: fixture<Json>('hackernews-item.json'),
    usajobs: usajobs.flatMap(usaItems),
    usajobsPerPage: 2,
    adzuna: fixture<{ results: Json[] }>('adzuna.json').results,
    linkedin: linkedInCards(fixtureText('linkedin-search.html')),
    indeed: fixture<Json[]>('indeed-results.json'),
    glassdoor: fixture<Json[]>('glassdoor-listings.json'),
  };
}

/** The `<li>` cards of a LinkedIn result fragment, so tests can list more of them than the fixture has. */
export function linkedInCards(html: string): string[] {
  return html
    .split(/<li>/)
    .slice(1)
    .map((chunk) => `<li>${chunk.replace(/\s+$/, '')}`);
}

function installCompanyBoards(fake: BoardServer, data: BoardData) {
  // Every job of a board in one response, as Greenhouse does; without content=true the
  // descriptions are left out.
  fake.on('GET', /^\/v1\/boards\/[\w.-]+\/jobs$/, (req) => {
    const board = req.path.split('/')[3]!;
    const jobs = board === 'northwindfreight' ? data.greenhouse : data.greenhouseBoards[board];
    if (!jobs) return { status: 404, body: { status: 404, error: 'Job board not found' } };
    return {
      body: {
        jobs: req.query.get('content') === 'true' ? jobs : jobs.map((j) => ({ ...j, content: undefined })),
        meta: { total: jobs.length },
      },
    };
  });
  fake.on('GET', '/v0/postings/tidewaterlabs', (req) => {
    const skip = Number(req.query.get('skip') ?? 0);
    const limit = Number(req.query.get('limit') ?? data.lever.length);
    return { body: page(data.lever, skip, limit) };
  });
  fake.on('GET', '/posting-api/job-board/quillcraft', (req) => ({
    body: {
      apiVersion: '1',
      jobs: data.ashby.map((j) =>
        req.query.get('includeCompensation') === 'true' ? j : { ...j, compensation: undefined },
      ),
    },
  }));
  fake.on('GET', '/v1/companies/Brightmoor1/postings', (req) => {
    const offset = Number(req.query.get('offset') ?? 0);
    const limit = Math.min(100, Number(req.query.get('limit') ?? 10));
    const content = page(data.smartrecruiters, offset, limit);
    return { body: { offset, limit, totalFound: data.smartrecruiters.length, content } };
  });
  fake.on('GET', /^\/v1\/companies\/Brightmoor1\/postings\/\d+$/, (req) => {
    const id = req.path.split('/').at(-1)!;
    const item = data.smartrecruiters.find((p) => p.id === id);
    if (!item) return { status: 404, body: { code: 'NOT_FOUND', message: 'Posting not found' } };
    return {
      body: { ...item, active: true, ...(data.smartrecruitersDetails[id] ?? { jobAd: { sections: {} } }) },
    };
  });
  fake.on('GET', '/api/offers/', () => ({ body: { offers: data.recruitee } }));
  fake.on('GET', '/api/v1/widget/accounts/fernhill', (req) => {
    const jobs = (data.workable.jobs as Json[]).map((j) =>
      req.query.get('details') === 'true'
        ? j
        : { ...j, description: undefined, requirements: undefined, benefits: undefined },
    );
    return { body: { ...data.workable, jobs } };
  });
  fake.on('POST', '/wday/cxs/halvard/Halvard_Careers/jobs', (req) => {
    const { offset = 0, limit = 20 } = JSON.parse(req.body || '{}') as { offset?: number; limit?: number };
    if (limit > 20)
      return { status: 400, body: { errorCode: 'HTTP_400', message: 'limit must be at most 20' } };
    // Workday sends the total with the first page only.
    return {
      body: {
        total: offset === 0 ? data.workday.length : 0,
        jobPostings: page(data.workday, offset, limit),
        facets: [],
      },
    };
  });
  fake.on('GET', /^\/wday\/cxs\/halvard\/Halvard_Careers\/job\//, (req) => {
    const path = req.path.replace('/wday/cxs/halvard/Halvard_Careers', '');
    const posting = data.workday.find((p) => p.externalPath === path);
    if (!posting) return { status: 404, body: { errorCode: 'HTTP_404' } };
    const info = data.workdayDetail.jobPostingInfo as Json;
    if (path === (data.workday[0]?.externalPath as string)) return { body: data.workdayDetail };
    return {
      body: {
        ...data.workdayDetail,
        jobPostingInfo: {
          ...info,
          title: posting.title,
          jobDescription: `<p>${posting.title as string}.</p>`,
          remoteType: undefined,
          externalUrl: undefined,
          startDate: undefined,
          location: undefined,
          additionalLocations: [],
        },
      },
    };
  });
}

function installRemoteBoards(fake: BoardServer, data: BoardData) {
  fake.on('GET', '/api', () => ({ body: data.remoteok }));
  fake.on('GET', '/api/remote-jobs', () => ({
    body: { 'job-count': data.remotive.length, jobs: data.remotive },
  }));
  fake.on('GET', '/api/job-board-api', (req) => {
    const n = Number(req.query.get('page') ?? 1);
    const size = data.arbeitnowPerPage;
    const last = Math.max(1, Math.ceil(data.arbeitnow.length / size));
    const link = (p: number) => `https://www.arbeitnow.com/api/job-board-api?page=${p}`;
    return {
      body: {
        data: page(data.arbeitnow, (n - 1) * size, size),
        links: {
          first: link(1),
          last: null,
          prev: n > 1 ? link(n - 1) : null,
          next: n < last ? link(n + 1) : null,
        },
        meta: { current_page: n, per_page: size, path: 'https://www.arbeitnow.com/api/job-board-api' },
      },
    };
  });
  fake.on('GET', '/jobs/api', (req) => {
    // The cursor is the offset of the next job, base64-encoded (opaque to clients).
    const cursor = req.query.get('cursor');
    const start = cursor ? Number(Buffer.from(cursor, 'base64url').toString()) : 0;
    const limit = Math.min(Number(req.query.get('limit') ?? 20), data.himalayasPerPage);
    const jobs = page(data.himalayas, start, limit);
    const next =
      start + jobs.length < data.himalayas.length
        ? Buffer.from(String(start + jobs.length)).toString('base64url')
        : null;
    return {
      body: { comments: '', offset: 0, limit, totalCount: data.himalayas.length, nextCursor: next, jobs },
    };
  });
  fake.on('GET', '/jobs/api/search', (req) => {
    const q = (req.query.get('q') ?? '').toLowerCase();
    const hits = data.himalayas.filter((j) => JSON.stringify(j).toLowerCase().includes(q));
    const n = Number(req.query.get('page') ?? 1);
    return { body: { comments: '', totalCount: hits.length, jobs: page(hits, (n - 1) * 20, 20) } };
  });
  fake.on('GET', '/api/v2/remote-jobs', () => ({ body: data.jobicy }));
  fake.on('GET', '/api/public/jobs', (req) => {
    const n = Number(req.query.get('page') ?? 0);
    const size = data.themusePerPage;
    const pages = Math.ceil(data.themuse.length / size);
    return {
      body: {
        page: n,
        page_count: pages,
        items_per_page: size,
        total: data.themuse.length,
        results: page(data.themuse, n * size, size),
      },
    };
  });
  fake.on('GET', '/api/v1/search_by_date', () => ({ body: data.hackernewsSearch }));
  fake.on('GET', /^\/api\/v1\/items\/\d+$/, (req) =>
    req.path.endsWith(`/${data.hackernewsItem.id}`)
      ? { body: data.hackernewsItem }
      : { status: 404, body: { error: 'Not Found' } },
  );
}

function installKeyedBoards(fake: FakeBoards, data: BoardData) {
  fake.on('GET', '/api/search', (req) => {
    if (
      req.headers['authorization-key'] !== fake.keys.usajobsKey ||
      req.headers['user-agent'] !== fake.keys.usajobsEmail
    )
      return { status: 401, body: { message: 'Authorization has been denied for this request.' } };
    const n = Number(req.query.get('Page') ?? 1);
    const size = data.usajobsPerPage;
    const items = page(data.usajobs, (n - 1) * size, size);
    const pages = Math.ceil(data.usajobs.length / size);
    return {
      body: {
        LanguageCode: 'EN',
        SearchParameters: {},
        SearchResult: {
          SearchResultCount: items.length,
          SearchResultCountAll: data.usajobs.length,
          SearchResultItems: items,
          UserArea: { NumberOfPages: String(pages), IsRadialSearch: false },
        },
      },
    };
  });
  fake.on('GET', /^\/v1\/api\/jobs\/gb\/search\/\d+$/, (req) => {
    if (req.query.get('app_id') !== fake.keys.adzunaId || req.query.get('app_key') !== fake.keys.adzunaKey)
      return { status: 401, body: { __CLASS__: 'Adzuna::API::Response::Exception', exception: 'AUTH_FAIL' } };
    const n = Number(req.path.split('/').at(-1));
    const size = Number(req.query.get('results_per_page') ?? 10);
    return {
      body: {
        __CLASS__: 'Adzuna::API::Response::JobSearchResults',
        count: data.adzuna.length,
        results: page(data.adzuna, (n - 1) * size, size),
      },
    };
  });
}

function installHtmlBoards(fake: BoardServer, data: BoardData) {
  fake.on('GET', '/jobs-guest/jobs/api/seeMoreJobPostings/search', (req) => {
    const start = Number(req.query.get('start') ?? 0);
    const cards = page(data.linkedin, start, 10);
    return { body: cards.length > 0 ? `<!DOCTYPE html>\n\n      ${cards.join('\n      ')}\n      ` : '' };
  });
  fake.on('GET', /^\/jobs-guest\/jobs\/api\/jobPosting\/\d+$/, () => ({
    body: fixtureText('linkedin-posting.html'),
  }));
  fake.on('GET', '/ridgeback/', () => ({ body: fixtureText('careers-listing.html') }));
  for (const slug of ['firmware-engineer', 'bike-mechanic', 'head-of-growth'])
    fake.on('GET', `/ridgeback/jobs/${slug}`, () => ({ body: fixtureText(`careers-${slug}.html`) }));
  fake.on('GET', '/spa-careers/', () => ({ body: fixtureText('careers-rendered.html') }));
  fake.on('GET', '/jobs', (req) => ({
    body: indeedPage(page(data.indeed, Number(req.query.get('start') ?? 0), 10)),
  }));
  fake.on('GET', '/Job/jobs.htm', () => ({ body: glassdoorPage(data.glassdoor) }));
}

/** Indeed's result page: its scripts fill `window.mosaic.providerData` a moment after load. */
function indeedPage(results: Json[]): string {
  const model = JSON.stringify({
    metaData: { mosaicProviderJobCardsModel: { results, tierSummaries: [] } },
  }).replace(/</g, '\\u003c');
  return `<!DOCTYPE html><html lang="en"><head><title>Jobs | Indeed</title></head><body>
<div id="mosaic-provider-jobcards"><ul class="css-zu9cdh eu4oa1w0"></ul></div>
<script>window.mosaic = window.mosaic || {}; window.mosaic.providerData = window.mosaic.providerData || {};
setTimeout(function () { window.mosaic.providerData["mosaic-provider-jobcards"] = ${model}; }, 50);</script>
</body></html>`;
}

/** Glassdoor's search page: a Next.js page whose listings live in `__NEXT_DATA__`. */
function glassdoorPage(listings: Json[]): string {
  const next = {
    props: {
      pageProps: {
        jobSearchPage: {
          searchResultsData: { jobListings: { jobListings: listings, totalJobsCount: listings.length } },
        },
      },
    },
    page: '/Job/jobs',
    buildId: 'k2mL9',
  };
  return `<!DOCTYPE html><html lang="en"><head><title>Jobs | Glassdoor</title></head><body>
<div id="__next"><ul aria-label="Jobs List"></ul></div>
<script id="__NEXT_DATA__" type="application/json">${JSON.stringify(next).replace(/</g, '\\u003c')}</script>
</body></html>`;
}

export async function startFakeBoards(): Promise<FakeBoards> {
  const server = await startBoardServer();
  const data = defaults();
  const fake: FakeBoards = {
    ...server,
    data,
    keys: {
      adzunaId: 'adz-id-123',
      adzunaKey: 'adz-key-secret-456',
      usajobsKey: 'usa-key-secret-789',
      usajobsEmail: 'ops@jobping.example',
    },
  };
  installCompanyBoards(fake, data);
  installRemoteBoards(fake, data);
  installKeyedBoards(fake, data);
  installHtmlBoards(fake, data);
  return fake;
}
