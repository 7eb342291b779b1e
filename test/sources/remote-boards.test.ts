import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arbeitnowKind } from '../../src/pipeline/sources/arbeitnow.ts';
import { hackerNewsKind } from '../../src/pipeline/sources/hackernews.ts';
import { himalayasKind } from '../../src/pipeline/sources/himalayas.ts';
import { jobicyKind } from '../../src/pipeline/sources/jobicy.ts';
import { remoteOkKind } from '../../src/pipeline/sources/remoteok.ts';
import { remotiveKind } from '../../src/pipeline/sources/remotive.ts';
import { theMuseKind } from '../../src/pipeline/sources/themuse.ts';
import { type FakeBoards, startFakeBoards } from '../fakes/boards.ts';
import { byId, collect, memoryQuota, NO_QUERY, testDeps } from '../helpers/sources.ts';

/** Remote-job APIs against local fakes of their own endpoints. */

let boards: FakeBoards;
const deps = testDeps();
beforeAll(async () => {
  boards = await startFakeBoards();
});
afterAll(async () => {
  await boards?.close();
});

describe('Remote OK', () => {
  it('skips the legal notice, keeps yearly USD pay, repairs mojibake and drops scripts', async () => {
    const kind = remoteOkKind(deps);
    expect(kind.attribution).toEqual({ text: 'Jobs from Remote OK', url: 'https://remoteok.com' });
    const { postings, error } = await collect(kind, 'remoteok', { baseUrl: boards.url });
    expect(error).toBeNull();
    const p = byId(postings);
    expect(postings.map((x) => x.externalId)).toEqual(['1200101', '1200099', '1200095']);
    const rust = p['1200101']!;
    expect(rust).toMatchObject({
      title: 'Senior Rust Engineer',
      company: 'Ferrous Labs',
      remote: 'remote',
      location: 'Worldwide',
    });
    expect(rust.salary).toEqual({ min: 150000, max: 190000, currency: 'USD', interval: 'year' });
    expect(rust.postedAt?.toISOString()).toBe('2026-11-27T16:00:00.000Z');
    expect(rust.description).toBe(
      'Build our storage engine in Rust & help shape the team.\n\nSalary: $150k–$190k.',
    );
    expect(p['1200099']).toMatchObject({
      title: 'Técnico de Soporte',
      description: 'Atención a clientes en español.',
      location: null,
      salary: null,
    });
    // 0 means "not given": a floor with no ceiling.
    expect(p['1200095']!.salary).toEqual({ min: 90000, max: null, currency: 'USD', interval: 'year' });
  });
});

describe('Remotive', () => {
  it('parses free-text salaries (non-USD, hourly) and dates without a zone as UTC', async () => {
    const { postings, error } = await collect(remotiveKind(deps), 'remotive', { baseUrl: boards.url });
    expect(error).toBeNull();
    const p = byId(postings);
    expect(p['2200301']).toMatchObject({
      title: 'Backend Engineer (Python)',
      location: 'Europe, UK',
      remote: 'remote',
      salary: { min: 70000, max: 85000, currency: 'EUR', interval: 'year' },
      tags: ['software development', 'python', 'django', 'postgresql', 'typescript'],
    });
    expect(p['2200301']!.postedAt?.toISOString()).toBe('2026-11-26T14:05:33.000Z');
    expect(p['2200298']!.salary).toEqual({ min: 35, max: 35, currency: 'USD', interval: 'hour' });
    expect(p['2200290']!.salary).toBeNull();
  });

  it('keeps to its daily request limit: the next run fails saying when it resets', async () => {
    const quota = memoryQuota();
    const kind = remotiveKind(testDeps({ quota }));
    const before = boards.hits('/api/remote-jobs').length;
    for (let i = 0; i < 2; i++)
      expect((await collect(kind, 'remotive', { baseUrl: boards.url, dailyLimit: 2 })).error).toBeNull();
    const third = await collect(kind, 'remotive', { baseUrl: boards.url, dailyLimit: 2 });
    expect(third.error?.message).toBe('remotive: daily limit of 2 requests reached; it resets at 00:00 UTC');
    expect(boards.hits('/api/remote-jobs').length - before).toBe(2);
  });
});

describe('Arbeitnow', () => {
  it('follows pages until links.next is null and unescapes its HTML', async () => {
    const before = boards.hits('/api/job-board-api').length;
    const { postings, error } = await collect(arbeitnowKind(deps), 'arbeitnow', { baseUrl: boards.url });
    expect(error).toBeNull();
    expect(
      boards
        .hits('/api/job-board-api')
        .slice(before)
        .map((r) => r.query.get('page')),
    ).toEqual(['1', '2']);
    const p = byId(postings);
    expect(Object.keys(p)).toHaveLength(3);
    const frontend = p['frontend-entwickler-react-berlin-81234']!;
    expect(frontend).toMatchObject({ company: 'Spreewerk', location: 'Berlin', remote: 'onsite' });
    expect(frontend.description).toBe(
      'Wir bauen Software für Energieversorger.\n\nGehalt: 60.000 € – 75.000 € jährlich',
    );
    expect(frontend.salary).toEqual({ min: 60000, max: 75000, currency: 'EUR', interval: 'year' });
    expect(frontend.postedAt?.toISOString()).toBe('2026-11-27T07:00:00.000Z');
    expect(p['devops-engineer-remote-81230']).toMatchObject({ remote: 'remote' });
  });
});

describe('Himalayas', () => {
  it('pages the feed with its cursor, each job once; hourly and EUR salaries kept', async () => {
    const kind = himalayasKind(deps);
    expect(kind.attribution?.text).toBe('Jobs from Himalayas');
    const before = boards.hits('/jobs/api').length;
    const { postings, error } = await collect(kind, 'himalayas', { baseUrl: boards.url, limit: 2 });
    expect(error).toBeNull();
    const cursors = boards
      .hits('/jobs/api')
      .slice(before)
      .map((r) => r.query.get('cursor'));
    expect(cursors).toEqual([null, expect.any(String)]);
    expect(postings.map((p) => p.title)).toEqual([
      'Staff Backend Engineer',
      'AI Data Annotator',
      'Technical Writer',
    ]);
    const [staff, annotator, writer] = postings;
    expect(staff).toMatchObject({
      company: 'Orbitly',
      remote: 'remote',
      location: 'Germany, Netherlands, Spain',
      salary: { min: 120000, max: 150000, currency: 'EUR', interval: 'year' },
    });
    expect(annotator!.salary).toEqual({ min: 18, max: 25, currency: 'USD', interval: 'hour' });
    expect(writer).toMatchObject({ salary: null, location: null });
  });

  it('searches each of the users’ keywords when there is no fetch text', async () => {
    const before = boards.hits('/jobs/api/search').length;
    const { postings } = await collect(
      himalayasKind(deps),
      'himalayas',
      { baseUrl: boards.url },
      {
        query: { ...NO_QUERY, keywords: ['backend', 'writer'] },
      },
    );
    expect(
      boards
        .hits('/jobs/api/search')
        .slice(before)
        .map((r) => r.query.get('q')),
    ).toEqual(['backend', 'writer']);
    expect(postings.map((p) => p.title)).toEqual(['Staff Backend Engineer', 'Technical Writer']);
  });
});

describe('Jobicy', () => {
  it('reads salaries when present (absent keys mean unknown) and splits regions', async () => {
    const { postings, error } = await collect(jobicyKind(deps), 'jobicy', {
      baseUrl: boards.url,
      industry: 'engineering',
    });
    expect(error).toBeNull();
    const p = byId(postings);
    expect(p['160201']).toMatchObject({
      location: 'EMEA, UK, Canada',
      salary: { min: 95000, max: 120000, currency: 'GBP', interval: 'year' },
    });
    expect(p['160201']!.description).toBe(
      'About Wavelet\n\nAudio tools for 2M podcasters.\n\nSwift, SwiftUI & AVFoundation.',
    );
    expect(p['160198']!.salary).toBeNull();
    expect(p['160190']!.salary).toEqual({ min: 19, max: 23, currency: 'EUR', interval: 'hour' });
    expect(boards.hits('/api/v2/remote-jobs').at(-1)!.query.get('industry')).toBe('engineering');
  });
});

describe('The Muse', () => {
  it('pages from 0 to page_count and filters by the users’ locations', async () => {
    const before = boards.hits('/api/public/jobs').length;
    const { postings, error } = await collect(
      theMuseKind(deps),
      'themuse',
      { baseUrl: boards.url, categories: ['Software Engineering'] },
      {
        query: { ...NO_QUERY, locations: ['new york, ny'] },
      },
    );
    expect(error).toBeNull();
    const requests = boards.hits('/api/public/jobs').slice(before);
    expect(requests.map((r) => r.query.get('page'))).toEqual(['0', '1']);
    expect(requests[0]!.query.getAll('location')).toEqual(['New York, Ny']);
    expect(requests[0]!.query.getAll('category')).toEqual(['Software Engineering']);
    expect(postings.map((p) => p.title)).toEqual([
      'Software Engineer II',
      'Senior Data Scientist',
      'Engineering Manager',
    ]);
    expect(postings[0]).toMatchObject({
      company: 'Brightpath',
      location: 'New York, NY / Flexible / Remote',
      remote: 'remote',
    });
    expect(postings[0]!.postedAt?.toISOString()).toBe('2026-11-27T21:03:11.482Z');
  });
});

describe('Hacker News: Who is hiring', () => {
  it('finds the latest thread and reads company, role, place and pay from each post’s first line', async () => {
    const { postings, error } = await collect(hackerNewsKind(deps), 'hackernews', { baseUrl: boards.url });
    expect(error).toBeNull();
    expect(boards.hits('/api/v1/items/50100000').length).toBeGreaterThan(0);
    const p = byId(postings);
    // Only the deleted post is left out; replies are not posts.
    expect(postings.map((x) => x.externalId)).toEqual([
      '50100011',
      '50100012',
      '50100013',
      '50100014',
      '50100016',
    ]);
    // Every field read from a comment is a guess the model analyzer may replace.
    expect(postings.every((x) => x.freeText)).toBe(true);
    expect(p['50100011']).toMatchObject({
      company: 'Tessellate',
      title: 'Senior Backend Engineer',
      location: 'Remote (US, Canada)',
      remote: 'remote',
      salary: { min: 170000, max: 210000, currency: 'USD', interval: 'year' },
      url: 'https://news.ycombinator.com/item?id=50100011',
    });
    expect(p['50100011']!.description).toBe(
      "We're building CAD for the browser. Stack: TypeScript, Rust & WebGPU.\n\nEmail jobs@tessellate.example",
    );
    expect(p['50100012']).toMatchObject({
      company: 'Moorgate Analytics',
      title: 'Data Engineer, Analytics Engineer',
      location: 'London, UK',
      remote: 'onsite',
      salary: { min: 70000, max: 90000, currency: 'GBP', interval: 'year' },
    });
    expect(p['50100013']).toMatchObject({
      company: 'Kestrel Robotics',
      title: 'Embedded Engineer',
      location: 'Zürich, Switzerland & Munich',
      remote: 'hybrid',
    });
    expect(p['50100013']!.postedAt?.toISOString()).toBe('2026-11-02T15:03:30.000Z');
  });

  it('keeps posts without a "Company | Role" line, with a guessed company and a neutral title', async () => {
    const { postings } = await collect(hackerNewsKind(deps), 'hackernews', { baseUrl: boards.url });
    const p = byId(postings);
    expect(p['50100016']).toMatchObject({
      company: 'Halcyon Grid',
      title: 'Open roles',
      location: null,
      remote: 'onsite',
      url: 'https://news.ycombinator.com/item?id=50100016',
    });
    // The first line is not cut off: it is the only place the post names the job.
    expect(p['50100016']!.description).toBe(
      'Halcyon Grid is hiring in Berlin! We build grid-scale batteries and need someone to design the inverters that connect them to the grid. Onsite, 4 days a week.\n\nWrite to hiring@halcyongrid.example',
    );
    // "We are hiring…" names no company: it is not taken for one.
    expect(p['50100014']).toMatchObject({ company: 'Company not named', title: 'Open roles' });
    // Two posts without a readable title never fold into one job: each is only the same job as itself.
    expect(p['50100014']!.dedupKey).toContain('item?id=50100014');
    expect(p['50100016']!.dedupKey).toContain('item?id=50100016');
    // A post whose "Company | Role | Place" line was read folds with its repost in a later thread.
    expect(p['50100011']!.dedupKey).not.toContain('item?id=');
    expect(new Set(postings.map((x) => x.dedupKey)).size).toBe(postings.length);
  });
});
