import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEAM } from '../fakes/slack.ts';
import { consoleActor } from '../helpers/app.ts';
import { prefsState, type SlackHarness, type SlackUser, startSlackHarness } from '../helpers/slack.ts';

/**
 * `/link` in Slack, against the console bot: a code asked for in Slack works there, one asked
 * for on the console works in Slack, and once linked, the /prefs form may send alerts to the
 * other platform.
 */

let h: SlackHarness;
let ivy: SlackUser;
let jay: SlackUser;
const ivyConsole = consoleActor('ivy');
const jayConsole = consoleActor('jay');

const codeIn = (text: string) => /link code: ([A-Z0-9]{8})/.exec(text)![1]!;

async function slash(user: SlackUser, command: string, text = '') {
  const { res, responseId } = await user.command(command, text);
  expect(res.status).toBe(200);
  return (await h.fake.waitForResponse(responseId)).body;
}

async function platformsOf(externalId: string): Promise<string[]> {
  const { rows } = await h.t.db.pool.query<{ platform: string }>(
    `select i.platform from identities i where i.user_id =
       (select user_id from identities where external_id = $1) order by i.platform`,
    [externalId],
  );
  return rows.map((r) => r.platform);
}

beforeAll(async () => {
  h = await startSlackHarness();
  ivy = h.user('UIVY', 'ivy');
  jay = h.user('UJAY', 'jay');
});
afterAll(async () => {
  await h?.stop();
});

describe('/link in Slack', () => {
  it('a code asked for in Slack (privately) joins the console account that enters it', async () => {
    await slash(ivy, '/prefs', 'set keywords=elixir');
    const start = await slash(ivy, '/link');
    expect(start.response_type).toBe('ephemeral');
    expect(start.text).toMatch(/^Your link code: [A-Z0-9]{8}\n/);
    expect(start.text).toContain('send /link');

    const linked = (await h.t.say(ivyConsole, `/link ${codeIn(String(start.text))}`)).reply;
    expect(linked.text).toMatch(
      /^Linked: this console account and your slack account are now one JobPing user/,
    );
    expect(await platformsOf(`${TEAM}:UIVY`)).toEqual(['console', 'slack']);
    // The preferences of the account that asked for the code.
    expect((await h.t.say(ivyConsole, '/prefs')).reply.text).toContain('keywords: elixir');
  });

  it('a code from the console works in Slack; a wrong or used one is refused there', async () => {
    const code = codeIn((await h.t.say(jayConsole, '/link')).reply.text);
    const wrong = await slash(jay, '/link', 'ZZZZ2222');
    expect(wrong.text).toMatch(/^⚠️ That link code is not valid\./);

    const linked = await slash(jay, '/link', code.toLowerCase());
    expect(linked.response_type).toBe('ephemeral');
    expect(linked.text).toMatch(
      /^Linked: this slack account and your console account are now one JobPing user/,
    );
    expect(await platformsOf(`${TEAM}:UJAY`)).toEqual(['console', 'slack']);

    const again = await slash(ivy, '/link', code);
    expect(again.text).toMatch(/^⚠️ That link code was already used\./);
  });

  it('once linked, the /prefs form may send alerts to the other platform', async () => {
    const responseId = 'link-prefs-saved';
    const res = await ivy.submitPrefs(
      prefsState({ keywords: 'elixir', alerts_on: 'console' }),
      JSON.stringify({ responseUrl: h.fake.responseUrl(responseId) }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    const saved = await h.fake.waitForResponse(responseId);
    expect(saved.body.text).toContain('alerts go to: console');
  });
});
