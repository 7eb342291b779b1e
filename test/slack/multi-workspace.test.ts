import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UndeliverableError } from '../../src/core/ports.ts';
import { deleteSlackInstallation } from '../../src/db/slack-installations.ts';
import { CLIENT_ID, type Workspace } from '../fakes/slack.ts';
import { fetchAll, watchMessages } from '../helpers/alerts.ts';
import { cardsIn } from '../helpers/block-kit.ts';
import {
  MULTI_WORKSPACE_ENV,
  type SlackHarness,
  type SlackUser,
  startSlackHarness,
} from '../helpers/slack.ts';
import { until } from '../helpers/telegram.ts';

/**
 * Multi-workspace mode: workspaces install JobPing through "Add to Slack" (Bolt's OAuth flow
 * against the fake Slack's consent screen and oauth.v2.access), and from then on every request and
 * alert of a workspace is made with that workspace's own bot token. A workspace that removes the
 * app is forgotten and its people are no longer messaged.
 */

let h: SlackHarness;
let acme: Workspace;
let globex: Workspace;
let ann: SlackUser;
let ben: SlackUser;

const b64url = (value: string) => Buffer.from(value).toString('base64url');
/** A state that looks like Bolt's (a JWT) but is signed with another secret. */
function forgedState(): string {
  const body = `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url(
    JSON.stringify({ installOptions: { scopes: ['commands'] }, now: new Date().toJSON(), random: 1 }),
  )}`;
  return `${body}.${createHmac('sha256', 'not-the-state-secret').update(body).digest('base64url')}`;
}

async function installation(teamId: string) {
  const { rows } = await h.t.db.pool.query(
    `select team_id, team_name, bot_token, bot_user_id, bot_scopes, installed_at
     from slack_installations where team_id = $1`,
    [teamId],
  );
  return rows[0];
}

async function identity(user: SlackUser) {
  const { rows } = await h.t.db.pool.query(
    'select deliverable, undeliverable_reason as reason from identities where external_id = $1',
    [user.externalId],
  );
  return rows[0];
}

/** /prefs opens the form with views.open: the call shows which token answered the command. */
async function openPrefs(user: SlackUser) {
  const seen = h.fake.callsOf('views.open').length;
  const { res } = await user.command('/prefs');
  expect(res.status).toBe(200);
  return h.fake.waitForCall('views.open', (c) => h.fake.callsOf('views.open').indexOf(c) >= seen);
}

beforeAll(async () => {
  h = await startSlackHarness(MULTI_WORKSPACE_ENV);
  watchMessages(h.t);
  acme = h.fake.addWorkspace('T0ACME001', 'Acme');
  globex = h.fake.addWorkspace('T0GLOBEX2', 'Globex');
  ann = h.user('UANN', 'ann', acme.teamId);
  ben = h.user('UBEN', 'ben', globex.teamId);
});
afterAll(async () => {
  await h?.stop();
});

describe('Slack multi-workspace mode', () => {
  it('serves no workspace before it installs JobPing', async () => {
    const { res } = await ann.command('/prefs');
    expect(res.status).toBe(200);
    // Bolt authorizes before any listener runs; without an installation nothing is called.
    expect(h.fake.calls).toEqual([]);
  });

  it('Add to Slack: install link → consent → redirect back stores the workspace and says so', async () => {
    const { start, consent, callback, html } = await h.install(acme.teamId);

    expect(start.status).toBe(302);
    const consentUrl = new URL(start.headers.get('location')!);
    expect(`${consentUrl.origin}${consentUrl.pathname}`).toBe(h.fake.authorizeUrl);
    expect(consentUrl.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(consentUrl.searchParams.get('scope')).toBe('commands,chat:write,im:write');
    const state = consentUrl.searchParams.get('state')!;
    expect(state.length).toBeGreaterThan(20);
    expect(start.headers.get('set-cookie')).toMatch(new RegExp(`^slack-app-oauth-state=${state};.*HttpOnly`));

    expect(consent.status).toBe(302);
    const back = new URL(consent.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe(`${h.base}/slack/oauth_redirect`);
    expect(back.searchParams.get('state')).toBe(state);

    expect(callback.status).toBe(200);
    expect(callback.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html).toContain('JobPing is installed');
    expect(html).toContain('<strong>Acme</strong>');
    const token = h.fake.tokenOf(acme.teamId)!;
    expect(html).not.toContain(token);

    const exchange = h.fake.callsOf('oauth.v2.access');
    expect(exchange).toHaveLength(1);
    expect(exchange[0]!.args).toMatchObject({ client_id: CLIENT_ID, code: back.searchParams.get('code') });
    expect(await installation(acme.teamId)).toMatchObject({
      team_name: 'Acme',
      bot_token: token,
      bot_user_id: acme.botUserId,
      bot_scopes: ['commands', 'chat:write', 'im:write'],
      installed_at: expect.any(Date),
    });
  });

  it('refuses a redirect without state, with a forged state, or from another browser', async () => {
    const exchanges = h.fake.callsOf('oauth.v2.access').length;
    const missing = await fetch(`${h.base}/slack/oauth_redirect?code=abc`);
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('This install link has expired');

    const forged = forgedState();
    const withForged = await fetch(`${h.base}/slack/oauth_redirect?code=abc&state=${forged}`, {
      headers: { cookie: `slack-app-oauth-state=${forged}` },
    });
    expect(withForged.status).toBe(400);

    // A real code and state, but the state cookie of the browser that started is missing.
    const start = await fetch(`${h.base}/slack/install`, { redirect: 'manual' });
    const consentUrl = new URL(start.headers.get('location')!);
    consentUrl.searchParams.set('team', globex.teamId);
    const consent = await fetch(consentUrl, { redirect: 'manual' });
    const elsewhere = await fetch(consent.headers.get('location')!, { redirect: 'manual' });
    expect(elsewhere.status).toBe(400);

    expect(h.fake.callsOf('oauth.v2.access')).toHaveLength(exchanges);
    expect(await installation(globex.teamId)).toBeUndefined();
  });

  it('a replayed redirect (its code already spent) changes nothing and says it failed', async () => {
    const start = await fetch(`${h.base}/slack/install`, { redirect: 'manual' });
    const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
    const consent = await fetch(start.headers.get('location')!, { redirect: 'manual' });
    const back = consent.headers.get('location')!;
    expect((await fetch(back, { headers: { cookie } })).status).toBe(200);
    const before = await h.t.db.pool.query('select team_id, bot_token from slack_installations order by id');

    const replay = await fetch(back, { headers: { cookie } });
    expect(replay.status).toBe(502);
    expect(await replay.text()).toContain('JobPing could not be installed');
    expect(h.fake.callsOf('oauth.v2.access').at(-1)!.args.code).toBe(new URL(back).searchParams.get('code'));
    const after = await h.t.db.pool.query('select team_id, bot_token from slack_installations order by id');
    expect(after.rows).toEqual(before.rows);
  });

  it('Cancel on the consent screen installs nothing and says so', async () => {
    const start = await fetch(`${h.base}/slack/install`, { redirect: 'manual' });
    const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
    const consent = await fetch(`${start.headers.get('location')}&deny=1`, { redirect: 'manual' });
    const callback = await fetch(consent.headers.get('location')!, { headers: { cookie } });
    expect(await callback.text()).toContain('Installation cancelled');
    expect(await installation(globex.teamId)).toBeUndefined();
  });

  it('two workspaces: each command is answered with its own workspace token', async () => {
    const { callback, html } = await h.install(globex.teamId);
    expect(callback.status).toBe(200);
    expect(html).toContain('<strong>Globex</strong>');

    const fromAcme = await openPrefs(ann);
    expect(fromAcme.token).toBe(h.fake.tokenOf(acme.teamId));
    const fromGlobex = await openPrefs(ben);
    expect(fromGlobex.token).toBe(h.fake.tokenOf(globex.teamId));
    expect(fromGlobex.token).not.toBe(fromAcme.token);

    const jobs = await ben.command('/jobs', 'saved');
    const answer = await h.fake.waitForResponse(jobs.responseId);
    expect(answer.body.response_type).toBe('ephemeral');
  });

  it("a DM alert to someone in Globex goes out on Globex's token, and so does the edit after Save", async () => {
    const prefs = await ben.command('/prefs', 'set keywords=rust alerts=instant threshold=60');
    await h.fake.waitForResponse(prefs.responseId);
    // A scheduled fetch; returns once every alert it queued has been handled.
    await fetchAll(h.t);

    const globexToken = h.fake.tokenOf(globex.teamId);
    const opened = await h.fake.waitForCall('conversations.open', (c) => c.args.users === 'UBEN', 30_000);
    expect(opened.token).toBe(globexToken);
    const posted = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'DBEN', 30_000);
    expect(posted.token).toBe(globexToken);
    const { rows } = await h.t.db.pool.query(
      `select d.message_ref from deliveries d join identities i on i.id = d.identity_id
       where i.external_id = $1 and d.status = 'sent'`,
      [ben.externalId],
    );
    expect(rows[0].message_ref).toMatchObject({ channel: 'DBEN', team: globex.teamId });

    const message = [...h.fake.messages.values()].find((m) => m.channel === 'DBEN')!;
    const save = cardsIn(message.blocks)[0]!.buttons.find((b) => b.text.text === 'Save')!;
    const click = await ben.click(save.action_id, { value: save.value!, message });
    const update = await h.fake.waitForCall('chat.update', (c) => c.args.ts === message.ts);
    expect(update.token).toBe(globexToken);
    await h.fake.waitForResponse(click.responseId);
  });

  it('app_uninstalled forgets Globex: its people become undeliverable, Acme carries on', async () => {
    h.fake.uninstall(globex.teamId);
    const res = await h.event(globex.teamId, { type: 'app_uninstalled' });
    expect(res.status).toBe(200);
    await until(async () => (await installation(globex.teamId)) === undefined);
    const gone = await until(async () => {
      const row = await identity(ben);
      return row?.deliverable === false ? row : undefined;
    });
    expect(gone.reason).toBe('JobPing was removed from this Slack workspace');
    expect((await identity(ann)).deliverable).toBe(true);

    // An alert for Ben now fails before reaching Slack, as undeliverable.
    const calls = h.fake.calls.length;
    const messenger = h.t.app.messengers.get('slack')!;
    const target = {
      identityId: 0,
      platform: 'slack' as const,
      externalId: ben.externalId,
      dmChannel: 'DBEN',
    };
    await expect(messenger.send(target, { text: 'hello' })).rejects.toBeInstanceOf(UndeliverableError);
    // Globex's requests are no longer served; Acme's are.
    const { res: refused } = await ben.command('/prefs');
    expect(refused.status).toBe(200);
    expect(h.fake.calls.length).toBe(calls);
    expect((await openPrefs(ann)).token).toBe(h.fake.tokenOf(acme.teamId));
  });

  it('a reinstall is not undone by an uninstall event that arrives late', async () => {
    const { callback } = await h.install(globex.teamId);
    expect(callback.status).toBe(200);
    const reinstalled = await installation(globex.teamId);
    expect(reinstalled.bot_token).toBe(h.fake.tokenOf(globex.teamId));
    const eventTime = new Date(Date.now() - 60_000);
    expect(
      await deleteSlackInstallation(
        h.t.db.pool,
        { teamId: globex.teamId, isEnterpriseInstall: false },
        eventTime,
      ),
    ).toBe(false);
    expect((await openPrefs(ben)).token).toBe(reinstalled.bot_token);
    expect((await identity(ben)).deliverable).toBe(true);
  });
});
