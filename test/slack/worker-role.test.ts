import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawHandler } from '../../src/api/server.ts';
import type { PlatformContext } from '../../src/bots/platform.ts';
import { startSlack } from '../../src/bots/slack/start.ts';
import { loadConfig } from '../../src/config.ts';
import { UndeliverableError } from '../../src/core/ports.ts';
import { BOT_TOKEN, type FakeSlack, SIGNING_SECRET, startFakeSlack, TEAM } from '../fakes/slack.ts';
import { cardsIn } from '../helpers/block-kit.ts';
import { testLogger } from '../helpers/db.ts';

/**
 * The worker role only sends: no Bolt app, no route, no socket — just a WebClient messenger that
 * delivers alert cards and edits them.
 */

let fake: FakeSlack;
const rawRoutes = new Map<string, RawHandler>();

beforeAll(async () => {
  fake = await startFakeSlack();
});
afterAll(async () => {
  await fake?.close();
});

function context(): PlatformContext {
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    LOG_LEVEL: 'silent',
  });
  // The worker role never touches the bot handlers.
  return { config, bot: undefined as never, logger: testLogger, receive: false, http: undefined, rawRoutes };
}

const card = {
  matchId: 42,
  title: 'Rust Engineer',
  url: 'https://jobs.example/42',
  company: 'Ferrous',
  location: null,
  remote: 'remote' as const,
  salary: null,
  score: 91,
  reasons: ['mentions rust'],
  source: 'Sample board',
  attribution: null,
  postedAt: null,
  status: 'new' as const,
  actions: ['save', 'dismiss', 'applied', 'open'] as const,
};

describe('Slack in the worker role', () => {
  it('builds only a messenger: no route, no auth.test, no socket', async () => {
    const platform = await startSlack(context());
    expect(platform?.platform).toBe('slack');
    expect(rawRoutes.size).toBe(0);
    expect(fake.calls).toEqual([]);

    const sent = await platform!.messenger.send(
      { identityId: 1, platform: 'slack', externalId: `${TEAM}:UWORK`, dmChannel: null },
      { text: 'New match (91): Rust Engineer at Ferrous', cards: [{ ...card, actions: [...card.actions] }] },
    );
    expect(sent.dmChannel).toBe('DWORK');
    expect(fake.callsOf('conversations.open')[0]!.args.users).toBe('UWORK');
    const message = fake.messages.get(`DWORK/${sent.ref.ts}`)!;
    expect(cardsIn(message.blocks)[0]!.matchId).toBe(42);

    await platform!.messenger.updateCard!(sent.ref, {
      ...card,
      status: 'saved',
      actions: ['applied', 'dismiss', 'undo', 'open'],
    });
    expect(cardsIn(fake.messages.get(`DWORK/${sent.ref.ts}`)!.blocks)[0]!.text).toContain('⭐ *Saved*');
    await platform!.stop();
  });

  it('an account Slack cannot reach is reported as undeliverable; other errors are not', async () => {
    const platform = await startSlack(context());
    const target = {
      identityId: 1,
      platform: 'slack' as const,
      externalId: `${TEAM}:UGONE`,
      dmChannel: 'DGONE',
    };
    fake.fail('chat.postMessage', { error: 'account_inactive' });
    await expect(platform!.messenger.send(target, { text: 'hi' })).rejects.toBeInstanceOf(UndeliverableError);
    fake.fail('chat.postMessage', { error: 'invalid_blocks' });
    const err = await platform!.messenger.send(target, { text: 'hi' }).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(UndeliverableError);
    expect(err).toMatchObject({ service: 'slack', retryable: false });
  });
});
