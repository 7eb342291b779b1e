import { REST, Routes } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slashCommands } from '../src/bots/discord/commands.ts';
import { runCli } from '../src/cli.ts';
import { type FakeDiscord, startFakeDiscord } from './fakes/discord.ts';
import { APPLICATION_ID, commandsProblem, GUILD_ID, type Json } from './fakes/discord-payloads.ts';

/** `jobping discord register` against the fake Discord's REST API (no database needed). */

const TOKEN = 'MTI2MjMzNjAzNjI5ODU1NTM5Mg.GhT4aQ.fake-token-for-local-tests-only-0000000000';
let fake: FakeDiscord;

beforeAll(async () => {
  fake = await startFakeDiscord({ token: TOKEN });
});
afterAll(async () => {
  await fake?.close();
});

describe('jobping discord register', () => {
  const env = { DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APPLICATION_ID, LOG_LEVEL: 'silent' };
  const run = async (args: string[], extra: Record<string, string> = {}) => {
    const out: string[] = [];
    const err: string[] = [];
    const env2 = { ...env, DISCORD_API_URL: fake.apiUrl, ...extra };
    const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l), env: env2 });
    return { code, out, err };
  };

  it('registers /jobs, /prefs, /link and /help in one server, or globally for servers and DMs', async () => {
    const guild = await run(['discord', 'register', '--guild', GUILD_ID]);
    expect(guild).toMatchObject({
      code: 0,
      out: [`Registered /jobs, /prefs, /link, /help in server ${GUILD_ID}.`],
    });
    const put = await fake.waitFor(
      (r) => r.method === 'PUT' && r.path === `/applications/${APPLICATION_ID}/guilds/${GUILD_ID}/commands`,
    );
    expect(put.authorization).toBe(`Bot ${TOKEN}`);
    const [jobs, prefs, link, help] = put.body;
    expect(jobs.options.map((o: Json) => o.name)).toEqual(['list', 'fetch', 'saved']);
    expect(jobs.options[1].options[0]).toMatchObject({
      name: 'query',
      type: 3,
      required: false,
      max_length: 200,
    });
    expect(prefs.options.map((o: Json) => o.name)).toEqual(['show', 'edit', 'set', 'reset']);
    expect(prefs.options[2].options).toEqual([
      expect.objectContaining({ name: 'values', type: 3, required: true, max_length: 1500 }),
    ]);
    // `/prefs reset learned`: a group with one subcommand, as the other platforms spell it.
    expect(prefs.options[3]).toMatchObject({ type: 2, options: [{ type: 1, name: 'learned' }] });
    expect(link.options).toEqual([expect.objectContaining({ name: 'code', type: 3, required: false })]);
    expect(help.name).toBe('help');

    const global = await run(['discord', 'register']);
    expect(global).toMatchObject({ code: 0, out: ['Registered /jobs, /prefs, /link, /help globally.'] });
    const putGlobal = await fake.waitFor(
      (r) => r.method === 'PUT' && r.path === `/applications/${APPLICATION_ID}/commands`,
    );
    for (const command of putGlobal.body) {
      expect(command.contexts).toEqual([0, 1, 2]);
      expect(command.integration_types).toEqual([0, 1]);
    }
  });

  it("the fake holds the commands to Discord's rules, and would refuse a description over 100 characters", async () => {
    expect(commandsProblem(slashCommands('global'))).toBeNull();
    const tooLong: Json[] = structuredClone(slashCommands('guild'));
    tooLong[1].options[2].description = 'x'.repeat(101);
    expect(commandsProblem(tooLong)).toBe('prefs: set: description of 1 to 100 characters');
    const rest = new REST({ api: fake.apiUrl }).setToken(TOKEN);
    await expect(
      rest.put(Routes.applicationGuildCommands(APPLICATION_ID, GUILD_ID), { body: tooLong }),
    ).rejects.toMatchObject({ status: 400, code: 50035 });
  });

  it('says what is missing without a token, and refuses a bad server id', async () => {
    const missing = await run(['discord', 'register'], { DISCORD_TOKEN: '', DISCORD_APPLICATION_ID: '' });
    expect(missing.code).toBe(2);
    expect(missing.err.join('\n')).toContain('set DISCORD_TOKEN and DISCORD_APPLICATION_ID');
    const bad = await run(['discord', 'register', '--guild', 'my-server']);
    expect(bad.code).toBe(2);
    expect(bad.err.join('\n')).toContain('--guild must be a server id');
  });
});
