import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawHandler } from '../../src/api/server.ts';
import type { BotDeps } from '../../src/bots/handlers.ts';
import { startSlack } from '../../src/bots/slack/start.ts';
import { loadConfig } from '../../src/config.ts';
import { UndeliverableError } from '../../src/core/ports.ts';
import { BOT_TOKEN, SIGNING_SECRET, TEAM, type Workspace } from '../fakes/slack.ts';
import { testLogger } from '../helpers/db.ts';
import {
  MULTI_WORKSPACE_ENV,
  type SlackHarness,
  type SlackUser,
  startSlackHarness,
} from '../helpers/slack.ts';

/**
 * An operator who ran JobPing for one workspace (SLACK_BOT_TOKEN) turns on multi-workspace mode
 * and keeps the token: that first workspace goes on working without a reinstall, other workspaces
 * install through "Add to Slack", and the worker process sends each alert on its workspace's token.
 */

let h: SlackHarness;
let initech: Workspace;
let home: SlackUser;
let ida: SlackUser;

beforeAll(async () => {
  h = await startSlackHarness({ ...MULTI_WORKSPACE_ENV, SLACK_BOT_TOKEN: BOT_TOKEN });
  initech = h.fake.addWorkspace('T0INITECH', 'Initech');
  home = h.user('UHOME', 'hana');
  ida = h.user('UIDA', 'ida', initech.teamId);
});
afterAll(async () => {
  await h?.stop();
});

async function openPrefs(user: SlackUser) {
  const seen = h.fake.callsOf('views.open').length;
  await user.command('/prefs');
  return h.fake.waitForCall('views.open', (c) => h.fake.callsOf('views.open').indexOf(c) >= seen);
}

describe('multi-workspace mode with SLACK_BOT_TOKEN kept', () => {
  it("serves the token's own workspace without an install, and others once they install", async () => {
    expect((await openPrefs(home)).token).toBe(BOT_TOKEN);
    const { rows } = await h.t.db.pool.query('select count(*)::int as n from slack_installations');
    expect(rows[0].n).toBe(0);

    expect((await h.install(initech.teamId)).callback.status).toBe(200);
    expect((await openPrefs(ida)).token).toBe(h.fake.tokenOf(initech.teamId));
  });

  it('once the first workspace installs through OAuth too, its new token is used', async () => {
    await h.install(TEAM);
    const installed = h.fake.tokenOf(TEAM)!;
    expect(installed).not.toBe(BOT_TOKEN);
    expect((await openPrefs(home)).token).toBe(installed);
  });

  it('the worker role sends on each workspace token from the database, and refuses unknown workspaces', async () => {
    const config = loadConfig({
      ...MULTI_WORKSPACE_ENV,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: h.fake.apiUrl,
      LOG_LEVEL: 'silent',
    });
    const rawRoutes = new Map<string, RawHandler>();
    const bot = { pool: h.t.db.pool } as BotDeps;
    const worker = await startSlack({
      config,
      bot,
      logger: testLogger,
      receive: false,
      http: undefined,
      rawRoutes,
    });
    expect(rawRoutes.size).toBe(0);

    const sent = await worker!.messenger.send(
      { identityId: 1, platform: 'slack', externalId: ida.externalId, dmChannel: null },
      { text: 'New match (90): Rust Engineer at Ferrous' },
    );
    expect(sent.ref).toMatchObject({ channel: 'DIDA', team: initech.teamId });
    const post = h.fake.callsOf('chat.postMessage').find((c) => c.args.channel === 'DIDA')!;
    expect(post.token).toBe(h.fake.tokenOf(initech.teamId));

    const calls = h.fake.calls.length;
    const stranger = {
      identityId: 2,
      platform: 'slack' as const,
      externalId: 'T0NOBODY1:UX',
      dmChannel: null,
    };
    await expect(worker!.messenger.send(stranger, { text: 'hi' })).rejects.toBeInstanceOf(UndeliverableError);
    expect(h.fake.calls.length).toBe(calls);

    // Slack refuses the token (the workspace removed the app): undeliverable, not retried forever.
    h.fake.uninstall(initech.teamId);
    const refused = await worker!.messenger
      .send({ ...stranger, externalId: ida.externalId }, { text: 'hi' })
      .catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(UndeliverableError);
    expect((refused as Error).message).toMatch(/token_revoked/);
    await worker!.stop();
  });
});
