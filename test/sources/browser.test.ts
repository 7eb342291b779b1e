import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { careersKind } from '../../src/pipeline/sources/careers.ts';
import { glassdoorKind } from '../../src/pipeline/sources/glassdoor.ts';
import { indeedKind } from '../../src/pipeline/sources/indeed.ts';
import { type FakeBoards, startFakeBoards } from '../fakes/boards.ts';
import { type FakeProxy, startFakeProxy } from '../fakes/proxy.ts';
import { noChromium } from '../helpers/chromium.ts';
import { byId, collect, NO_QUERY, testDeps } from '../helpers/sources.ts';

/**
 * Sources that drive Debian's Chromium headless (playwright-core) against local pages: a careers
 * page whose JSON-LD only exists once its script ran, Indeed's result page (cards data set by its
 * scripts) and Glassdoor's Next.js page.
 */

const skip = noChromium();
let boards: FakeBoards;
let proxy: FakeProxy;
beforeAll(async () => {
  boards = await startFakeBoards();
  proxy = await startFakeProxy();
});
afterAll(async () => {
  await boards?.close();
  await proxy?.close();
});

describe.skipIf(skip)('careers pages rendered in Chromium', () => {
  it('read JSON-LD that the page adds with JavaScript; plain HTTP finds none', async () => {
    const url = `careers:${boards.url}/spa-careers/`;
    const plain = await collect(careersKind(testDeps()), url, {});
    expect(plain.error).toBeNull();
    expect(plain.postings).toHaveLength(0);

    const rendered = await collect(careersKind(testDeps()), url, { render: true });
    expect(rendered.error).toBeNull();
    const p = byId(rendered.postings);
    expect(Object.keys(p)).toEqual(['SMS-7', 'SMS-9']);
    expect(p['SMS-7']).toMatchObject({
      title: 'Senior Unity Developer',
      company: 'Saltmarsh Studio',
      location: 'Lisbon, Portugal',
      url: `${boards.url}/spa-careers/SMS-7`,
      salary: { min: 60000, max: 75000, currency: 'EUR', interval: 'year' },
      description: 'Senior Unity Developer for our next co-op game.',
    });
    expect(p['SMS-9']!.postedAt?.toISOString()).toBe('2026-11-27T00:00:00.000Z');
  });
});

describe.skipIf(skip)('Indeed', () => {
  it('reads the job cards its scripts put on the page: hourly and yearly pay, remote flag', async () => {
    const before = boards.hits('/jobs').length;
    const { postings, error } = await collect(
      indeedKind(testDeps()),
      'indeed',
      { baseUrl: boards.url },
      {
        query: { text: 'python', keywords: [], locations: ['austin, tx'] },
      },
    );
    expect(error).toBeNull();
    const request = boards.hits('/jobs').slice(before)[0]!;
    expect([request.query.get('q'), request.query.get('l'), request.query.get('start')]).toEqual([
      'python',
      'austin, tx',
      '0',
    ]);
    expect(request.headers['user-agent']).toMatch(/^JobPing\/0\.1/);
    const p = byId(postings);
    expect(p.a1b2c3d4e5f60001).toMatchObject({
      title: 'Python Developer',
      company: 'Cobalt Ledger',
      location: 'Austin, TX',
      url: `${boards.url}/viewjob?jk=a1b2c3d4e5f60001`,
      salary: { min: 120000, max: 145000, currency: 'USD', interval: 'year' },
    });
    expect(p.a1b2c3d4e5f60001!.description).toBe(
      '- Build Python services for our billing platform.\n- PostgreSQL & AWS.',
    );
    expect(p.a1b2c3d4e5f60001!.postedAt?.toISOString()).toBe('2026-11-25T08:00:00.000Z');
    expect(p.a1b2c3d4e5f60002).toMatchObject({
      remote: 'remote',
      salary: { min: 26, max: 32.5, currency: 'USD', interval: 'hour' },
    });
    expect(p.a1b2c3d4e5f60003!.salary).toBeNull();
  });

  it('goes through the scraper proxy', async () => {
    const deps = testDeps({ http: { proxyUrl: proxy.url }, proxyBypass: '<-loopback>' });
    const seen = proxy.seen.length;
    const { postings, error } = await collect(indeedKind(deps), 'indeed', {
      baseUrl: boards.url,
      maxPages: 1,
    });
    expect(error).toBeNull();
    expect(postings).toHaveLength(3);
    expect(proxy.seen.slice(seen).some((s) => s.includes(new URL(boards.url).host))).toBe(true);
  });

  it('fails clearly on a page without its job data (a block page)', async () => {
    boards.queue('/jobs', {
      body: '<!DOCTYPE html><html><body><h1>Additional Verification Required</h1></body></html>',
    });
    const { error } = await collect(
      indeedKind(testDeps({ http: { timeoutMs: 3000 } })),
      'indeed',
      { baseUrl: boards.url },
      { query: NO_QUERY },
    );
    expect(error?.message).toBe(
      'Indeed: the result page had no job-card data (blocked, or its layout changed)',
    );
  });
});

describe.skipIf(skip)('Glassdoor', () => {
  it('reads listings from the page data; only employer-stated pay is kept', async () => {
    const now = new Date('2026-11-28T12:00:00Z');
    const { postings, error } = await collect(
      glassdoorKind(testDeps()),
      'glassdoor',
      { baseUrl: boards.url },
      {
        query: { text: 'data engineer', keywords: [], locations: [] },
        clock: { now: () => now },
      },
    );
    expect(error).toBeNull();
    const p = byId(postings);
    expect(p['1009800000001']).toMatchObject({
      title: 'Data Engineer',
      company: 'Silverline Analytics',
      location: 'Seattle, WA',
      salary: { min: 128000, max: 156000, currency: 'USD', interval: 'year' },
      description: 'Build batch and streaming pipelines in Spark and Kafka.\n3+ years of Python or Scala.',
    });
    expect(p['1009800000001']!.postedAt).toEqual(new Date('2026-11-26T12:00:00Z'));
    // Glassdoor's own estimate is not an offer.
    expect(p['1009800000002']).toMatchObject({
      company: 'Harbor & Pine',
      remote: 'remote',
      salary: null,
      url: `${boards.url}/partner/jobListing.htm?pos=102&ao=1402299&jobListingId=1009800000002`,
    });
    expect(p['1009800000003']!.salary).toEqual({ min: 38, max: 47, currency: 'CAD', interval: 'hour' });
    expect(boards.hits('/Job/jobs.htm').at(-1)!.query.get('sc.keyword')).toBe('data engineer');
  });
});
