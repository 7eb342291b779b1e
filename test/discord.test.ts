import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.ts';
import { type FakeDiscord, rateLimited, type SentInteraction, startFakeDiscord } from './fakes/discord.ts';
import { APPLICATION_ID, GUILD_ID, type Json } from './fakes/discord-payloads.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';

/**
 * The Discord bot end to end: the real discord.js Client on the gateway and REST of a local fake
 * Discord, a whole JobPing behind it (real PostgreSQL, pg-boss, the sample board). The tests run
 * in order and build on each other: preferences first, then a fetch, then the cards it produced.
 */

const TOKEN = 'MTI2MjMzNjAzNjI5ODU1NTM5Mg.GhT4aQ.fake-token-for-local-tests-only-0000000000';
const EPHEMERAL = 64;

let fake: FakeDiscord;
let t: TestApp;
const figures: Record<string, number> = {};

beforeAll(async () => {
  fake = await startFakeDiscord({ token: TOKEN, heartbeatIntervalMs: 1000 });
  t = await startTestApp({
    env: { DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APPLICATION_ID, DISCORD_API_URL: fake.apiUrl },
  });
});
afterAll(async () => {
  if (Object.keys(figures).length) console.info(`discord figures (ms): ${JSON.stringify(figures)}`);
  await t?.stop();
  await fake?.close();
});

const mira = () => users.mira;
const users: Record<string, Json> = {};
beforeAll(() => {
  for (const name of ['mira', 'ana', 'cai', 'bob']) users[name] = fake.user(name);
});

const callbackOf = (sent: SentInteraction) =>
  fake.waitFor((r) => r.path === `/interactions/${sent.id}/${sent.token}/callback`);
const followUp = (sent: SentInteraction, n: number) =>
  fake.waitFor(
    (r) =>
      r.method === 'POST' &&
      r.path === `/webhooks/${APPLICATION_ID}/${sent.token}` &&
      sent.followUpIds.indexOf(r.response?.id) === n - 1,
  );
const buttonsOf = (message: Json): Json[] => message.components.flatMap((row: Json) => row.components);
const idsOf = (message: Json): string[] => buttonsOf(message).map((b) => b.custom_id ?? `link:${b.url}`);

async function prefsOf(user: Json) {
  const { rows } = await t.db.pool.query(
    `select p.* from preferences p join identities i on i.user_id = p.user_id
     where i.platform = 'discord' and i.external_id = $1`,
    [user.id],
  );
  return rows[0];
}

/** Opens a preferences form (command or button) and submits it with these values. */
async function submitForm(
  user: Json,
  where: 'guild' | 'dm',
  values: Record<string, string>,
  form = 'search',
) {
  const open =
    form === 'search'
      ? fake.slash(user, where, 'prefs', 'edit')
      : fake.click(user, where, await prefsMessage(user, where), 'prefs:alerts');
  const shown = await callbackOf(open);
  expect(shown.body.type).toBe(9);
  const submit = fake.submitModal(user, where, shown.body.data, values);
  return { modal: shown.body.data, reply: await callbackOf(submit) };
}

async function prefsMessage(user: Json, where: 'guild' | 'dm') {
  const sent = fake.slash(user, where, 'prefs', 'show');
  await callbackOf(sent);
  return sent.originalMessageId!;
}

describe('the gateway connection', () => {
  it('connects with plain JSON, only the Guilds intent, and heartbeats that are acknowledged', async () => {
    const [first] = fake.gateway.connections;
    expect(first!.url).toMatch(/^\/?\?v=10&encoding=json$/);
    expect(first!.identify).toMatchObject({ token: TOKEN, intents: 1, shard: [0, 1], compress: false });
    expect(fake.requests.find((r) => r.path === '/gateway/bot')?.authorization).toBe(`Bot ${TOKEN}`);
    await fake.gateway.waitUntil(() => fake.gateway.heartbeats >= 1);
  });
});

describe('commands', () => {
  it('/help answers in a server, publicly, naming the Discord commands', async () => {
    const cb = await callbackOf(fake.slash(mira(), 'guild', 'help'));
    expect(cb.status).toBe(204);
    expect(cb.body.type).toBe(4);
    expect(cb.body.data.flags ?? 0).toBe(0);
    expect(cb.body.data.content).toContain('/jobs list');
    expect(cb.body.data.content).toContain('/prefs edit');
    expect(cb.body.data.content).not.toContain('/prefs set');
    expect(cb.body.data.allowed_mentions).toEqual({ parse: [] });
  });

  it('/prefs edit opens a filled-in form; a valid one saves and answers only to the user', async () => {
    const { modal, reply } = await submitForm(mira(), 'guild', {
      keywords: 'typescript, node',
      remote: 'yes',
      salary: '120k USD',
    });
    expect(modal.components.map((c: Json) => c.component.custom_id)).toEqual([
      'keywords',
      'exclude',
      'locations',
      'remote',
      'salary',
    ]);
    expect(modal.components.find((c: Json) => c.component.custom_id === 'remote').component.value).toBe(
      'any',
    );
    expect(reply.body.type).toBe(4);
    expect(reply.body.data.flags).toBe(EPHEMERAL);
    expect(reply.body.data.content).toContain('keywords: typescript, node');
    expect(reply.body.data.content).toContain('remote: remote only');
    expect(idsOf(reply.body.data)).toEqual(['prefs:search', 'prefs:alerts']);
    expect(await prefsOf(mira())).toMatchObject({
      keywords: ['typescript', 'node'],
      remote: 'remote',
      salary_min: 120000,
      salary_currency: 'USD',
    });
  });

  it('an invalid form names every bad field and saves nothing', async () => {
    const before = await prefsOf(mira());
    const { reply } = await submitForm(mira(), 'guild', {
      keywords: 'go',
      remote: 'sometimes',
      salary: 'lots',
    });
    expect(reply.body.type).toBe(4);
    expect(reply.body.data.flags).toBe(EPHEMERAL);
    const text: string = reply.body.data.content;
    expect(text).toMatch(/Nothing was saved/);
    expect(text).toMatch(/remote: expected yes, hybrid, onsite, flexible or any/);
    expect(text).toMatch(/salary_min: expected a yearly amount/);
    expect(text).not.toContain('/prefs set');
    expect(await prefsOf(mira())).toEqual(before);
  });

  it('the alerts form opens from the button under /prefs show, in a DM too', async () => {
    for (const name of ['ana', 'cai']) {
      const where = name === 'ana' ? 'dm' : 'guild';
      await submitForm(users[name], where, { keywords: 'rust' });
      const { modal, reply } = await submitForm(users[name], where, { threshold: '60' }, 'alerts');
      expect(modal.components.map((c: Json) => c.component.custom_id)).toEqual([
        'alerts',
        'threshold',
        'seniority',
        'blocked',
      ]);
      expect(reply.body.data.content).toContain('alerts: instant, score ≥ 60');
      // In the bot's DM nobody else can see the answer: no ephemeral flag needed.
      expect(reply.body.data.flags ?? 0).toBe(where === 'dm' ? 0 : EPHEMERAL);
    }
    expect(await prefsOf(users.ana)).toMatchObject({ keywords: ['rust'], alert_threshold: 60 });
  });
});
