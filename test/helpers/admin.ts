import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { SourceKind } from '../../src/pipeline/sources/registry.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/openai.ts';
import { startTestApp, type TestApp } from './app.ts';

/** A whole JobPing serving HTTP with the admin API on, analysing through a local fake of OpenAI. */
export interface AdminTestApp extends TestApp {
  token: string;
  openai: FakeOpenAI;
  /** An in-process request with the admin token (or the one given, or none with `token: null`). */
  api(
    method: InjectOptions['method'],
    url: string,
    options?: {
      body?: unknown;
      token?: string | null;
      headers?: Record<string, string>;
      remoteAddress?: string;
    },
  ): Promise<LightMyRequestResponse>;
}

export const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';

export async function startAdminTestApp(
  options: { sourceKinds?: SourceKind[]; env?: Record<string, string> } = {},
): Promise<AdminTestApp> {
  const openai = await startFakeOpenAI();
  const t = await startTestApp({
    http: true,
    env: {
      ADMIN_TOKEN,
      OPENAI_API_KEY: 'sk-test-0123456789abcdef',
      OPENAI_BASE_URL: openai.url,
      OPENAI_MODEL: 'gpt-test',
      ...options.env,
    },
    ...(options.sourceKinds ? { sourceKinds: options.sourceKinds } : {}),
  });
  const http = t.app.http!;
  return {
    ...t,
    token: ADMIN_TOKEN,
    openai,
    api(method, url, opts = {}) {
      const token = opts.token === undefined ? ADMIN_TOKEN : opts.token;
      return http.inject({
        method,
        url,
        headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...opts.headers },
        ...(opts.body === undefined ? {} : { payload: opts.body as InjectOptions['payload'] }),
        ...(opts.remoteAddress ? { remoteAddress: opts.remoteAddress } : {}),
      });
    },
    async stop() {
      await t.stop();
      await openai.close();
    },
  };
}

/** Starts a fetch through the API and follows GET /api/runs/{id} until the request is done. */
export async function fetchThroughApi(
  t: AdminTestApp,
  body: object = {},
  deadlineMs = 60_000,
): Promise<{
  requestId: number;
  runs: { id: number; sourceId: string }[];
  progress: Record<string, unknown>;
}> {
  const started = await t.api('POST', '/api/fetch', { body });
  expect(started.statusCode, started.body).toBe(202);
  const { requestId, runs } = started.json() as {
    requestId: number;
    runs: { id: number; sourceId: string }[];
  };
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const res = await t.api('GET', `/api/runs/${runs[0]!.id}`);
    expect(res.statusCode).toBe(200);
    const { progress } = res.json() as { progress: Record<string, unknown> & { done: boolean } };
    if (progress.done) return { requestId, runs, progress };
    if (Date.now() > deadline)
      throw new Error(`fetch ${requestId} not done in time: ${JSON.stringify(progress)}`);
    // Progress lives in the database; the page polls it the same way.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The body of a problem response, after checking it is one. */
export function problemOf(res: LightMyRequestResponse, status: number) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json() as {
    type: string;
    title: string;
    status: number;
    detail: string;
    errors?: { in: string; field: string; message: string }[];
  };
  expect(body.status).toBe(status);
  return body;
}
