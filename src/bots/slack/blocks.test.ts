import { describe, expect, it } from 'vitest';
import { cardsIn, expectWithinBlockKitLimits } from '../../../test/helpers/block-kit.ts';
import { actionsFor, type Card } from '../../core/reply.ts';
import { decodeMessageContext, MAX_CARDS_PER_MESSAGE, renderReply, replaceCard } from './blocks.ts';

/** Block Kit rendering keeps Slack's limits whatever a board or a user puts into a posting. */

function card(id: number, overrides: Partial<Card> = {}): Card {
  return {
    matchId: id,
    title: `Engineer ${id}`,
    url: `https://jobs.example/${id}`,
    company: 'Acme',
    location: 'Berlin',
    remote: 'hybrid',
    salary: '€65k–80k / year',
    score: 80,
    reasons: ['mentions typescript', 'senior level', 'in Berlin', 'fourth reason'],
    source: 'Sample board',
    attribution: null,
    postedAt: null,
    status: 'new',
    actions: actionsFor('new'),
    ...overrides,
  };
}

describe('renderReply', () => {
  it('stays within 50 blocks and names the cards that did not fit', () => {
    const cards = Array.from({ length: 30 }, (_, i) => card(i + 1));
    const message = renderReply({
      text: 'Thirty jobs',
      cards,
      buttons: [{ label: 'More ▶', action: 'p:jobs:2' }],
    });
    expectWithinBlockKitLimits(message);
    expect(cardsIn(message.blocks)).toHaveLength(MAX_CARDS_PER_MESSAGE);
    expect(JSON.stringify(message.blocks)).toContain(`…and ${30 - MAX_CARDS_PER_MESSAGE} more`);
    expect(JSON.stringify(message.blocks)).toContain('"action_id":"p:jobs:2"');
  });

  it('cuts oversized text, labels and values to Slack’s limits', () => {
    const huge = 'x'.repeat(10_000);
    const message = renderReply({
      text: huge,
      cards: [card(1, { title: huge, company: huge, reasons: [huge, huge, huge], source: huge })],
      buttons: [{ label: huge, action: 'p:jobs:2' }],
    });
    expectWithinBlockKitLimits(message);
    expect(message.text.length).toBeLessThanOrEqual(3000);
  });

  it('escapes mrkdwn so a posting cannot ping a channel or forge a link', () => {
    const message = renderReply({
      text: 'Matches',
      cards: [card(1, { title: 'Dev <!channel> | <https://evil.example|click>', company: 'A & B <Co>' })],
    });
    const [shown] = cardsIn(message.blocks);
    expect(shown!.text).not.toContain('<!channel>');
    expect(shown!.text).toContain('&lt;!channel&gt;');
    expect(shown!.text).toContain('A &amp; B &lt;Co&gt;');
    expect(shown!.text.match(/<https?:/g)).toHaveLength(1);
  });

  it('shows the top three reasons, the state, and the buttons of that state', () => {
    const message = renderReply({
      text: 'x',
      cards: [card(7, { status: 'saved', actions: actionsFor('saved') })],
    });
    const [shown] = cardsIn(message.blocks);
    expect(shown!.text).toContain('mentions typescript · senior level · in Berlin');
    expect(shown!.text).not.toContain('fourth reason');
    expect(shown!.text).toContain('⭐ *Saved*');
    expect(shown!.buttons.map((b) => b.action_id)).toEqual([
      'm:applied:7',
      'm:dismiss:7',
      'm:undo:7',
      'open:7',
    ]);
    expect(decodeMessageContext(shown!.buttons[0]!.value)).toEqual({ ids: [7], nav: [] });
  });

  it('replaceCard swaps one card and leaves the rest of a message as it was', () => {
    const message = renderReply({ text: 'Two', cards: [card(1), card(2)] });
    const replaced = replaceCard(
      message.blocks,
      card(2, { status: 'dismissed', actions: actionsFor('dismissed') }),
      {
        ids: [1, 2],
        nav: [],
      },
    )!;
    expect(replaced.length).toBe(message.blocks.length);
    const [first, second] = cardsIn(replaced);
    expect(first).toEqual(cardsIn(message.blocks)[0]);
    expect(second!.text).toContain('Dismissed');
    expect(replaceCard(message.blocks, card(3), { ids: [], nav: [] })).toBeNull();
  });

  it('refuses a button value it did not write', () => {
    expect(decodeMessageContext('not json')).toBeNull();
    expect(decodeMessageContext(JSON.stringify({ ids: ['1; drop table'], nav: [] }))).toBeNull();
    expect(decodeMessageContext(undefined)).toBeNull();
  });
});
