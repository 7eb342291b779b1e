import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_TOKEN, TEAM } from '../fakes/slack.ts';
import { type SlackHarness, type SlackUser, startSlackHarness } from '../helpers/slack.ts';

/**
 * Requests reach the real Bolt app on the shared server signed as Slack signs them. Forged and
 * stale requests are refused with 401 before anything is touched; Slack's URL check is answered.
 */

let h: SlackHarness;
let alice: SlackUser;

beforeAll(async () => {
  h = await startSlackHarness();
  alice = h.user('UALICE', 'alice');
});
afterAll(async () => {
  await h?.stop();
});

async function identities(): Promise<number> {
  const { rows } = await h.t.db.pool.query<{ n: number }>('select count(*)::int as n from identities');
  return rows[0]!.n;
}

describe('Slack requests', () => {
  it('checks the bot token at start (auth.test) with the configured token', () => {
    const auth = h.fake.callsOf('auth.test');
    expect(auth).toHaveLength(1);
    expect(auth[0]!.token).toBe(BOT_TOKEN);
  });

  it('/help is acknowledged at once and answered privately through the response_url', async () => {
    const { res, responseId } = await alice.command('/help');
    expect(res.status).toBe(200);
    const answer = await h.fake.waitForResponse(responseId);
    expect(answer.body.response_type).toBe('ephemeral');
    expect(answer.body.text).toContain('/jobs fetch [query]');
    expect(JSON.stringify(answer.body.blocks)).toContain('/prefs set key=value');
    const { rows } = await h.t.db.pool.query('select external_id from identities');
    expect(rows.map((r) => r.external_id)).toContain(`${TEAM}:UALICE`);
  });

  it('a request with a wrong signature gets 401 and changes nothing', async () => {
    const before = await identities();
    const calls = h.fake.calls.length;
    const forged = h.user('UMALLORY');
    const { res, responseId } = await forged.command('/jobs', 'fetch', {
      secret: 'not-the-signing-secret-at-all',
    });
    expect(res.status).toBe(401);
    expect(await identities()).toBe(before);
    expect(h.fake.responsesTo(responseId)).toEqual([]);
    expect(h.fake.calls.length).toBe(calls);
    const { rows } = await h.t.db.pool.query('select count(*)::int as n from fetch_requests');
    expect(rows[0].n).toBe(0);
  });

  it('a stale request (timestamp more than 5 minutes old) gets 401 and changes nothing', async () => {
    const before = await identities();
    const replayed = h.user('UREPLAY');
    const { res, responseId } = await replayed.command('/help', '', {
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(res.status).toBe(401);
    expect(await identities()).toBe(before);
    expect(h.fake.responsesTo(responseId)).toEqual([]);
  });

  it("answers Slack's url_verification challenge", async () => {
    const res = await h.fake.send(
      h.url,
      JSON.stringify({
        token: 'x',
        challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
        type: 'url_verification',
      }),
      'application/json',
    );
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
  });

  it('anything but a POST to /slack/events is refused; other paths still reach the server', async () => {
    const get = await fetch(h.url);
    expect(get.status).toBe(405);
    const health = await fetch(h.url.replace('/slack/events', '/healthz'));
    expect(health.status).toBe(200);
  });

  it('an unknown command word is answered in the acknowledgement with the usage line', async () => {
    const { res } = await alice.command('/jobs', 'delete everything');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ response_type: 'ephemeral' });
    expect((res.json as { text: string }).text).toContain('/jobs has no "delete"');
    expect((res.json as { text: string }).text).toContain('Usage: /jobs');
  });
});
