import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/core/errors.ts';
import type { FetchFn } from '../../src/core/ports.ts';
import { greenhouseKind } from '../../src/pipeline/sources/greenhouse.ts';
import { leverKind } from '../../src/pipeline/sources/lever.ts';
import { linkedInKind } from '../../src/pipeline/sources/linkedin.ts';
import { type FakeBoards, startFakeBoards } from '../fakes/boards.ts';
import { type FakeProxy, startFakeProxy } from '../fakes/proxy.ts';
import { collect, NO_QUERY, testDeps } from '../helpers/sources.ts';

/**
 * The HTTP behaviour every board shares, seen through real adapters: the injected fetch, an honest
 * User-Agent, retries on 429/5xx honouring Retry-After (bounded), no retries on other 4xx,
 * timeouts, validation of each response, per-host spacing, and the scraper proxy.
 */

const GREENHOUSE = '/v1/boards/northwindfreight/jobs';
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

const greenhouse = (options: Parameters<typeof testDeps>[0] = {}) =>
  collect(greenhouseKind(testDeps(options)), 'greenhouse:northwindfreight', { baseUrl: boards.url });

/** The requests the board received during `fn`. */
async function during<T>(path: string | RegExp, fn: () => Promise<T>) {
  const before = boards.hits(path).length;
  const result = await fn();
  return { result, requests: boards.hits(path).slice(before) };
}

describe('requests', () => {
  it('go through the injected fetch and name JobPing with a contact URL', async () => {
    const seen: string[] = [];
    const recording: FetchFn = (input, init) => {
      seen.push(String(input));
      return globalThis.fetch(input, init);
    };
    const { result, requests } = await during(GREENHOUSE, () =>
      collect(
        greenhouseKind(testDeps()),
        'greenhouse:northwindfreight',
        { baseUrl: boards.url },
        { fetch: recording },
      ),
    );
    expect(result.postings).toHaveLength(3);
    expect(seen).toEqual([`${boards.url}${GREENHOUSE}?content=true`]);
    expect(requests[0]!.headers['user-agent']).toBe(
      'JobPing/0.1 (job-alert bot; +https://jobping.example/contact)',
    );
  });

  it('are spaced per host when the board asks for it', async () => {
    const original = boards.data.lever;
    boards.data.lever = Array.from({ length: 201 }, (_, i) => ({ ...original[i % 3]!, id: `spaced-${i}` }));
    const { requests } = await during('/v0/postings/tidewaterlabs', () =>
      collect(leverKind(testDeps()), 'lever:tidewaterlabs', { baseUrl: boards.url, minIntervalMs: 200 }),
    );
    boards.data.lever = original;
    expect(requests).toHaveLength(3);
    // Arrival times jitter by a few milliseconds; unspaced requests would arrive ~1 ms apart.
    for (let i = 1; i < requests.length; i++)
      expect(requests[i]!.at - requests[i - 1]!.at).toBeGreaterThanOrEqual(170);
  });
});

describe('retries', () => {
  it('wait as long as a 429 Retry-After says, then succeed', async () => {
    boards.queue(GREENHOUSE, { status: 429, headers: { 'retry-after': '1' }, body: { error: 'slow down' } });
    const { result, requests } = await during(GREENHOUSE, () => greenhouse());
    expect(result.error).toBeNull();
    expect(result.postings).toHaveLength(3);
    expect(requests).toHaveLength(2);
    expect(requests[1]!.at - requests[0]!.at).toBeGreaterThanOrEqual(990);
  });

  it('give up at once when Retry-After is longer than we wait, saying how long', async () => {
    boards.queue(GREENHOUSE, { status: 429, headers: { 'retry-after': '3600' } });
    const { result, requests } = await during(GREENHOUSE, () => greenhouse());
    expect(requests).toHaveLength(1);
    expect(result.error).toBeInstanceOf(UpstreamError);
    expect(result.error?.message).toBe('Greenhouse: HTTP 429; asked to wait 3600 s before retrying');
    expect((result.error as UpstreamError).retryAfterSeconds).toBe(3600);
  });

  it('retry 5xx with back-off: a 503 then success, or a failure after the last attempt', async () => {
    boards.queue(GREENHOUSE, { status: 503, body: 'upstream busy' });
    const once = await during(GREENHOUSE, () => greenhouse());
    expect(once.result.error).toBeNull();
    expect(once.requests).toHaveLength(2);

    boards.queue(GREENHOUSE, { status: 500 }, { status: 500 }, { status: 500 });
    const always = await during(GREENHOUSE, () => greenhouse());
    expect(always.requests).toHaveLength(3);
    expect(always.result.error?.message).toBe(
      `Greenhouse: HTTP 500 from ${boards.url}${GREENHOUSE} after 3 attempts`,
    );
    expect((always.result.error as UpstreamError).retryable).toBe(true);
  });

  it('never retry other 4xx', async () => {
    const { result, requests } = await during('/v1/boards/nosuchboard/jobs', () =>
      collect(greenhouseKind(testDeps()), 'greenhouse:nosuchboard', { baseUrl: boards.url }),
    );
    expect(requests).toHaveLength(1);
    expect(result.error?.message).toBe(`Greenhouse: HTTP 404 from ${boards.url}/v1/boards/nosuchboard/jobs`);
    expect(result.error).toMatchObject({ retryable: false, status: 404 });
  });

  it('time out a board that never answers, and retry it', async () => {
    boards.queue(GREENHOUSE, { hang: true }, { hang: true });
    const started = performance.now();
    const { result, requests } = await during(GREENHOUSE, () =>
      greenhouse({ http: { timeoutMs: 300, retries: 1 } }),
    );
    expect(requests).toHaveLength(2);
    expect(result.error?.message).toBe('Greenhouse: no response within 300 ms');
    expect(performance.now() - started).toBeLessThan(3000);
  });
});

describe('responses', () => {
  it('that are not JSON fail the run with a clear message, unretried', async () => {
    boards.queue(GREENHOUSE, { body: '<html><body>Service temporarily unavailable</body></html>' });
    const { result, requests } = await during(GREENHOUSE, () => greenhouse());
    expect(requests).toHaveLength(1);
    expect(result.error?.message).toMatch(
      /^Greenhouse: response is not valid JSON \(.+\): "<html><body>Service temporarily unavailable<\/body><\/html>…"$/,
    );
  });

  it('that are not the board’s shape fail the run naming what is wrong', async () => {
    boards.queue(GREENHOUSE, { body: { jobs: 'none today' } });
    const { result } = await greenhouse().then((r) => ({ result: r }));
    expect(result.error?.message).toBe(
      'Greenhouse: response is not in the expected shape: jobs: Invalid input: expected array, received string',
    );
  });

  it('keep the items that fit and skip the ones that do not; none fitting fails the run', async () => {
    const good = boards.data.greenhouse;
    boards.queue(GREENHOUSE, {
      body: { jobs: [good[0], { id: 1, title: null, extra: true }, { ...good[1], brandNewField: { x: 1 } }] },
    });
    const partly = await greenhouse();
    expect(partly.error).toBeNull();
    expect(partly.postings.map((p) => p.externalId)).toEqual(['7012345001', '7012345002']);

    boards.queue(GREENHOUSE, { body: { jobs: [{ id: 1 }, { id: 2 }] } });
    const none = await greenhouse();
    expect(none.error?.message).toMatch(
      /^Greenhouse: no item in the response has the expected shape: title: /,
    );
  });
});

describe('the scraper proxy', () => {
  it('carries search-board requests, and only those', async () => {
    const deps = { http: { proxyUrl: proxy.url } };
    const linkedin = await collect(
      linkedInKind(testDeps(deps)),
      'linkedin',
      { baseUrl: boards.url },
      { query: { ...NO_QUERY, text: 'rust' } },
    );
    expect(linkedin.error).toBeNull();
    expect(linkedin.postings).toHaveLength(3);
    const host = new URL(boards.url).host;
    expect(proxy.seen.filter((s) => s.includes(host)).length).toBeGreaterThan(0);
    const seenBefore = proxy.seen.length;
    expect((await greenhouse(deps)).error).toBeNull();
    expect(proxy.seen.length).toBe(seenBefore);
  });
});
