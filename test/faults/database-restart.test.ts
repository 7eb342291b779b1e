import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../../src/db/embedded.ts';
import { type RunningApp, startApp } from '../../src/main.ts';
import { requestFetch } from '../../src/pipeline/fetch.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/openai.ts';
import { testLogger } from '../helpers/db.ts';
import { ALICE_MATCHES, addAlice, analysisStates, eventually, matchedExternalIds } from './helpers.ts';

/**
 * The database goes away in the middle of a run and comes back (a restart, a failover): the
 * workers reconnect on their own and finish the run, with the same result as an undisturbed one.
 * A server of its own (embedded) so the shared test server is not disturbed.
 */

let dir: string | undefined;
let server: EmbeddedPostgres | undefined;
let app: RunningApp | undefined;
let openai: FakeOpenAI | undefined;

afterAll(async () => {
  await app?.stop();
  await server?.stop();
  await openai?.close();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('database restart', () => {
  it('workers reconnect and finish the run', async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'jobping-restart-'));
    await fs.chmod(dir, 0o755);
    server = await startEmbeddedPostgres({ dataDir: dir, logger: testLogger });
    const port = server.port;
    openai = await startFakeOpenAI({ latencyMs: 1500 });
    const config = loadConfig({
      DATABASE_URL: server.url,
      OPENAI_API_KEY: 'sk-restart-test-key',
      OPENAI_BASE_URL: openai.url,
      QUEUE_MONITOR_SECONDS: '1',
    });
    app = await startApp(config, { logger: testLogger, http: false, pollingIntervalSeconds: 0.5 });
    const userId = await addAlice(app.db.pool);
    await requestFetch(app.bot, { trigger: 'cli', userId: null, query: null });
    await openai.waitForCalls(4);

    await server.stop(); // in-flight jobs lose their connections mid-way
    server = await startEmbeddedPostgres({ dataDir: dir, logger: testLogger, port });
    openai.setLatency(5);

    const states = await eventually(
      'every analysis to settle',
      () => analysisStates(app!.db.pool),
      (s) => !s.pending,
      90_000,
    );
    expect(states.failed).toBeUndefined();
    await eventually(
      'matching to finish',
      () => matchedExternalIds(app!.db.pool, userId),
      (ids) => ids.length >= ALICE_MATCHES.length,
      60_000,
    );
    expect(await matchedExternalIds(app.db.pool, userId)).toEqual(ALICE_MATCHES);
    const ready = await app.db.pool.query('select 1 as ok');
    expect(ready.rows[0].ok).toBe(1);
  }, 150_000);
});
