import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../fakes/slack.ts';
import { dispatch, fetchAll, watchMessages } from '../helpers/alerts.ts';
import { buttonLabels, cardsIn, expectWithinBlockKitLimits, type LooseBlock } from '../helpers/block-kit.ts';
import { manualClock } from '../helpers/clock.ts';
import { type SlackHarness, type SlackUser, startSlackHarness } from '../helpers/slack.ts';

/**
 * A digest in a Slack DM, through the real dispatcher, digest job and WebClient: its ◀ / ▶
 * buttons turn the same message into the next page (chat.update), and Dismiss on one of its cards
 * asks why, privately, with buttons whose answer is recorded.
 */

let h: SlackHarness;
let erin: SlackUser;
let bob: SlackUser;
const clock = manualClock('2025-06-02T06:00:00Z'); // a Monday

type Nav = { block_id?: string; elements?: { action_id: string; text: { text: string }; value?: string }[] };
const blockOf = (blocks: unknown, id: string) => (blocks as Nav[]).find((b) => b.block_id === id);
const labelsOf = (block: Nav | undefined) => (block?.elements ?? []).map((e) => e.text.text);
const digestMessage = () => [...h.fake.messages.values()].find((m) => m.channel === 'DERIN')!;

async function digestItems(): Promise<number> {
  const { rows } = await h.t.db.pool.query(
    `select count(*)::int as n from deliveries d join matches m on m.id = d.match_id
     join identities i on i.user_id = m.user_id where d.kind = 'digest' and i.external_id = $1`,
    [erin.externalId],
  );
  return rows[0].n;
}

beforeAll(async () => {
  h = await startSlackHarness({}, { clock });
  watchMessages(h.t);
  erin = h.user('UERIN', 'erin');
  bob = h.user('UBOB', 'bob');
  const prefs = await erin.command(
    '/prefs',
    'set keywords=typescript,node alerts=digest digest=08:00 tz=UTC threshold=0',
  );
  expect((await h.fake.waitForResponse(prefs.responseId)).body.text).toContain('digest: 08:00');
  await fetchAll(h.t);
  clock.set('2025-06-02T08:00:00Z');
  expect((await dispatch(h.t)).digests).toBe(1);
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

describe('a digest in a Slack DM', () => {
  let page1: StoredMessage;

  it('arrives as one DM: five compact cards and a More button', async () => {
    page1 = structuredClone(digestMessage());
    const total = await digestItems();
    expect(total).toBeGreaterThan(5);
    const pages = Math.ceil(total / 5);
    expect(page1.text).toMatch(
      new RegExp(`^Your digest for 2025-06-02: ${total} new matches \\(page 1 of ${pages}\\)`),
    );
    expectWithinBlockKitLimits(page1);
    expect(cardsIn(page1.blocks)).toHaveLength(5);
    expect(labelsOf(blockOf(page1.blocks, 'reply:nav'))).toEqual(['More ▶']);
  });

  it('More turns the same message into page 2, with Previous; nothing else is posted', async () => {
    const more = blockOf(page1.blocks, 'reply:nav')!.elements![0]!;
    expect(more.action_id).toMatch(/^d:\d+:2$/);
    const posts = h.fake.callsOf('chat.postMessage').length;
    const click = await erin.click(more.action_id, { value: more.value!, message: page1 });
    expect(click.res.status).toBe(200);
    const update = await h.fake.waitForCall('chat.update', (c) => c.args.ts === page1.ts);
    expect(update.args.channel).toBe('DERIN');
    expect(update.args.text).toMatch(/^Your digest for 2025-06-02: \d+ new matches \(page 2 of \d+\)/);

    // What Erin now sees in her DM.
    const shown = digestMessage();
    expect(shown.ts).toBe(page1.ts);
    expectWithinBlockKitLimits(shown);
    const ids1 = cardsIn(page1.blocks).map((c) => c.matchId);
    const ids2 = cardsIn(shown.blocks).map((c) => c.matchId);
    expect(ids2.length).toBeGreaterThan(0);
    expect(ids2.some((id) => ids1.includes(id))).toBe(false);
    expect(labelsOf(blockOf(shown.blocks, 'reply:nav'))[0]).toBe('◀ Previous');
    expect(h.fake.callsOf('chat.postMessage').length).toBe(posts);
    expect(h.fake.responsesTo(click.responseId)).toEqual([]);
  });

  it("someone else's digest page is refused privately and the DM stays as it is", async () => {
    const shown = digestMessage();
    const previous = blockOf(shown.blocks, 'reply:nav')!.elements![0]!;
    const updates = h.fake.callsOf('chat.update').length;
    const click = await bob.click(previous.action_id, { ephemeral: { channel: 'C061EG9SL' } });
    const answer = await h.fake.waitForResponse(click.responseId);
    expect(answer.body).toMatchObject({
      response_type: 'ephemeral',
      replace_original: false,
      text: '⚠️ That digest belongs to someone else.',
    });
    expect(h.fake.callsOf('chat.update').length).toBe(updates);
  });

  it('Dismiss on a digest card asks why with buttons; the answer is recorded and replaces the question', async () => {
    const shown = digestMessage();
    const card = cardsIn(shown.blocks)[0]!;
    const dismiss = card.buttons.find((b) => b.text.text === 'Dismiss')!;
    const click = await erin.click(dismiss.action_id, { value: dismiss.value!, message: shown });
    const update = await h.fake.waitForCall(
      'chat.update',
      (c) => c.args.ts === shown.ts && JSON.stringify(c.args.blocks).includes('Dismissed'),
    );
    // The card changed in place; the digest's headline and page buttons stayed.
    expect(update.args.text).toBe(shown.text);
    expect(buttonLabels(cardsIn(update.args.blocks).find((c) => c.matchId === card.matchId)!)).toEqual([
      'Undo',
      'Open',
    ]);
    expect(blockOf(update.args.blocks, 'reply:nav')).toEqual(blockOf(shown.blocks, 'reply:nav'));

    const asked = await h.fake.waitForResponse(click.responseId);
    expect(asked.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(asked.body.text).toMatch(/^Dismissed: .+\nWhy\? \(optional/);
    const question = blockOf(asked.body.blocks, 'reply:question')!;
    expect(labelsOf(question)).toEqual([
      'Not relevant',
      'Too junior',
      'Too senior',
      'Location',
      'Salary',
      'Company',
    ]);
    expectWithinBlockKitLimits(asked.body as { text: string; blocks: LooseBlock[] });

    const tooJunior = question.elements!.find((e) => e.text.text === 'Too junior')!;
    const answer = await erin.click(tooJunior.action_id, {
      value: tooJunior.value!,
      ephemeral: { channel: 'DERIN' },
    });
    expect(answer.res.status).toBe(200);
    const noted = await h.fake.waitForResponse(answer.responseId);
    expect(noted.body).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    expect(noted.body.text).toMatch(/^✅ Noted: too junior \(.+\)/);
    expect(blockOf(noted.body.blocks, 'reply:question')).toBeUndefined();
    const { rows } = await h.t.db.pool.query('select status, dismiss_reason from matches where id = $1', [
      card.matchId,
    ]);
    expect(rows[0]).toEqual({ status: 'dismissed', dismiss_reason: 'too_junior' });
  });
});
