import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN,
  type AdminTestApp,
  fetchThroughApi,
  problemOf,
  startAdminTestApp,
} from '../helpers/admin.ts';
import { consoleActor } from '../helpers/app.ts';

/**
 * GET /api/jobs and /api/jobs/{id} on the bundled sample board, fetched through POST /api/fetch and
 * analysed by the real OpenAI client against a local fake. Alice wants TypeScript and Rust jobs, so
 * the pre-filter sends only those to the model.
 */

let t: AdminTestApp;
let runId: number;

interface Job {
  id: number;
  externalId: string;
  title: string;
  company: string;
  remote: string;
  postedAt: string | null;
  firstSeenAt: string;
  canonicalId: number | null;
  analysis: { status: string; analyzer: string | null; model: string | null; summary: string | null } | null;
}

beforeAll(async () => {
  t = await startAdminTestApp();
  await t.say(consoleActor('alice'), '/prefs set keywords=typescript,rust');
  const fetched = await fetchThroughApi(t);
  runId = fetched.runs[0]!.id;
});
afterAll(async () => {
  await t?.stop();
});

async function jobs(query: string): Promise<{ items: Job[]; nextCursor: string | null }> {
  const res = await t.api('GET', `/api/jobs${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function allPages(query: string): Promise<Job[]> {
  const seen: Job[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const sep = query.includes('?') ? '&' : '?';
    const res = await jobs(`${query}${cursor ? `${sep}cursor=${cursor}` : ''}`);
    seen.push(...res.items);
    cursor = res.nextCursor;
    if (!cursor) return seen;
  }
  throw new Error('pagination did not end');
}

describe('GET /api/jobs', () => {
  it('pages through every posting once, newest first, each with its analysis', async () => {
    const items = await allPages('?limit=7');
    // 64 sample postings, 4 of them duplicates of others (hidden unless asked for).
    expect(items).toHaveLength(60);
    expect(new Set(items.map((j) => j.id)).size).toBe(60);
    const dates = items.map((j) => Date.parse(j.postedAt ?? j.firstSeenAt));
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
    const rust = items.find((j) => j.externalId === 'smp-046')!;
    expect(rust.analysis).toMatchObject({ status: 'succeeded', analyzer: 'openai', model: 'gpt-test' });
    expect(rust.analysis!.summary).toBeTruthy();
    // Nobody asked for warehouse work: the pre-filter kept it from the model.
    expect(items.find((j) => j.externalId === 'smp-005')!.analysis!.status).toBe('skipped');
    expect(await allPages('?includeDuplicates=true&limit=50')).toHaveLength(64);
  });

  it('oldest first is the exact reverse, and a cursor only works with its own sort', async () => {
    const newest = await allPages('?limit=25');
    const oldest = await allPages('?sort=oldest&limit=25');
    expect(oldest.map((j) => j.id)).toEqual(newest.map((j) => j.id).reverse());
    const first = await jobs('?limit=5');
    const mixed = problemOf(await t.api('GET', `/api/jobs?sort=oldest&cursor=${first.nextCursor}`), 400);
    expect(mixed.errors).toEqual([expect.objectContaining({ in: 'querystring', field: 'cursor' })]);
  });

  it('searches the full text: words, phrases and exclusions, best match first', async () => {
    const rust = await jobs('?q=rust&sort=relevance');
    // Rust in the title outranks Rust among the tags.
    expect(
      rust.items
        .slice(0, 2)
        .map((j) => j.externalId)
        .sort(),
    ).toEqual(['smp-003', 'smp-046']);
    expect(rust.items.map((j) => j.externalId)).toContain('smp-024');
    const phrase = await jobs(`?q=${encodeURIComponent('"payments infrastructure"')}`);
    expect(phrase.items.map((j) => j.externalId)).toEqual(['smp-015']);
    const notGo = await jobs(`?q=${encodeURIComponent('kubernetes -go')}`);
    expect(notGo.items.length).toBeGreaterThan(0);
    for (const j of notGo.items) expect(j.title.toLowerCase()).not.toMatch(/\bgo\b/);
    const byRelevance = await allPages('?q=engineer&sort=relevance&limit=4');
    expect(new Set(byRelevance.map((j) => j.id)).size).toBe(byRelevance.length);
    expect(byRelevance.length).toBe((await jobs('?q=engineer&limit=200')).items.length);
  });

  it('filters by source, company, remote, salary floor, posting date and analysis', async () => {
    expect((await jobs('?remote=remote&limit=200')).items.every((j) => j.remote === 'remote')).toBe(true);
    expect((await jobs('?source=sample&limit=200')).items).toHaveLength(60);
    expect((await jobs('?source=elsewhere')).items).toHaveLength(0);
    const parcel = await jobs('?company=parcel');
    expect(parcel.items.map((j) => j.company)).toEqual(['Parcelwise', 'Parcelwise']);
    const rich = await jobs('?salaryMin=200000&currency=USD&limit=200');
    expect(rich.items.map((j) => j.externalId).sort()).toEqual([
      'smp-004',
      'smp-015',
      'smp-024',
      'smp-032',
      'smp-046',
    ]);
    const since = new Date(Date.now() - 5.5 * 86_400_000).toISOString();
    const recent = await jobs(`?postedSince=${encodeURIComponent(since)}&limit=200`);
    expect(recent.items.length).toBeGreaterThan(5);
    for (const j of recent.items) expect(Date.parse(j.postedAt!)).toBeGreaterThanOrEqual(Date.parse(since));
    const analysed = await jobs('?analysed=true&limit=200');
    const notAnalysed = await jobs('?analysed=false&limit=200');
    expect(analysed.items.every((j) => j.analysis?.status === 'succeeded')).toBe(true);
    expect(notAnalysed.items.some((j) => j.analysis?.status === 'succeeded')).toBe(false);
    expect(analysed.items.length + notAnalysed.items.length).toBe(60);
  });

  it('answers bad query parameters with 400 naming every failing field', async () => {
    const bad = problemOf(await t.api('GET', '/api/jobs?limit=0&remote=sometimes&analysed=maybe'), 400);
    expect(bad.errors!.map((e) => e.field).sort()).toEqual(['analysed', 'limit', 'remote.0']);
    expect(bad.errors!.every((e) => e.in === 'querystring')).toBe(true);
    problemOf(await t.api('GET', '/api/jobs?cursor=not-a-cursor'), 400);
    problemOf(await t.api('GET', '/api/jobs?postedSince=yesterday'), 400);
    const relevance = problemOf(await t.api('GET', '/api/jobs?sort=relevance'), 400);
    expect(relevance.errors).toEqual([expect.objectContaining({ field: 'q' })]);
  });

  it('refuses requests without the right token', async () => {
    const missing = problemOf(await t.api('GET', '/api/jobs', { token: null }), 401);
    expect(missing.detail).toMatch(/missing bearer token/);
    const wrong = await t.api('GET', '/api/jobs', { token: `${ADMIN_TOKEN}x` });
    expect(problemOf(wrong, 401).detail).toBe('wrong token');
    expect(wrong.headers['www-authenticate']).toMatch(/^Bearer/);
  });
});

describe('GET /api/jobs/{id}', () => {
  it('shows one posting with its analysis, matches, duplicates and the runs that fetched it', async () => {
    const { rows } = await t.db.pool.query<{ id: number; external_id: string }>(
      `select id, external_id from postings where external_id in ('smp-001', 'smp-010')`,
    );
    const id = (ext: string) => rows.find((r) => r.external_id === ext)!.id;
    const res = await t.api('GET', `/api/jobs/${id('smp-001')}`);
    expect(res.statusCode).toBe(200);
    const job = res.json();
    expect(job).toMatchObject({
      externalId: 'smp-001',
      title: 'Senior Backend Engineer (Node.js)',
      duplicateIds: [id('smp-010')],
      analysis: { status: 'succeeded', analyzer: 'openai' },
      matches: { total: 1, byStatus: { new: 1, saved: 0, dismissed: 0, applied: 0 } },
    });
    expect(job.description).toContain('Node');
    expect(job.fetchHistory).toEqual([
      expect.objectContaining({ runId, sourceId: 'sample', trigger: 'api', status: 'succeeded' }),
    ]);
    const duplicate = (await t.api('GET', `/api/jobs/${id('smp-010')}`)).json();
    expect(duplicate.canonicalId).toBe(id('smp-001'));
  });

  it('404 for an unknown id, 400 for one that is no id, 401 without a token', async () => {
    expect(problemOf(await t.api('GET', '/api/jobs/987654'), 404).detail).toBe('no posting 987654');
    const bad = problemOf(await t.api('GET', '/api/jobs/abc'), 400);
    expect(bad.errors).toEqual([expect.objectContaining({ in: 'params', field: 'id' })]);
    problemOf(await t.api('GET', '/api/jobs/1', { token: null }), 401);
  });
});
