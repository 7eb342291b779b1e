import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adzunaKind } from '../../src/pipeline/sources/adzuna.ts';
import { linkedInKind } from '../../src/pipeline/sources/linkedin.ts';
import { usaJobsKind } from '../../src/pipeline/sources/usajobs.ts';
import { type FakeBoards, fixtureText, linkedInCards, startFakeBoards } from '../fakes/boards.ts';
import { byId, collect, memoryQuota, NO_QUERY, testDeps } from '../helpers/sources.ts';

/** Keyed APIs (USAJOBS, Adzuna) and LinkedIn's guest search, against local fakes. */

let boards: FakeBoards;
let keys: ReturnType<typeof keysOf>;
const keysOf = (b: FakeBoards) => ({
  adzuna: { appId: b.keys.adzunaId, appKey: b.keys.adzunaKey },
  usajobs: { apiKey: b.keys.usajobsKey, userAgent: b.keys.usajobsEmail },
});
beforeAll(async () => {
  boards = await startFakeBoards();
  keys = keysOf(boards);
});
afterAll(async () => {
  await boards?.close();
});

describe('USAJOBS', () => {
  it('is refused without its key, with a message naming the variables', async () => {
    const { error } = await collect(usaJobsKind(testDeps()), 'usajobs', { baseUrl: boards.url });
    expect(error?.message).toBe('usajobs: USAJOBS needs USAJOBS_API_KEY and USAJOBS_USER_AGENT to be set');
  });

  it('searches the fetch text with its key, pages to NumberOfPages, keeps yearly and hourly pay', async () => {
    const before = boards.hits('/api/search').length;
    const { postings, error } = await collect(
      usaJobsKind(testDeps({ keys })),
      'usajobs',
      { baseUrl: boards.url },
      {
        query: { ...NO_QUERY, text: 'developer' },
      },
    );
    expect(error).toBeNull();
    const requests = boards.hits('/api/search').slice(before);
    expect(requests.map((r) => [r.query.get('Keyword'), r.query.get('Page')])).toEqual([
      ['developer', '1'],
      ['developer', '2'],
    ]);
    expect(requests[0]!.headers['authorization-key']).toBe(boards.keys.usajobsKey);
    const p = byId(postings);
    expect(p['820100100']).toMatchObject({
      title: 'IT Specialist (Application Software)',
      company: 'Consumer Financial Protection Bureau',
      location: 'Washington, District of Columbia',
      remote: 'hybrid',
      salary: { min: 117962, max: 153354, currency: 'USD', interval: 'year' },
    });
    expect(p['820100100']!.description).toContain('Review code & mentor junior developers.');
    expect(p['820100100']!.postedAt?.toISOString()).toBe('2026-11-24T00:00:00.000Z');
    expect(p['820100200']!.salary).toEqual({ min: 21.47, max: 27.9, currency: 'USD', interval: 'hour' });
    // Bi-weekly pay is not an interval we compare: left out rather than guessed.
    expect(p['820100300']).toMatchObject({ remote: 'remote', location: 'Multiple Locations', salary: null });
  });

  it('stops paging politely when the daily allowance runs out mid-run', async () => {
    const quota = memoryQuota();
    const { postings, error } = await collect(usaJobsKind(testDeps({ keys, quota })), 'usajobs', {
      baseUrl: boards.url,
      dailyLimit: 1,
    });
    expect(error).toBeNull();
    expect(postings).toHaveLength(2);
    expect(quota.used.get('usajobs')).toBe(1);
  });
});

describe('Adzuna', () => {
  it('searches any of the users’ keywords in the user’s place; GBP salaries, estimates left out', async () => {
    const kind = adzunaKind(testDeps({ keys }));
    expect(kind.attribution).toEqual({ text: 'Jobs by Adzuna', url: 'https://www.adzuna.com' });
    const before = boards.hits(/^\/v1\/api\/jobs\/gb\/search\//).length;
    const { postings, error } = await collect(
      kind,
      'adzuna:gb',
      { baseUrl: boards.url },
      {
        query: { text: null, keywords: ['python', 'django'], locations: ['manchester'] },
      },
    );
    expect(error).toBeNull();
    const request = boards.hits(/^\/v1\/api\/jobs\/gb\/search\//).slice(before)[0]!;
    expect(request.path).toBe('/v1/api/jobs/gb/search/1');
    expect(request.query.get('what_or')).toBe('python django');
    expect(request.query.get('where')).toBe('manchester');
    const p = byId(postings);
    expect(p['4901234567']).toMatchObject({
      title: 'Senior Python Developer',
      company: 'Kingfisher Data Ltd',
      location: 'Manchester, Greater Manchester',
      salary: { min: 65000, max: 80000, currency: 'GBP', interval: 'year' },
    });
    expect(p['4901234567']!.description).toContain('analytics platform team … Django');
    expect(p['4901234570']).toMatchObject({ company: 'Bramble & Co', salary: null });
  });

  it('never shows its key in errors', async () => {
    const { error } = await collect(
      adzunaKind(testDeps({ keys: { adzuna: { appId: 'x', appKey: 'wrong-key-0001' } } })),
      'adzuna:gb',
      {
        baseUrl: boards.url,
      },
    );
    expect(error?.message).toBe(`Adzuna: HTTP 401 from ${boards.url}/v1/api/jobs/gb/search/1`);
    expect(error?.message).not.toContain('wrong-key');
  });
});

describe('LinkedIn guest search', () => {
  it('reads the cards of the HTML fragment: ids, bare URLs, trimmed text, salary and date', async () => {
    const { postings, error } = await collect(
      linkedInKind(testDeps()),
      'linkedin',
      { baseUrl: boards.url, details: true },
      {
        query: { text: 'typescript', keywords: [], locations: ['berlin'] },
      },
    );
    expect(error).toBeNull();
    const p = byId(postings);
    expect(postings.map((x) => x.externalId)).toEqual(['4501112221', '4501112230', '4501112245']);
    expect(p['4501112221']).toMatchObject({
      title: 'Senior TypeScript Engineer',
      company: 'Lindqvist & Partner',
      location: 'Berlin, Berlin, Germany',
      url: 'https://de.linkedin.com/jobs/view/senior-typescript-engineer-at-lindqvist-4501112221',
      salary: { min: 70000, max: 85000, currency: 'EUR', interval: 'year' },
    });
    expect(p['4501112221']!.postedAt?.toISOString()).toBe('2026-11-27T00:00:00.000Z');
    expect(p['4501112221']!.description).toContain('- Write TypeScript on Node.js and React');
    const search = boards.hits('/jobs-guest/jobs/api/seeMoreJobPostings/search').at(-1)!;
    expect([search.query.get('keywords'), search.query.get('location'), search.query.get('start')]).toEqual([
      'typescript',
      'berlin',
      '0',
    ]);
  });

  it('pages by start until a short page, each card once', async () => {
    const original = boards.data.linkedin;
    const template = linkedInCards(fixtureText('linkedin-search.html'))[1]!;
    boards.data.linkedin = Array.from({ length: 25 }, (_, i) =>
      template.replaceAll('4501112230', String(4600000000 + i)),
    );
    const before = boards.hits('/jobs-guest/jobs/api/seeMoreJobPostings/search').length;
    try {
      const { raw, error } = await collect(
        linkedInKind(testDeps()),
        'linkedin',
        { baseUrl: boards.url },
        { query: { ...NO_QUERY, text: 'node' } },
      );
      expect(error).toBeNull();
      expect(new Set(raw.map((r) => r.externalId)).size).toBe(25);
      const starts = boards
        .hits('/jobs-guest/jobs/api/seeMoreJobPostings/search')
        .slice(before)
        .map((r) => r.query.get('start'));
      expect(starts).toEqual(['0', '10', '20']);
    } finally {
      boards.data.linkedin = original;
    }
  });

  it('fails clearly when LinkedIn answers with a page that is not a card list', async () => {
    boards.queue('/jobs-guest/jobs/api/seeMoreJobPostings/search', {
      body: '<!DOCTYPE html><html><head><title>Sign In | LinkedIn</title></head><body><form action="/uas/login"></form></body></html>',
    });
    const { error } = await collect(linkedInKind(testDeps()), 'linkedin', { baseUrl: boards.url });
    expect(error?.message).toBe(
      'LinkedIn: the search page could not be read: it is not a job-card list (a sign-in wall or a block page?)',
    );
  });
});
