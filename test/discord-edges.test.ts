import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discordStarter, startDiscord } from '../src/bots/discord/adapter.ts';
import type { RunningPlatform } from '../src/bots/platform.ts';
import { loadConfig } from '../src/config.ts';
import { UndeliverableError } from '../src/core/ports.ts';
import type { Actor } from '../src/core/types.ts';
import { type FakeDiscord, type SentInteraction, startFakeDiscord } from './fakes/discord.ts';
import { APPLICATION_ID, GUILD_CHANNEL_ID, type Json } from './fakes/discord-payloads.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { testLogger } from './helpers/db.ts';

/**
 * The gateway connection and its reconnects, answers that cannot use the interaction any more, and
 * the worker role. The platform is started here with its timing tuned down: a 0 ms token window
 * stands for a fetch that outlived Discord's 15 minutes, a 0 ms deferral threshold for a command
 * that was slow to answer.
 */

const TOKEN = 'MTI2MjMzNjAzNjI5ODU1NTM5Mg.GhT4aQ.fake-token-for-local-tests-only-0000000000';
let fake: FakeDiscord;
let t: TestApp;
let platform: RunningPlatform;

beforeAll(async () => {
  fake = await startFakeDiscord({ token: TOKEN, heartbeatIntervalMs: 1000 });
  t = await startTestApp();
  const config = loadConfig({
    DATABASE_URL: t.db.url,
    DISCORD_TOKEN: TOKEN,
    DISCORD_APPLICATION_ID: APPLICATION_ID,
    DISCORD_API_URL: fake.apiUrl,
  });
  const start = discordStarter({ followUpWindowMs: 0, deferAfterMs: 0 });
  const ctx = {
    config,
    bot: t.app.bot,
    logger: testLogger,
    receive: true,
    http: undefined,
    rawRoutes: new Map(),
  };
  platform = (await start(ctx))!;
  t.app.messengers.set('discord', platform.messenger);
});
afterAll(async () => {
  await platform?.stop();
  await platform?.close?.();
  await t?.stop();
  await fake?.close();
});

const actor = (user: Json): Actor => ({ platform: 'discord', externalId: user.id });
const callbackOf = (sent: SentInteraction) =>
  fake.waitFor((r) => r.path === `/interactions/${sent.id}/${sent.token}/callback`);
const postsTo = (channelId: string) =>
  fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${channelId}/messages`);

describe('the gateway connection', () => {
  it('connects with plain JSON, only the Guilds intent, and heartbeats that are acknowledged', async () => {
    const [first] = fake.gateway.connections;
    expect(first!.url).toMatch(/^\/?\?v=10&encoding=json$/);
    expect(first!.identify).toMatchObject({ token: TOKEN, intents: 1, shard: [0, 1], compress: false });
    expect(fake.requests.find((r) => r.path === '/gateway/bot')?.authorization).toBe(`Bot ${TOKEN}`);
    await fake.gateway.waitUntil(() => fake.gateway.heartbeats >= 1);
  });
});

describe('gateway reconnects', () => {
  const mira = () => fake.user('mira');
  it('resumes after the socket closes and receives what was dispatched meanwhile', async () => {
    const connections = fake.gateway.connections.length;
    fake.gateway.drop(4000);
    const sent = fake.slash(mira(), 'guild', 'help');
    expect((await callbackOf(sent)).status).toBe(204);
    expect(fake.gateway.connections).toHaveLength(connections + 1);
    const last = fake.gateway.connections.at(-1)!;
    expect(last.resume).toMatchObject({
      token: TOKEN,
      session_id: expect.any(String),
      seq: expect.any(Number),
    });
    expect(last.identify).toBeUndefined();
  });

  it('identifies again when its session is invalidated, and keeps working', async () => {
    const connections = fake.gateway.connections.length;
    fake.gateway.invalidateSession();
    await fake.gateway.waitUntil(
      () => fake.gateway.connections.length > connections && !!fake.gateway.connections.at(-1)!.identify,
    );
    expect((await callbackOf(fake.slash(mira(), 'dm', 'help'))).status).toBe(204);
  });
});

describe('past the interaction token', () => {
  it('a fetch that outlives the token sends its result as a direct message', async () => {
    const lea = fake.user('lea');
    await t.say(actor(lea), '/prefs set keywords=typescript,node remote=yes');
    const sent = fake.slash(lea, 'guild', 'jobs', 'fetch');
    expect((await callbackOf(sent)).body).toEqual({ type: 5, data: { flags: 64 } });
    const dm = fake.dmChannelOf(lea);
    await fake.waitFor((r) => r.path === `/channels/${dm}/messages` && postsTo(dm).length === 2);
    const [first, second] = postsTo(dm);
    expect(first!.body.content).toMatch(/new match/);
    expect(first!.body.embeds.length + second!.body.embeds.length).toBe(10);
    // The reply itself only said where the result would go, and was not touched after that.
    const edits = fake.callsOf(sent).filter((r) => r.method === 'PATCH');
    expect(edits.at(-1)!.body.content).toContain('the result will come as a new message');
    expect(edits.every((e) => !e.body.embeds?.length)).toBe(true);
    expect(fake.callsOf(sent).filter((r) => r.method === 'POST' && r.path.startsWith('/webhooks'))).toEqual(
      [],
    );
  });

  it('with DMs closed, the user is mentioned in the channel instead', async () => {
    const max = fake.user('max');
    fake.closedDms.add(max.id);
    fake.slash(max, 'guild', 'jobs', 'fetch');
    const notice = await fake.waitFor(
      (r) => r.method === 'POST' && r.path === `/channels/${GUILD_CHANNEL_ID}/messages`,
    );
    expect(notice.body).toEqual({
      content: `<@${max.id}> your /jobs fetch has finished; /jobs list shows your matches.`,
      allowed_mentions: { users: [max.id] },
    });
  });
});

describe('slow answers', () => {
  it('a command that takes long is deferred first, then its reply is edited in', async () => {
    const sent = fake.slash(fake.user('noa'), 'guild', 'jobs', 'list');
    expect((await callbackOf(sent)).body).toEqual({ type: 5, data: { flags: 64 } });
    const edit = await fake.waitFor((r) => r.method === 'PATCH' && r.path.includes(sent.token));
    expect(edit.body.content).toMatch(
      /^No matches yet\. Try \/jobs fetch, or widen your preferences with \/prefs edit\.$/,
    );
  });
});

describe('the worker role', () => {
  it('sends DMs over REST without a gateway connection; closed DMs are undeliverable', async () => {
    const bob = fake.user('bob');
    const connections = fake.gateway.connections.length;
    const worker = await startDiscord({
      config: loadConfig({
        DISCORD_TOKEN: TOKEN,
        DISCORD_APPLICATION_ID: APPLICATION_ID,
        DISCORD_API_URL: fake.apiUrl,
      }),
      bot: t.app.bot,
      logger: testLogger,
      receive: false,
      http: undefined,
      rawRoutes: new Map(),
    });
    const target = { identityId: 0, platform: 'discord' as const, externalId: bob.id, dmChannel: null };
    const sent = await worker!.messenger.send(target, { text: 'Hello from the worker' });
    expect(sent.dmChannel).toBe(fake.dmChannelOf(bob));
    expect(fake.messages.get(sent.ref.messageId!).content).toBe('Hello from the worker');
    fake.closedDms.add(bob.id);
    await expect(
      worker!.messenger.send({ ...target, dmChannel: sent.dmChannel! }, { text: 'again' }),
    ).rejects.toBeInstanceOf(UndeliverableError);
    expect(fake.gateway.connections).toHaveLength(connections);
    await worker!.stop();
  });
});
