import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/core/errors.ts';
import type { SourceKind } from '../../src/pipeline/sources/registry.ts';
import { memoryBoards, rawPosting } from '../fakes/memory-source.ts';
import { type AdminTestApp, fetchThroughApi, problemOf, startAdminTestApp } from '../helpers/admin.ts';

/** Sources through the admin API: health, add with validated config, pause/resume, runs, delete; fetch and runs. */

const memory = memoryBoards();
/** A kind whose adapter insists on a config, like every real board does. */
const strictKind: SourceKind = {
  kind: 'strict',
  label: 'Strict board',
  create(row) {
    if (typeof row.config.board !== 'string')
      throw new InvalidInputError('a strict source needs "board", the board\'s name', { field: 'board' });
    return memory.kind.create(row);
  },
};

let t: AdminTestApp;

beforeAll(async () => {
  t = await startAdminTestApp({ sourceKinds: [memory.kind, strictKind] });
  await fetchThroughApi(t);
});
afterAll(async () => {
  await t?.stop();
});

type View = {
  id: string;
  health: string;
  enabled: boolean;
  postings: number;
  pauseReason: string | null;
  consecutiveFailures: number;
  lastRun: {
    id: number;
    status: string;
    found: number;
    new: number;
    trigger: string;
    error: string | null;
  } | null;
};

async function source(id: string): Promise<View> {
  const res = await t.api('GET', `/api/sources/${encodeURIComponent(id)}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('sources', () => {
  it('lists each source with its health, last run and postings, and the kinds one can add', async () => {
    const res = await t.api('GET', '/api/sources');
    expect(res.statusCode).toBe(200);
    const { items, kinds } = res.json() as { items: View[]; kinds: string[] };
    expect(kinds).toEqual(
      expect.arrayContaining(['sample', 'greenhouse', 'lever', 'remoteok', 'memory', 'strict']),
    );
    expect(items).toEqual([
      expect.objectContaining({
        id: 'sample',
        health: 'ok',
        postings: 64,
        lastRun: expect.objectContaining({ status: 'succeeded', found: 64, new: 60, trigger: 'api' }),
      }),
    ]);
  });

  it("adds a source only with a known kind and a config the kind's adapter accepts", async () => {
    const unknownKind = problemOf(
      await t.api('POST', '/api/sources', { body: { id: 'weworkremotely:acme' } }),
      400,
    );
    expect(unknownKind.detail).toMatch(
      /unknown source kind "weworkremotely" \(known: adzuna, .*greenhouse.*\)/,
    );
    expect(unknownKind.errors).toEqual([expect.objectContaining({ in: 'body', field: 'id' })]);
    const badConfig = problemOf(
      await t.api('POST', '/api/sources', { body: { id: 'strict:x', config: {} } }),
      400,
    );
    expect(badConfig.errors).toEqual([expect.objectContaining({ field: 'config.board' })]);
    const badBody = problemOf(
      await t.api('POST', '/api/sources', { body: { id: 'Not An Id', config: [], colour: 'blue' } }),
      400,
    );
    expect(badBody.errors!.map((e) => e.field).sort()).toEqual(['(root)', 'config', 'id']);

    const created = await t.api('POST', '/api/sources', {
      body: { id: 'strict:acme', config: { board: 'acme' } },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({
      id: 'strict:acme',
      kind: 'strict',
      health: 'new',
      config: { board: 'acme' },
    });
    const again = problemOf(
      await t.api('POST', '/api/sources', { body: { id: 'strict:acme', config: { board: 'b' } } }),
      409,
    );
    expect(again.detail).toBe('source "strict:acme" already exists');
    expect((await t.api('POST', '/api/sources', { body: { id: 'x' }, token: null })).statusCode).toBe(401);
  });

  it('adds with the CLI’s rules: the target filled in, the terms warning returned, the same ids', async () => {
    const greenhouse = await t.api('POST', '/api/sources', {
      body: { id: 'greenhouse:acme', paused: true },
    });
    expect(greenhouse.statusCode, greenhouse.body).toBe(201);
    expect(greenhouse.json()).toMatchObject({
      config: { board: 'acme' },
      enabled: false,
      pauseReason: 'paused by the operator',
      termsWarning: null,
    });
    const linkedin = await t.api('POST', '/api/sources', {
      body: { id: 'linkedin', config: { remoteOnly: true }, paused: true },
    });
    expect(linkedin.statusCode, linkedin.body).toBe(201);
    expect(linkedin.json().termsWarning).toMatch(
      /^Search boards \(LinkedIn, Indeed, Glassdoor\) forbid automated access in their terms/,
    );
    expect((await source('linkedin')) as unknown).not.toHaveProperty('termsWarning');
    const badConfig = problemOf(
      await t.api('POST', '/api/sources', { body: { id: 'lever:acme', config: { region: 'mars' } } }),
      400,
    );
    expect(badConfig.detail).toMatch(/^lever:acme: invalid config: region:/);
    expect(badConfig.errors).toEqual([expect.objectContaining({ in: 'body', field: 'config' })]);
    // A kind is letters and digits, as `jobping sources add` says.
    const badId = problemOf(await t.api('POST', '/api/sources', { body: { id: 'green_house:acme' } }), 400);
    expect(badId.errors).toEqual([expect.objectContaining({ field: 'id' })]);
    const doc = (await t.api('GET', '/api/openapi.json', { token: null })).json();
    const created = doc.paths['/api/sources'].post.responses['201'].content['application/json'].schema;
    expect(created.properties.termsWarning).toMatchObject({ description: expect.stringMatching(/terms/) });
    for (const id of ['greenhouse:acme', 'linkedin'])
      expect((await t.api('DELETE', `/api/sources/${encodeURIComponent(id)}`)).statusCode).toBe(204);
  });

  it('a source that finds 0 postings after runs that found plenty shows the warning: source, runs, stats', async () => {
    const id = 'memory:flaky';
    const path = `/api/sources/${encodeURIComponent(id)}`;
    expect((await t.api('POST', '/api/sources', { body: { id } })).statusCode).toBe(201);
    memory.boards.set(
      id,
      Array.from({ length: 5 }, (_, i) => rawPosting({ externalId: `flaky-${i}` })),
    );
    for (let i = 0; i < 3; i++) await fetchThroughApi(t, { sourceIds: [id] });
    expect((await source(id)) as unknown).toMatchObject({ health: 'ok', warning: null });
    memory.boards.set(id, []);
    await fetchThroughApi(t, { sourceIds: [id] });

    const warning =
      'found 0 postings where its previous 3 runs found 5, 5, 5: the board may have changed its format or be blocking us';
    expect((await source(id)) as unknown).toMatchObject({
      health: 'ok',
      warning,
      lastRun: { status: 'succeeded', found: 0, warning },
    });
    const runs = (await t.api('GET', `${path}/runs?limit=2`)).json();
    expect(runs.items.map((r: { warning: string | null }) => r.warning)).toEqual([warning, null]);
    const stats = (await t.api('GET', '/api/stats')).json();
    expect(stats.sources.find((s: { id: string }) => s.id === id)).toMatchObject({ warning });
    expect(stats.sources.find((s: { id: string }) => s.id === 'sample')).toMatchObject({ warning: null });
    expect((await t.api('DELETE', path)).statusCode).toBe(204);
  });

  it('refuses a body over the limit with 413, as a problem', async () => {
    const huge = { id: 'memory:huge', config: { padding: 'x'.repeat(70 * 1024) } };
    const res = await t.api('POST', '/api/sources', { body: huge });
    expect(problemOf(res, 413).title).toBe('Content Too Large');
    expect((await t.api('GET', '/api/sources/memory%3Ahuge')).statusCode).toBe(404);
  });

  it('a paused source is not fetched; resuming it clears the failure streak; runs are listed newest first', async () => {
    const id = 'memory:board-a';
    expect((await t.api('POST', '/api/sources', { body: { id } })).statusCode).toBe(201);
    memory.boards.set(id, new Error('board is down'));
    await fetchThroughApi(t, { sourceIds: [id] });
    expect(await source(id)).toMatchObject({
      health: 'failing',
      consecutiveFailures: 1,
      lastRun: { status: 'failed', error: 'board is down' },
    });

    const paused = await t.api('PATCH', `/api/sources/${encodeURIComponent(id)}`, { body: { paused: true } });
    expect(paused.json()).toMatchObject({
      enabled: false,
      health: 'disabled',
      pauseReason: 'paused by the operator',
    });
    const refused = problemOf(await t.api('POST', '/api/fetch', { body: { sourceIds: [id] } }), 400);
    expect(refused.detail).toContain(`unknown, disabled or paused source: ${id}`);

    const resumed = await t.api('PATCH', `/api/sources/${encodeURIComponent(id)}`, {
      body: { paused: false },
    });
    expect(resumed.json()).toMatchObject({ enabled: true, consecutiveFailures: 0, pauseReason: null });
    memory.boards.set(id, [rawPosting({ externalId: 'a-1' }), rawPosting({ externalId: 'a-2' })]);
    await fetchThroughApi(t, { sourceIds: [id] });
    expect(await source(id)).toMatchObject({
      health: 'ok',
      postings: 2,
      lastRun: { status: 'succeeded', new: 2 },
    });

    const first = await t.api('GET', `/api/sources/${encodeURIComponent(id)}/runs?limit=1`);
    const page1 = first.json() as { items: { status: string; id: number }[]; nextCursor: string };
    expect(page1.items.map((r) => r.status)).toEqual(['succeeded']);
    const page2 = (
      await t.api('GET', `/api/sources/${encodeURIComponent(id)}/runs?limit=1&cursor=${page1.nextCursor}`)
    ).json();
    expect(page2.items.map((r: { status: string }) => r.status)).toEqual(['failed']);
    expect(page2.nextCursor).toBeNull();
  });

  it('changes a config only to one the kind accepts', async () => {
    const path = `/api/sources/${encodeURIComponent('strict:acme')}`;
    problemOf(await t.api('PATCH', path, { body: { config: { board: 42 } } }), 400);
    const ok = await t.api('PATCH', path, { body: { config: { board: 'acme-eu' } } });
    expect(ok.json().config).toEqual({ board: 'acme-eu' });
    const empty = problemOf(await t.api('PATCH', path, { body: {} }), 400);
    expect(empty.detail).toContain('expected config and/or paused');
    problemOf(await t.api('PATCH', '/api/sources/strict%3Anope', { body: { paused: true } }), 404);
  });

  it('deletes a source with its postings; afterwards it is 404', async () => {
    const id = encodeURIComponent('memory:board-a');
    expect((await t.api('DELETE', `/api/sources/${id}`)).statusCode).toBe(204);
    problemOf(await t.api('GET', `/api/sources/${id}`), 404);
    problemOf(await t.api('GET', `/api/sources/${id}/runs`), 404);
    problemOf(await t.api('DELETE', `/api/sources/${id}`), 404);
    const { rows } = await t.db.pool.query(
      `select count(*)::int as n from postings where source_id = 'memory:board-a'`,
    );
    expect(rows[0].n).toBe(0);
    problemOf(await t.api('GET', '/api/sources/NOT%20VALID'), 400);
  });
});

describe('fetch and runs', () => {
  it('starts a fetch of all enabled sources and reports its progress until done', async () => {
    const { runs, progress } = await fetchThroughApi(t);
    expect(runs.map((r) => r.sourceId).sort()).toEqual(['sample', 'strict:acme']);
    expect(progress).toMatchObject({ sources: 2, sourcesDone: 2, found: 64, new: 0, done: true });
    const run = (await t.api('GET', `/api/runs/${runs[0]!.id}`)).json();
    expect(run.run).toMatchObject({ id: runs[0]!.id, trigger: 'api', status: 'succeeded' });
    expect(run.progress.text).toMatch(/^Fetching 2 sources… → 64 postings, 0 new/);
  });

  it('400 for unknown sources or a bad body, 404 for an unknown run, 409 when nothing is enabled', async () => {
    problemOf(await t.api('POST', '/api/fetch', { body: { sourceIds: ['nope'] } }), 400);
    const bad = problemOf(await t.api('POST', '/api/fetch', { body: { sourceIds: [], query: 7 } }), 400);
    expect(bad.errors!.map((e) => e.field).sort()).toEqual(['query', 'sourceIds']);
    problemOf(await t.api('GET', '/api/runs/424242'), 404);
    problemOf(await t.api('GET', '/api/runs/-1'), 400);
    problemOf(await t.api('GET', '/api/runs/1', { token: null }), 401);
    for (const id of ['sample', 'strict%3Aacme'])
      await t.api('PATCH', `/api/sources/${id}`, { body: { paused: true } });
    expect(problemOf(await t.api('POST', '/api/fetch', { body: {} }), 409).detail).toMatch(
      /no source is enabled/,
    );
    await t.api('PATCH', '/api/sources/sample', { body: { paused: false } });
  });
});
