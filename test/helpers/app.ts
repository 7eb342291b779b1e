import { handleText } from '../../src/bots/handlers.ts';
import { loadConfig } from '../../src/config.ts';
import type { Clock, Messenger } from '../../src/core/ports.ts';
import type { Reply } from '../../src/core/reply.ts';
import type { Actor } from '../../src/core/types.ts';
import { type RunningApp, startApp } from '../../src/main.ts';
import type { SourceKind } from '../../src/pipeline/sources/registry.ts';
import { createTestDatabase, type TestDatabase, testLogger } from './db.ts';

/** A whole JobPing (database, queues, pipeline workers) on a fresh test database; HTTP when asked. */
export interface TestApp {
  app: RunningApp;
  db: TestDatabase;
  /** Alerts received per chat account, as the console messenger would show them. */
  alerts: { target: string; reply: Reply }[];
  /** Sends chat text as this actor; returns the final reply and every progress update. */
  say(actor: Actor, text: string): Promise<{ reply: Reply; progress: string[] }>;
  stop(): Promise<void>;
}

export function consoleActor(name: string): Actor {
  return { platform: 'console', externalId: name, displayName: name };
}

export async function startTestApp(
  options: {
    env?: Record<string, string>;
    sourceKinds?: SourceKind[];
    /** Serve HTTP on a free port (`app.url`), for platforms that receive webhooks. */
    http?: boolean;
    clock?: Clock;
  } = {},
): Promise<TestApp> {
  const db = await createTestDatabase();
  const config = loadConfig({ DATABASE_URL: db.url, PORT: '0', LOG_LEVEL: 'silent', ...options.env });
  const app = await startApp(config, {
    logger: testLogger,
    role: 'all',
    http: options.http ?? false,
    spies: true,
    pollingIntervalSeconds: 0.5,
    // The cron pass (FETCH_CRON, the dispatcher) would fire at wall-clock minutes in the middle of
    // a test; tests run those jobs themselves, at the time they choose.
    cron: false,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.sourceKinds ? { sourceKinds: options.sourceKinds } : {}),
  });
  app.bot.fetchPollMs = 50;
  const alerts: TestApp['alerts'] = [];
  const recorder: Messenger = {
    platform: 'console',
    async send(target, reply) {
      alerts.push({ target: target.externalId, reply });
      return { ref: { console: target.externalId, n: String(alerts.length) } };
    },
  };
  app.messengers.set('console', recorder);
  return {
    app,
    db,
    alerts,
    async say(actor, text) {
      const progress: string[] = [];
      const reply = await handleText(app.bot, actor, text, {
        progress: async (r) => void progress.push(r.text),
      });
      return { reply, progress };
    },
    async stop() {
      await app.stop();
      await db.drop();
    },
  };
}
