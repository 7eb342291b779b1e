import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseUrlPost } from '../fakes/slack.ts';
import {
  buttonLabels,
  type CardInMessage,
  cardsIn,
  expectWithinBlockKitLimits,
} from '../helpers/block-kit.ts';
import { type SlackHarness, type SlackUser, startSlackHarness, triggerId } from '../helpers/slack.ts';

/**
 * Card buttons on an ephemeral /jobs list: each click changes the card in place (state, buttons,
 * Undo), the rest of the message stays, the user alone sees the confirmation. Clicks on someone
 * else's card are refused; Slack's repeated deliveries of one click act once.
 */

let h: SlackHarness;
let alice: SlackUser;
let bob: SlackUser;
let list: ResponseUrlPost;

beforeAll(async () => {
  h = await startSlackHarness();
  alice = h.user('UALICE', 'alice');
  bob = h.user('UBOB', 'bob');
  const prefs = await alice.command('/prefs', 'set keywords=typescript,node remote=yes');
  await h.fake.waitForResponse(prefs.responseId);
  const fetch = await alice.command('/jobs', 'fetch');
  await h.fake.waitForResponse(fetch.responseId, (r) => cardsIn(r.body.blocks).length > 0, 30_000);
  const jobs = await alice.command('/jobs');
  list = await h.fake.waitForResponse(jobs.responseId);
});
afterAll(async () => {
  await h?.stop();
});

type QuestionBlock = {
  block_id?: string;
  elements?: { action_id: string; text: { text: string }; value?: string }[];
};

async function statusOf(matchId: number): Promise<string> {
  const { rows } = await h.t.db.pool.query('select status from matches where id = $1', [matchId]);
  return rows[0].status;
}

/** Presses a button of a card on the list and returns the message that replaced the list. */
async function press(
  user: SlackUser,
  card: CardInMessage,
  label: string,
  options: { triggerId?: string } = {},
) {
  const button = card.buttons.find((b) => b.text.text === label)!;
  const click = await user.click(button.action_id, {
    value: button.value!,
    ephemeral: { channel: 'C061EG9SL' },
    ...options,
  });
  expect(click.res.status).toBe(200);
  return { ...click, answer: await h.fake.waitForResponse(click.responseId) };
}

describe('card buttons on an ephemeral list', () => {
  it('Save marks the card saved in place, keeps the other cards, offers Undo, confirms privately', async () => {
    const cards = cardsIn(list.body.blocks);
    const first = cards[0]!;
    const { answer } = await press(alice, first, 'Save');
    expect(answer.body.replace_original).toBe(true);
    expect(answer.body.response_type).toBe('ephemeral');
    expect(answer.body.text).toMatch(/^✅ Saved: .+ at .+/);
    expectWithinBlockKitLimits(answer.body);
    const after = cardsIn(answer.body.blocks);
    expect(after.map((c) => c.matchId)).toEqual(cards.map((c) => c.matchId));
    expect(after[0]!.text).toContain('⭐ *Saved*');
    expect(buttonLabels(after[0]!)).toEqual(['Applied', 'Dismiss', 'Undo', 'Open']);
    expect(buttonLabels(after[1]!)).toEqual(['Save', 'Dismiss', 'Applied', 'Open']);
    // The page buttons survive the redraw.
    expect(JSON.stringify(answer.body.blocks)).toContain('"action_id":"p:jobs:2"');
    expect(await statusOf(first.matchId)).toBe('saved');
  });

  it('Applied, Undo and Dismiss each change the card and its buttons', async () => {
    let card = cardsIn(list.body.blocks)[1]!;
    const applied = await press(alice, card, 'Applied');
    card = cardsIn(applied.answer.body.blocks).find((c) => c.matchId === card.matchId)!;
    expect(card.text).toContain('📨 *Applied*');
    expect(buttonLabels(card)).toEqual(['Undo', 'Open']);
    expect(await statusOf(card.matchId)).toBe('applied');

    const undo = await press(alice, card, 'Undo');
    expect(undo.answer.body.text).toMatch(/^✅ Undone, back to New: /);
    card = cardsIn(undo.answer.body.blocks).find((c) => c.matchId === card.matchId)!;
    expect(buttonLabels(card)).toEqual(['Save', 'Dismiss', 'Applied', 'Open']);
    expect(await statusOf(card.matchId)).toBe('new');

    const dismissed = await press(alice, card, 'Dismiss');
    card = cardsIn(dismissed.answer.body.blocks).find((c) => c.matchId === card.matchId)!;
    expect(card.text).toContain('🚫 *Dismissed*');
    expect(buttonLabels(card)).toEqual(['Undo', 'Open']);
    expect(await statusOf(card.matchId)).toBe('dismissed');
  });

  it('Open is a link button: Slack opens it, the app acknowledges and changes nothing', async () => {
    const card = cardsIn(list.body.blocks)[2]!;
    const open = card.buttons.find((b) => b.text.text === 'Open')!;
    expect(open.url).toMatch(/^https:\/\//);
    const click = await alice.click(open.action_id, { ephemeral: { channel: 'C061EG9SL' } });
    expect(click.res.status).toBe(200);
    expect(await statusOf(card.matchId)).toBe('new');
  });

  it("a click on someone else's card is refused politely and privately; nothing changes", async () => {
    const card = cardsIn(list.body.blocks)[3]!;
    const calls = h.fake.calls.length;
    const { answer } = await press(bob, card, 'Dismiss');
    expect(answer.body).toMatchObject({
      response_type: 'ephemeral',
      replace_original: false,
      text: '⚠️ That card belongs to someone else.',
    });
    expect(await statusOf(card.matchId)).toBe('new');
    expect(h.fake.calls.slice(calls).filter((c) => c.method.startsWith('chat.'))).toEqual([]);
  });

  it('Slack delivering the same click twice acts once (Undo steps back one state, not two)', async () => {
    let card = cardsIn(list.body.blocks)[4]!;
    const saved = await press(alice, card, 'Save');
    card = cardsIn(saved.answer.body.blocks).find((c) => c.matchId === card.matchId)!;
    const applied = await press(alice, card, 'Applied');
    card = cardsIn(applied.answer.body.blocks).find((c) => c.matchId === card.matchId)!;
    expect(await statusOf(card.matchId)).toBe('applied');

    const undo = card.buttons.find((b) => b.text.text === 'Undo')!;
    const sameTrigger = triggerId();
    const first = await alice.click(undo.action_id, { value: undo.value!, triggerId: sameTrigger });
    const again = await alice.click(undo.action_id, { value: undo.value!, triggerId: sameTrigger });
    expect([first.res.status, again.res.status]).toEqual([200, 200]);
    await h.fake.waitForResponse(first.responseId);
    // A later click by the same user is handled after both deliveries were seen.
    const barrier = await alice.command('/jobs', 'saved');
    await h.fake.waitForResponse(barrier.responseId);
    expect(await statusOf(card.matchId)).toBe('saved');
    expect(h.fake.responsesTo(first.responseId).length + h.fake.responsesTo(again.responseId).length).toBe(1);
  });

  it('Dismiss asks why under the headline; an answer is recorded and the list is redrawn with it', async () => {
    const card = cardsIn(list.body.blocks)[2]!;
    const { answer } = await press(alice, card, 'Dismiss');
    expect(answer.body.text).toMatch(/^✅ Dismissed: .+\nWhy\? \(optional/);
    const blocks = answer.body.blocks as QuestionBlock[];
    expect(blocks[0]!.block_id).toBe('reply:head');
    const question = blocks[1]!;
    expect(question.block_id).toBe('reply:question');
    expect(question.elements!.map((e) => e.text.text)).toEqual([
      'Not relevant',
      'Too junior',
      'Too senior',
      'Location',
      'Salary',
      'Company',
    ]);
    expectWithinBlockKitLimits(answer.body);

    const salary = question.elements!.find((e) => e.text.text === 'Salary')!;
    const click = await alice.click(salary.action_id, {
      value: salary.value!,
      ephemeral: { channel: 'C061EG9SL' },
    });
    expect(click.res.status).toBe(200);
    const noted = await h.fake.waitForResponse(click.responseId);
    expect(noted.body).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    expect(noted.body.text).toMatch(/^✅ Noted: salary \(.+\)/);
    // The same list, the question gone, the page buttons kept.
    const after = cardsIn(noted.body.blocks);
    expect(after.map((c) => c.matchId)).toEqual(cardsIn(list.body.blocks).map((c) => c.matchId));
    expect(after.find((c) => c.matchId === card.matchId)!.text).toContain('🚫 *Dismissed*');
    const ids = (noted.body.blocks as QuestionBlock[]).map((b) => b.block_id);
    expect(ids).not.toContain('reply:question');
    expect(ids).toContain('reply:nav');
    const { rows } = await h.t.db.pool.query('select status, dismiss_reason from matches where id = $1', [
      card.matchId,
    ]);
    expect(rows[0]).toEqual({ status: 'dismissed', dismiss_reason: 'salary' });
  });
});
