import { Validator } from '@seriousme/openapi-schema-validator';
import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEAD_LETTER, QUEUE_NAMES } from '../../src/pipeline/queues.ts';
import {
  ADMIN_TOKEN,
  type AdminTestApp,
  fetchThroughApi,
  problemOf,
  startAdminTestApp,
} from '../helpers/admin.ts';
import { consoleActor } from '../helpers/app.ts';

/** Queues, stats, Prometheus metrics, the OpenAPI document, auth rate limiting, and real HTTP. */

let t: AdminTestApp;
let deadLetterId: string;

beforeAll(async () => {
  t = await startAdminTestApp();
  t.app.queues.boss.getSpy('notify');
  await t.say(consoleActor('alice'), '/prefs set keywords=typescript remote=yes');
  await t.say(consoleActor('bob'), '/prefs set keywords=rust threshold=50');
  await fetchThroughApi(t);
  const { rows } = await t.db.pool.query<{ id: number }>('select id from deliveries');
  const spy = t.app.queues.boss.getSpy<{ deliveryId: number }>('notify');
  await Promise.all(rows.map((r) => spy.waitForJob((d) => d.deliveryId === r.id, 'completed')));
  // A malformed job that reached the queue some other way: the worker dead-letters it.
  const bad = await t.app.queues.boss.send('notify', { deliveryId: 'seven' });
  await spy.waitForJobWithId(bad!, 'failed');
  deadLetterId = (await t.app.queues.boss.findJobs(DEAD_LETTER, { data: { deliveryId: 'seven' } }))[0]!.id;
});
afterAll(async () => {
  await t?.stop();
});

describe('queues', () => {
  it('shows queued, active, failed and dead-lettered jobs per queue, and the latest dead letters', async () => {
    const res = await t.api('GET', '/api/queues');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.queues.map((q: { name: string }) => q.name)).toEqual([...QUEUE_NAMES, DEAD_LETTER]);
    expect(body.queues.find((q: { name: string }) => q.name === 'notify')).toMatchObject({
      deadLettered: 1,
      active: 0,
    });
    expect(body.queues.find((q: { name: string }) => q.name === DEAD_LETTER)).toMatchObject({ queued: 1 });
    expect(body.deadLetters).toEqual([
      expect.objectContaining({ id: deadLetterId, queue: 'notify', data: { deliveryId: 'seven' } }),
    ]);
    problemOf(await t.api('GET', '/api/queues', { token: null }), 401);
  });

  it("redrives a queue's dead letters back to it", async () => {
    const spy = t.app.queues.boss.getSpy<{ deliveryId: unknown }>('notify');
    spy.clear();
    const res = await t.api('POST', '/api/queues/notify/redrive');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ redriven: 1 });
    // It ran again (and, still malformed, was dead-lettered again as a new dead letter).
    await spy.waitForJob((d) => d.deliveryId === 'seven', 'failed');
    const again = await t.app.queues.boss.findJobs(DEAD_LETTER, { data: { deliveryId: 'seven' } });
    expect(again.map((j) => j.id)).not.toContain(deadLetterId);
    expect((await t.api('POST', '/api/queues/match/redrive')).json()).toEqual({ redriven: 0 });
    problemOf(await t.api('POST', '/api/queues/nope/redrive'), 404);
    problemOf(await t.api('POST', '/api/queues/notify/redrive', { token: null }), 401);
  });
});

describe('stats', () => {
  it('counts users, postings, matches and deliveries; model usage and cost by period; pre-filter savings', async () => {
    // One model call from ten days ago: in the total, not in today or the last 7 days.
    await t.db.pool.query(
      `insert into model_calls (content_hash, model, outcome, input_tokens, output_tokens, cost_usd, created_at)
       values (repeat('0', 64), 'gpt-test', 'ok', 1000, 100, 0.5, now() - interval '10 days')`,
    );
    const res = await t.api('GET', '/api/stats');
    expect(res.statusCode).toBe(200);
    const stats = res.json();
    const db = (
      await t.db.pool.query(
        `select (select count(*)::int from model_calls where created_at > now() - interval '1 day') as calls,
                (select sum(cost_usd)::float8 from model_calls where created_at > now() - interval '1 day') as cost,
                (select count(*)::int from analyses where status = 'skipped') as skipped,
                (select count(*)::int from deliveries where status = 'sent') as sent,
                (select count(*)::int from matches) as matches`,
      )
    ).rows[0];
    expect(db.calls).toBe(t.openai.calls.length);
    expect(stats.users).toEqual({ total: 2, active: 2, blocked: 0 });
    expect(stats.postings).toEqual({ total: 64, canonical: 60, duplicates: 4, open: 64 });
    expect(stats.matches.new).toBe(db.matches);
    expect(stats.deliveries.sent).toBe(db.sent);
    expect(stats.model.today).toMatchObject({ calls: db.calls, failedCalls: 0 });
    expect(stats.model.today.costUsd).toBeCloseTo(db.cost, 9);
    expect(stats.model.today.inputTokens).toBeGreaterThan(0);
    expect(stats.model.last7Days).toEqual(stats.model.today);
    expect(stats.model.total.calls).toBe(db.calls + 1);
    expect(stats.model.total.costUsd).toBeCloseTo(db.cost + 0.5, 9);
    expect(stats.preFilter.analysesSkipped).toBe(db.skipped);
    expect(stats.preFilter.analysesSkipped).toBeGreaterThan(20);
    expect(stats.preFilter.estimatedSavingsUsd).toBeGreaterThan(0);
    expect(stats.sources).toEqual([
      expect.objectContaining({ id: 'sample', health: 'ok', lastRunStatus: 'succeeded', lastError: null }),
    ]);
    problemOf(await t.api('GET', '/api/stats', { token: 'x'.repeat(40) }), 401);
  });
});

describe('GET /metrics', () => {
  function sample(families: ParsedFamily[], name: string, labels: Record<string, string> = {}) {
    const family = families.find((f) => f.name === name);
    expect(family, name).toBeDefined();
    return family!.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  }

  it('serves Prometheus text: queue depths, job durations, model usage, deliveries, source runs', async () => {
    const res = await t.api('GET', '/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = parsePrometheusTextFormat(res.body);
    const { rows } = await t.db.pool.query(
      `select (select count(*)::int from model_calls) as calls,
              (select count(*)::int from deliveries where status = 'sent') as sent`,
    );
    expect(
      sample(families, 'jobping_fetch_runs_total', { source: 'sample', status: 'succeeded' })?.value,
    ).toBe('1');
    expect(
      Number(sample(families, 'jobping_model_calls_total', { model: 'gpt-test', outcome: 'ok' })?.value),
    ).toBe(rows[0].calls);
    expect(Number(sample(families, 'jobping_model_tokens_total', { kind: 'output' })?.value)).toBeGreaterThan(
      0,
    );
    expect(
      Number(sample(families, 'jobping_model_cost_usd_total', { model: 'gpt-test' })?.value),
    ).toBeGreaterThan(0);
    expect(
      Number(sample(families, 'jobping_deliveries_total', { platform: 'console', status: 'sent' })?.value),
    ).toBe(rows[0].sent);
    expect(sample(families, 'jobping_queue_jobs', { queue: 'notify', state: 'dead_lettered' })?.value).toBe(
      '1',
    );
    expect(sample(families, 'jobping_queue_jobs', { queue: 'fetch', state: 'active' })?.value).toBe('0');

    // The parser folds a histogram's buckets by `le` (one label set here) but drops labelled
    // _count/_sum lines, so those are read from the text itself.
    const fetchDuration = families.find((f) => f.name === 'jobping_fetch_run_duration_seconds')!;
    expect(fetchDuration.type).toBe('HISTOGRAM');
    expect(fetchDuration.metrics[0]!.buckets!['+Inf']).toBe('1');
    expect(res.body).toContain('jobping_fetch_run_duration_seconds_count{outcome="succeeded"} 1\n');
    const modelDuration = families.find((f) => f.name === 'jobping_model_call_duration_seconds')!;
    const bounds = Object.keys(modelDuration.metrics[0]!.buckets!).sort((a, b) => Number(a) - Number(b));
    const counts = bounds.map((b) => Number(modelDuration.metrics[0]!.buckets![b]));
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(counts.at(-1)).toBe(rows[0].calls);
    expect(res.body).toContain(
      `jobping_model_call_duration_seconds_count{model="gpt-test",outcome="ok"} ${rows[0].calls}\n`,
    );
    const alertLatency = families.find((f) => f.name === 'jobping_alert_delivery_seconds')!;
    expect(alertLatency.metrics[0]!.buckets!['+Inf']).toBe(String(rows[0].sent));
    expect(families.some((f) => f.name === 'process_cpu_seconds_total')).toBe(true);

    problemOf(await t.api('GET', '/metrics', { token: null }), 401);
  });
});

describe('the OpenAPI document and docs', () => {
  it('is valid OpenAPI 3.1, generated from the route schemas, served without a token', async () => {
    const res = await t.api('GET', '/api/openapi.json', { token: null });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    const operations = Object.entries(
      doc.paths as Record<string, Record<string, { responses: object }>>,
    ).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(operations.sort()).toEqual(
      [
        'GET /api/jobs',
        'GET /api/jobs/{id}',
        'GET /api/users',
        'GET /api/users/{id}',
        'PATCH /api/users/{id}',
        'DELETE /api/users/{id}',
        'GET /api/sources',
        'POST /api/sources',
        'GET /api/sources/{id}',
        'PATCH /api/sources/{id}',
        'DELETE /api/sources/{id}',
        'GET /api/sources/{id}/runs',
        'POST /api/fetch',
        'GET /api/runs/{id}',
        'GET /api/queues',
        'POST /api/queues/{name}/redrive',
        'GET /api/stats',
        'GET /api/rates',
        'PUT /api/rates',
      ].sort(),
    );
    for (const ops of Object.values(doc.paths as Record<string, Record<string, { responses: object }>>))
      for (const op of Object.values(ops)) expect(Object.keys(op.responses)).toContain('401');
    const jobsParams = doc.paths['/api/jobs'].get.parameters.map((p: { name: string }) => p.name);
    expect(jobsParams).toEqual(
      expect.arrayContaining(['q', 'source', 'remote', 'salaryMin', 'cursor', 'sort']),
    );
  });

  it('answers over a real HTTP connection, and the docs page and its assets come from this server', async () => {
    const url = t.app.url!;
    const stats = await fetch(`${url}/api/stats`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(stats.status).toBe(200);
    expect(((await stats.json()) as { postings: { total: number } }).postings.total).toBe(64);
    const denied = await fetch(`${url}/api/stats`);
    expect(denied.status).toBe(401);
    expect(denied.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const docs = await fetch(`${url}/api/docs/`);
    expect(docs.status).toBe(200);
    const html = await docs.text();
    expect(html).toContain('swagger-ui');
    for (const asset of html.matchAll(/(?:src|href)="\.?\/?([^"]+\.(?:js|css))"/g)) {
      const res = await fetch(new URL(asset[1]!, `${url}/api/docs/`));
      expect(res.status, asset[1]).toBe(200);
    }
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });
});

describe('auth', () => {
  it('locks an address out after repeated wrong tokens (429 with Retry-After); others are unaffected', async () => {
    const remoteAddress = '203.0.113.7';
    for (let i = 0; i < 10; i++) {
      const res = await t.api('GET', '/api/stats', { token: `guess-${i}`, remoteAddress });
      expect(res.statusCode).toBe(401);
    }
    const locked = await t.api('GET', '/api/stats', { token: 'guess-10', remoteAddress });
    expect(problemOf(locked, 429).detail).toMatch(/too many failed attempts/);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(60);
    // Even the right token waits: a guesser cannot tell a hit while locked out.
    expect((await t.api('GET', '/api/stats', { remoteAddress })).statusCode).toBe(429);
    expect((await t.api('GET', '/api/stats', { remoteAddress: '203.0.113.8' })).statusCode).toBe(200);
  });
});
