import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_TOKEN, TEAM } from '../fakes/slack.ts';
import slashCommandFixture from '../fixtures/slack/slash-command.json' with { type: 'json' };
import { cardsIn } from '../helpers/block-kit.ts';
import { type SlackHarness, startSlackHarness } from '../helpers/slack.ts';

/**
 * Socket Mode (SLACK_APP_TOKEN set): the same app over a WebSocket instead of a public URL. The
 * envelopes are acknowledged on the socket; answers still go through response_urls and the Web API.
 */

let h: SlackHarness;

beforeAll(async () => {
  h = await startSlackHarness({ SLACK_APP_TOKEN: APP_TOKEN });
  await h.fake.socketConnected();
});
afterAll(async () => {
  await h?.stop();
});

function command(text: string, responseId: string) {
  return {
    ...slashCommandFixture,
    team_id: TEAM,
    user_id: 'USOCK',
    user_name: 'sock',
    command: '/jobs',
    text,
    response_url: h.fake.responseUrl(responseId),
    trigger_id: `${Date.now()}.socket.${responseId}`,
  };
}

describe('Socket Mode', () => {
  it('connects with the app token and serves no HTTP endpoint', async () => {
    const open = h.fake.callsOf('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]!.token).toBe(APP_TOKEN);
    const res = await h.fake.send(h.url, 'command=%2Fjobs', 'application/x-www-form-urlencoded');
    expect(res.status).toBe(404);
  });

  it('a slash command envelope is acknowledged on the socket and answered at the response_url', async () => {
    const ack = await h.fake.sendEnvelope('slash_commands', command('fetch', 'sock-fetch'));
    expect(ack.payload).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringMatching(/^Fetching…/),
    });
    const final = await h.fake.waitForResponse(
      'sock-fetch',
      (r) => /new match|Nothing new/.test(String(r.body.text)),
      30_000,
    );
    expect(final.body.replace_original).toBe(true);
    expect(final.body.text).toMatch(/64 postings/);
  });

  it('an interaction envelope changes the card, as over HTTP', async () => {
    await h.fake.sendEnvelope('slash_commands', command('', 'sock-list'));
    const list = await h.fake.waitForResponse('sock-list');
    const [card] = cardsIn(list.body.blocks);
    const save = card!.buttons.find((b) => b.text.text === 'Save')!;
    await h.fake.sendEnvelope('interactive', {
      type: 'block_actions',
      user: { id: 'USOCK', username: 'sock', name: 'sock', team_id: TEAM },
      team: { id: TEAM, domain: 'example' },
      api_app_id: 'A0KRD7HC3',
      trigger_id: `${Date.now()}.socket.click`,
      response_url: h.fake.responseUrl('sock-click'),
      container: {
        type: 'message',
        message_ts: '1700000000.000100',
        channel_id: 'C061EG9SL',
        is_ephemeral: true,
      },
      channel: { id: 'C061EG9SL', name: 'jobs' },
      actions: [
        { action_id: save.action_id, block_id: 'b', type: 'button', value: save.value, action_ts: '1' },
      ],
    });
    const answer = await h.fake.waitForResponse('sock-click');
    expect(answer.body.text).toMatch(/^✅ Saved: /);
    const { rows } = await h.t.db.pool.query('select status from matches where id = $1', [card!.matchId]);
    expect(rows[0].status).toBe('saved');
  });
});
