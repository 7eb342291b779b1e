import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiCall } from '../fakes/slack.ts';
import { buttonLabels, cardsIn, expectWithinBlockKitLimits } from '../helpers/block-kit.ts';
import { type SlackHarness, type SlackUser, startSlackHarness } from '../helpers/slack.ts';

/**
 * DM alerts through the real notify stage and the real WebClient: delivered as cards to the DM
 * channel from conversations.open, retried after a 429 by the WebClient itself, and accounts
 * Slack says cannot be reached are marked undeliverable until they write again.
 */

let h: SlackHarness;
let alice: SlackUser;
let bob: SlackUser;
let carol: SlackUser;
let dave: SlackUser;

async function deliveries() {
  const { rows } = await h.t.db.pool.query<{
    id: number;
    status: string;
    external_id: string;
    message_ref: unknown;
  }>(
    `select d.id, d.status, i.external_id, d.message_ref from deliveries d join identities i on i.id = d.identity_id order by d.id`,
  );
  return rows;
}

async function identity(externalId: string) {
  const { rows } = await h.t.db.pool.query(
    'select deliverable, undeliverable_reason as reason, dm_channel as "dmChannel" from identities where external_id = $1',
    [externalId],
  );
  return rows[0];
}

beforeAll(async () => {
  h = await startSlackHarness();
  alice = h.user('UALICE', 'alice');
  bob = h.user('UBOB', 'bob');
  carol = h.user('UCAROL', 'carol');
  dave = h.user('UDAVE', 'dave');
  for (const user of [bob, carol, dave]) {
    const { responseId } = await user.command('/prefs', 'set keywords=rust alerts=instant threshold=60');
    await h.fake.waitForResponse(responseId);
  }
  // Bob's first message is rate limited; the bot may not post in Carol's DM; Dave's DM cannot be opened.
  h.fake.fail('chat.postMessage', { status: 429, retryAfter: 1 }, { where: (a) => a.channel === 'DBOB' });
  h.fake.fail(
    'chat.postMessage',
    { error: 'not_in_channel' },
    { where: (a) => a.channel === 'DCAROL', times: 99 },
  );
  h.fake.fail(
    'conversations.open',
    { error: 'channel_not_found' },
    { where: (a) => a.users === 'UDAVE', times: 99 },
  );

  const spy = h.t.app.queues.boss.getSpy<{ deliveryId: number }>('notify');
  const { responseId } = await alice.command('/jobs', 'fetch');
  await h.fake.waitForResponse(responseId, (r) => cardsIn(r.body.blocks).length > 0, 30_000);
  const all = await deliveries();
  await Promise.all(all.map((d) => spy.waitForJob((data) => data.deliveryId === d.id, 'completed')));
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

describe('DM alerts', () => {
  it('a user with instant alerts gets each new match as a card in their DM, once', async () => {
    const bobs = (await deliveries()).filter((d) => d.external_id === bob.externalId);
    expect(bobs.length).toBe(4);
    expect(bobs.every((d) => d.status === 'sent')).toBe(true);
    const open = h.fake.callsOf('conversations.open').filter((c) => c.args.users === 'UBOB');
    expect(open.length).toBeGreaterThanOrEqual(1);
    const messages = [...h.fake.messages.values()].filter((m) => m.channel === 'DBOB');
    expect(messages).toHaveLength(4);
    for (const message of messages) {
      expect(message.text).toMatch(/^New match \(\d+\): .+ at .+/);
      expectWithinBlockKitLimits(message);
      const [card] = cardsIn(message.blocks);
      expect(buttonLabels(card!)).toEqual(['Save', 'Dismiss', 'Applied', 'Open']);
      expect(card!.text.toLowerCase()).toContain('rust');
    }
    expect(bobs.map((d) => d.message_ref)).toEqual(
      expect.arrayContaining(messages.map((m) => ({ channel: 'DBOB', ts: m.ts }))),
    );
    expect((await identity(bob.externalId)).dmChannel).toBe('DBOB');
    // The requester sees her matches in her reply, not as alerts.
    expect(h.fake.callsOf('conversations.open').some((c) => c.args.users === 'UALICE')).toBe(false);
  });

  it('a 429 with Retry-After is waited out and retried by the WebClient, not by us', async () => {
    const posts = h.fake.callsOf('chat.postMessage').filter((c) => c.args.channel === 'DBOB');
    expect(posts).toHaveLength(5); // one refused with 429, then the four that landed
    const limited = posts[0]!;
    const retried = posts.find((p: ApiCall) => p !== limited && p.args.text === limited.args.text)!;
    expect(retried.at - limited.at).toBeGreaterThanOrEqual(1000);
  });

  it('not_in_channel / channel_not_found mark the account undeliverable and skip it', async () => {
    for (const user of [carol, dave]) {
      // Once marked, the account gets no further deliveries at all (later match batches skip it).
      const mine = (await deliveries()).filter((d) => d.external_id === user.externalId);
      expect(mine.length).toBeGreaterThanOrEqual(1);
      expect(mine.every((d) => d.status === 'undeliverable')).toBe(true);
      expect(await identity(user.externalId)).toMatchObject({ deliverable: false });
    }
    expect((await identity(carol.externalId)).reason).toBe('slack: not_in_channel');
    expect((await identity(dave.externalId)).reason).toBe('slack: channel_not_found');
    expect(
      [...h.fake.messages.values()].filter((m) => m.channel === 'DDAVE' || m.channel === 'DCAROL'),
    ).toEqual([]);
  });

  it('writing to the bot again makes the account deliverable again', async () => {
    const { responseId } = await dave.command('/help');
    await h.fake.waitForResponse(responseId);
    expect(await identity(dave.externalId)).toMatchObject({ deliverable: true, reason: null });
  });

  it('Save on a DM alert edits that card in the DM (chat.update) and confirms privately', async () => {
    const message = [...h.fake.messages.values()].find((m) => m.channel === 'DBOB')!;
    const [card] = cardsIn(message.blocks);
    const save = card!.buttons.find((b) => b.text.text === 'Save')!;
    const click = await bob.click(save.action_id, { value: save.value!, message });
    expect(click.res.status).toBe(200);
    const update = await h.fake.waitForCall('chat.update', (c) => c.args.ts === message.ts);
    expect(update.args.channel).toBe('DBOB');
    expect(update.args.text).toBe(message.text);
    const [updated] = cardsIn(update.args.blocks);
    expect(updated!.text).toContain('⭐ *Saved*');
    expect(buttonLabels(updated!)).toEqual(['Applied', 'Dismiss', 'Undo', 'Open']);
    const confirm = await h.fake.waitForResponse(click.responseId);
    expect(confirm.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(confirm.body.text).toMatch(/^Saved: /);
  });

  it('a click on the same job in a /jobs list also updates the DM alert card', async () => {
    const message = [...h.fake.messages.values()].filter((m) => m.channel === 'DBOB')[1]!;
    const alertCard = cardsIn(message.blocks)[0]!;
    const jobs = await bob.command('/jobs');
    const listed = cardsIn((await h.fake.waitForResponse(jobs.responseId)).body.blocks);
    const same = listed.find((c) => c.matchId === alertCard.matchId)!;
    const dismiss = same.buttons.find((b) => b.text.text === 'Dismiss')!;
    await bob.click(dismiss.action_id, { value: dismiss.value!, ephemeral: { channel: 'C061EG9SL' } });
    const update = await h.fake.waitForCall('chat.update', (c) => c.args.ts === message.ts);
    expect(cardsIn(update.args.blocks)[0]!.text).toContain('🚫 *Dismissed*');
  });
});
