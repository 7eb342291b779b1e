import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ashbyKind } from '../../src/pipeline/sources/ashby.ts';
import { careersKind } from '../../src/pipeline/sources/careers.ts';
import { greenhouseKind } from '../../src/pipeline/sources/greenhouse.ts';
import { leverKind } from '../../src/pipeline/sources/lever.ts';
import { recruiteeKind } from '../../src/pipeline/sources/recruitee.ts';
import { smartRecruitersKind } from '../../src/pipeline/sources/smartrecruiters.ts';
import { workableKind } from '../../src/pipeline/sources/workable.ts';
import { workdayKind } from '../../src/pipeline/sources/workday.ts';
import { type FakeBoards, startFakeBoards } from '../fakes/boards.ts';
import { byId, collect, testDeps } from '../helpers/sources.ts';

/**
 * Company ATS boards against a local server that speaks each board's API. What a user would see
 * is checked on the normalised postings: titles, companies, places, remote mode, salary with its
 * currency and interval, UTC dates, and descriptions as safe plain text.
 */

let boards: FakeBoards;
const deps = testDeps();
beforeAll(async () => {
  boards = await startFakeBoards();
});
afterAll(async () => {
  await boards?.close();
});

describe('Greenhouse', () => {
  it('reads every job with its text unescaped, scripts dropped, dates in UTC', async () => {
    const { postings, error } = await collect(greenhouseKind(deps), 'greenhouse:northwindfreight', {
      baseUrl: boards.url,
    });
    expect(error).toBeNull();
    const p = byId(postings);
    expect(Object.keys(p)).toEqual(['7012345001', '7012345002', '7012345003']);
    const backend = p['7012345001']!;
    expect(backend).toMatchObject({
      title: 'Senior Backend Engineer, Routing',
      company: 'Northwind Freight',
      location: 'Remote - US',
      remote: 'remote',
    });
    expect(backend.url).toBe('https://job-boards.greenhouse.io/northwindfreight/jobs/7012345001');
    expect(backend.postedAt?.toISOString()).toBe('2026-11-20T14:15:00.000Z');
    expect(backend.description).toContain(
      "We move 2 million parcels a day across Europe & North America, and we're hiring.",
    );
    expect(backend.description).not.toMatch(/window\.track|<|&lt;|&amp;/);
    // The pay range is in the text only: parsed from it, in dollars a year.
    expect(backend.salary).toEqual({ min: 160000, max: 190000, currency: 'USD', interval: 'year' });
    expect(p['7012345002']).toMatchObject({ location: 'Hybrid - London', remote: 'hybrid', tags: ['data'] });
    // No location object and no publish date: the office and the update date stand in.
    expect(p['7012345003']).toMatchObject({ location: 'Denver, Colorado, United States' });
    expect(p['7012345003']!.postedAt?.toISOString()).toBe('2026-11-27T18:00:00.000Z');
    expect(boards.hits('/v1/boards/northwindfreight/jobs').at(-1)!.query.get('content')).toBe('true');
  });
});

describe('Lever', () => {
  it('joins description, lists and footer; keeps hourly and non-USD pay with its interval', async () => {
    const { postings, error } = await collect(leverKind(deps), 'lever:tidewaterlabs', {
      baseUrl: boards.url,
      company: 'Tidewater Labs',
    });
    expect(error).toBeNull();
    const [platform, technician, advocate] = postings;
    expect(platform).toMatchObject({
      title: 'Platform Engineer (Kubernetes)',
      company: 'Tidewater Labs',
      location: 'Toronto',
      remote: 'hybrid',
      salary: { min: 135000, max: 165000, currency: 'CAD', interval: 'year' },
    });
    expect(platform!.postedAt?.toISOString()).toBe('2026-11-24T08:00:00.000Z');
    expect(platform!.description).toContain('What you’ll do');
    expect(platform!.description).toContain('- Run Kubernetes clusters across three regions');
    expect(platform!.description).toContain('equal opportunity employer');
    expect(technician).toMatchObject({
      remote: 'onsite',
      salary: { min: 22.5, max: 27, currency: 'EUR', interval: 'hour' },
    });
    expect(advocate).toMatchObject({ remote: 'remote', salary: null });
  });

  it('pages with skip and limit, each posting once, and uses the EU host when asked', async () => {
    const original = boards.data.lever;
    boards.data.lever = Array.from({ length: 230 }, (_, i) => ({
      ...original[i % 3]!,
      id: `gen-${i}`,
      text: `Role ${i}`,
    }));
    const before = boards.hits('/v0/postings/tidewaterlabs').length;
    try {
      const { raw } = await collect(leverKind(deps), 'lever:tidewaterlabs', { baseUrl: boards.url });
      expect(raw.map((r) => r.externalId)).toEqual(boards.data.lever.map((p) => p.id));
      const skips = boards
        .hits('/v0/postings/tidewaterlabs')
        .slice(before)
        .map((r) => r.query.get('skip'));
      expect(skips).toEqual(['0', '100', '200']);
    } finally {
      boards.data.lever = original;
    }
    // Without a base URL the region picks the host (the fake is not there: the error names the EU host).
    const eu = await collect(
      leverKind(testDeps({ http: { retries: 0, timeoutMs: 1000 } })),
      'lever:x',
      { region: 'eu' },
      {
        fetch: async (url) => {
          throw new Error(`offline: ${String(url)}`);
        },
      },
    );
    expect(eu.error?.message).toMatch(/offline: https:\/\/api\.eu\.lever\.co\/v0\/postings\/x\?mode=json/);
  });
});

describe('Ashby', () => {
  it('takes salary components (yearly GBP, hourly EUR), skips unlisted jobs', async () => {
    const { postings, error } = await collect(ashbyKind(deps), 'ashby:quillcraft', {
      baseUrl: boards.url,
      company: 'Quillcraft',
    });
    expect(error).toBeNull();
    const p = byId(postings);
    expect(Object.keys(p)).toHaveLength(3);
    expect(Object.values(p).map((x) => x.title)).not.toContain('Internal tooling engineer');
    expect(p['9a1b2c3d-0000-4000-8000-000000000001']).toMatchObject({
      company: 'Quillcraft',
      location: 'London / Manchester',
      remote: 'hybrid',
      salary: { min: 85000, max: 105000, currency: 'GBP', interval: 'year' },
    });
    expect(p['9a1b2c3d-0000-4000-8000-000000000001']!.description).toContain(
      "You'll lead design for our editor & review flows.",
    );
    expect(p['9a1b2c3d-0000-4000-8000-000000000002']).toMatchObject({
      remote: 'remote',
      salary: { min: 28, max: 34, currency: 'EUR', interval: 'hour' },
    });
    expect(p['9a1b2c3d-0000-4000-8000-000000000004']).toMatchObject({ remote: 'onsite', salary: null });
    expect(boards.hits('/posting-api/job-board/quillcraft').at(-1)!.query.get('includeCompensation')).toBe(
      'true',
    );
  });
});

describe('SmartRecruiters', () => {
  it('pages through the list and reads each posting’s text; a withdrawn posting keeps its listing', async () => {
    const { postings, error } = await collect(smartRecruitersKind(deps), 'smartrecruiters:Brightmoor1', {
      baseUrl: boards.url,
    });
    expect(error).toBeNull();
    const p = byId(postings);
    expect(p['744000200000001']).toMatchObject({
      title: 'Gameplay Programmer (C++)',
      company: 'Brightmoor Games',
      location: 'Montreal, QC, Canada',
      remote: 'hybrid',
      url: 'https://jobs.smartrecruiters.com/Brightmoor1/744000200000001-gameplay-programmer-c-',
      salary: { min: 95000, max: 120000, currency: 'CAD', interval: 'year' },
    });
    expect(p['744000200000001']!.description).toContain('Build combat systems in C++ & our in-house engine.');
    expect(p['744000200000002']).toMatchObject({ title: 'Concepteur·rice de niveaux', remote: 'onsite' });
    expect(p['744000200000003']).toMatchObject({ remote: 'remote', description: '' });
    expect(p['744000200000003']!.url).toBe('https://jobs.smartrecruiters.com/Brightmoor1/744000200000003');
  });

  it('follows offsets to the end with no page skipped or read twice', async () => {
    const original = boards.data.smartrecruiters;
    boards.data.smartrecruiters = Array.from({ length: 250 }, (_, i) => ({
      ...original[0]!,
      id: String(744000300000000 + i),
    }));
    const before = boards.hits('/v1/companies/Brightmoor1/postings').length;
    try {
      const { raw } = await collect(smartRecruitersKind(deps), 'smartrecruiters:Brightmoor1', {
        baseUrl: boards.url,
        details: false,
      });
      expect(new Set(raw.map((r) => r.externalId)).size).toBe(250);
      const offsets = boards
        .hits('/v1/companies/Brightmoor1/postings')
        .slice(before)
        .map((r) => r.query.get('offset'));
      expect(offsets).toEqual(['0', '100', '200']);
    } finally {
      boards.data.smartrecruiters = original;
    }
  });
});

describe('Recruitee', () => {
  it('reads published offers with monthly EUR salaries given as strings', async () => {
    const { postings, error } = await collect(recruiteeKind(deps), 'recruitee:harbourlight', {
      baseUrl: boards.url,
    });
    expect(error).toBeNull();
    expect(postings.map((p) => p.title)).toEqual(['Backend Developer (Elixir)', 'Head of Finance']);
    const [backend, finance] = postings;
    expect(backend).toMatchObject({
      company: 'Harbourlight',
      location: 'Utrecht, Utrecht, Netherlands',
      remote: 'hybrid',
      salary: { min: 4200, max: 5800, currency: 'EUR', interval: 'month' },
      url: 'https://careers.harbourlight.example/o/backend-developer-elixir',
    });
    expect(backend!.postedAt?.toISOString()).toBe('2026-11-19T10:00:00.000Z');
    expect(backend!.description).toContain('- Elixir & Phoenix');
    expect(finance).toMatchObject({
      remote: 'onsite',
      salary: { min: 95000, max: 120000, currency: 'EUR', interval: 'year' },
    });
  });
});

describe('Workable', () => {
  it('reads the account’s jobs with their text, places and dates', async () => {
    const { postings, error } = await collect(workableKind(deps), 'workable:fernhill', {
      baseUrl: boards.url,
    });
    expect(error).toBeNull();
    const p = byId(postings);
    expect(p.F3A91C7B2D).toMatchObject({
      company: 'Fernhill Health',
      location: 'Leeds, England, United Kingdom / Bristol, England, United Kingdom',
      remote: 'remote',
      salary: { min: 55000, max: 70000, currency: 'GBP', interval: 'year' },
    });
    expect(p.F3A91C7B2D!.description).toContain('- React, TypeScript, Node.js');
    expect(p['8B2E44D0A1']).toMatchObject({ location: 'Dublin, Ireland', remote: 'hybrid' });
    expect(p['8B2E44D0A1']!.postedAt?.toISOString()).toBe('2026-11-27T00:00:00.000Z');
    expect(boards.hits('/api/v1/widget/accounts/fernhill').at(-1)!.query.get('details')).toBe('true');
  });
});

describe('Workday', () => {
  const site = () => `${boards.url}/en-US/Halvard_Careers`;

  it('posts for pages of 20 and reads each posting’s detail', async () => {
    const { postings, error } = await collect(workdayKind(deps), `workday:${site()}`, { tenant: 'halvard' });
    expect(error).toBeNull();
    const [data, sre] = postings;
    expect(data).toMatchObject({
      title: 'Senior Data Engineer – Payments',
      company: 'Halvard Payments SE',
      location: 'Berlin, Germany / Munich, Germany',
      remote: 'hybrid',
      salary: { min: 78000, max: 96000, currency: 'EUR', interval: 'year' },
    });
    expect(data!.postedAt?.toISOString()).toBe('2026-11-28T00:00:00.000Z');
    // "2 Locations" is not a place; the path still says where.
    expect(sre).toMatchObject({
      location: null,
      url: `${site()}/job/Remote-Poland/Site-Reliability-Engineer_R-10240`,
    });
  });

  it('pages by offset to the first page’s total, although later pages report 0', async () => {
    const original = boards.data.workday;
    boards.data.workday = Array.from({ length: 45 }, (_, i) => ({
      ...original[1]!,
      externalPath: `/job/X/Role_R-${20000 + i}`,
    }));
    const before = boards.hits('/wday/cxs/halvard/Halvard_Careers/jobs').length;
    try {
      const now = new Date('2026-11-28T12:00:00Z');
      const { raw } = await collect(
        workdayKind(deps),
        `workday:${site()}`,
        { tenant: 'halvard', details: false },
        { clock: { now: () => now } },
      );
      expect(raw).toHaveLength(45);
      expect(new Set(raw.map((r) => r.externalId)).size).toBe(45);
      expect(raw[0]!.postedAt).toEqual(new Date('2026-11-25T12:00:00Z'));
      const offsets = boards
        .hits('/wday/cxs/halvard/Halvard_Careers/jobs')
        .slice(before)
        .map((r) => JSON.parse(r.body).offset);
      expect(offsets).toEqual([0, 20, 40]);
    } finally {
      boards.data.workday = original;
    }
  });
});

describe('careers pages with JSON-LD', () => {
  it('follows posting links on the same site and reads each page’s JobPosting', async () => {
    const { postings, error } = await collect(careersKind(deps), `careers:${boards.url}/ridgeback/`, {
      detailLinks: 'a.job-link',
      minIntervalMs: 0,
    });
    expect(error).toBeNull();
    const p = byId(postings);
    expect(Object.keys(p)).toEqual([
      'RB-ENG-031',
      'https://ridgeback.example/jobs/bike-mechanic',
      expect.stringContaining('/ridgeback/jobs/head-of-growth#'),
    ]);
    expect(p['RB-ENG-031']).toMatchObject({
      company: 'Ridgeback Bikes',
      location: 'Portland, OR, US',
      salary: { min: 125000, max: 150000, currency: 'USD', interval: 'year' },
      url: `${boards.url}/ridgeback/jobs/firmware-engineer`,
    });
    const mechanic = p['https://ridgeback.example/jobs/bike-mechanic']!;
    expect(mechanic).toMatchObject({
      company: 'Ridgeback Bikes B.V.',
      location: 'Amsterdam, Netherlands',
      salary: { min: 16.5, max: 19, currency: 'EUR', interval: 'hour' },
    });
    expect(mechanic.description).toBe('Service e-bikes in our Amsterdam workshop.\n\nCafé on site.');
    expect(mechanic.postedAt?.toISOString()).toBe('2026-11-26T08:00:00.000Z');
    const growth = Object.values(p).find((x) => x.title === 'Head of Growth')!;
    expect(growth).toMatchObject({ remote: 'remote', location: 'United Kingdom / Germany' });
    expect(growth.description).toBe(
      'Lead growth marketing across Europe and North America.\nYou will own paid, lifecycle and partnerships.',
    );
    // The external partner link is never followed.
    expect(boards.requests.some((r) => r.path.includes('123'))).toBe(false);
  });
});
