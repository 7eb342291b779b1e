import { describe, expect, it } from 'vitest';
import { parseTelegramHtml } from '../../../test/fakes/telegram-html.ts';
import { actionsFor, type Card } from '../../core/reply.ts';
import { PREFERENCE_FIELDS } from '../prefs.ts';
import { decodeRowAction } from './page-rows.ts';
import { CHOICES, decodePrefsAction, menuKeyboard } from './prefs-menu.ts';
import {
  alertMessages,
  type CompactPage,
  cardMessage,
  compactMessage,
  escapeHtml,
  replyMessages,
} from './render.ts';

function card(overrides: Partial<Card> = {}): Card {
  return {
    matchId: 123456789012345,
    title: 'Senior TypeScript Engineer',
    url: 'https://jobs.example/1',
    company: 'Acme',
    location: 'Berlin',
    remote: 'hybrid',
    salary: '€65k–80k / year',
    score: 82,
    reasons: ['mentions typescript', 'hybrid in Berlin'],
    source: 'Memory board',
    attribution: null,
    postedAt: new Date('2025-06-10T12:00:00Z'),
    status: 'new',
    actions: actionsFor('new'),
    ...overrides,
  };
}

const HOSTILE = [
  '<script>alert("x")</script> Engineer',
  'R&D <b>unclosed & </i> stray',
  'Tom &amp; Jerry &lt;b&gt; — "quoted" <3',
  'a < b > c && d',
];

describe('Telegram HTML for cards', () => {
  it.each(HOSTILE)('shows %j exactly as written and always parses', (title) => {
    const m = cardMessage(card({ title, company: title, location: title, reasons: [title] }));
    const parsed = parseTelegramHtml(m.html);
    expect(parsed.text.split('\n')[0]).toBe(title);
    expect(parsed.text).toContain(`${title} · Hybrid · ${title}`);
  });

  it('a hostile attribution link stays one link with the exact URL', () => {
    const url = 'https://board.example/credit?a=1&b="><script>x</script>';
    const m = cardMessage(card({ attribution: { text: 'Jobs by <Board> & Co', url } }));
    const parsed = parseTelegramHtml(m.html);
    expect(parsed.links).toEqual([new URL(url).href]);
    expect(parsed.text).toContain('Jobs by <Board> & Co');
  });

  it('button data fits Telegram (64 bytes) and Open is a link, never a callback', () => {
    const m = cardMessage(card({ url: 'https://jobs.example/a"b<c>' }));
    const buttons = m.keyboard!.inline_keyboard.flat();
    expect(buttons.map((b) => b.text)).toEqual(['Save', 'Dismiss', 'Applied', 'Open']);
    for (const b of buttons) {
      if ('callback_data' in b) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);
    }
    expect(buttons.at(-1)).toEqual({ text: 'Open', url: 'https://jobs.example/a%22b%3Cc%3E' });
  });

  it('a card that is no longer new says so and offers Undo', () => {
    const m = cardMessage(card({ status: 'saved', actions: actionsFor('saved') }));
    expect(parseTelegramHtml(m.html).text).toMatch(/⭐ Saved$/);
    expect(m.keyboard!.inline_keyboard.flat().map((b) => b.text)).toEqual([
      'Applied',
      'Dismiss',
      'Undo',
      'Open',
    ]);
  });

  it('a link that is not http(s) gets no Open button', () => {
    const m = cardMessage(card({ url: 'javascript:alert(1)' }));
    expect(m.keyboard!.inline_keyboard.flat().map((b) => b.text)).not.toContain('Open');
  });

  it('escapes the reply text and puts paging under the cards', () => {
    const messages = replyMessages({
      text: 'Your matches: 12 in all <page 1 of 3>',
      cards: [card(), card({ matchId: 2 })],
      buttons: [{ label: 'More ▶', action: 'p:jobs:2' }],
      page: { index: 1, total: 3 },
    });
    expect(messages.map((m) => parseTelegramHtml(m.html).text.split('\n')[0])).toEqual([
      'Your matches: 12 in all <page 1 of 3>',
      'Senior TypeScript Engineer',
      'Senior TypeScript Engineer',
      'Page 1 of 3',
    ]);
    expect(messages[3]!.keyboard).toEqual({
      inline_keyboard: [[{ text: 'More ▶', callback_data: 'p:jobs:2' }]],
    });
  });

  it('an alert with one card is one message, its bell line on top', () => {
    const messages = alertMessages({ text: 'New match (82): A & B', cards: [card()] });
    expect(messages).toHaveLength(1);
    expect(parseTelegramHtml(messages[0]!.html).text.split('\n')[0]).toBe('🔔 New match (82): A & B');
  });

  it('escapeHtml covers every character Telegram treats specially', () => {
    expect(escapeHtml(`<a href="x">&</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;');
  });
});

describe('a digest page in one Telegram message', () => {
  const MAX_ID = 999_999_999_999_999;
  // The longest fields there can be, on the largest ids, in characters HTML has to escape.
  const huge = (n: number) =>
    card({
      matchId: MAX_ID - n,
      title: '<&>'.repeat(400),
      company: '"&"'.repeat(400),
      location: '<>'.repeat(400),
      salary: '€1,000,000–2,000,000 / year',
      reasons: ['&'.repeat(500), 'second reason'],
      source: '<b>'.repeat(200),
      attribution: { text: 'Jobs by <Board>'.repeat(20), url: 'https://board.example/?a=1&b=2' },
    });
  const page = (cards: Card[], buttons = [{ label: 'More ▶', action: `d:${MAX_ID}:2` }]): CompactPage => ({
    text: 'Your digest for 2025-06-02: 12 new matches (page 1 of 3)',
    cards,
    buttons,
    page: { index: 1, total: 3, redraw: `d:${MAX_ID}:999999` },
    compact: true,
  });

  it('is one message that parses, within 4,096 characters, with every card numbered', () => {
    const messages = alertMessages(page([0, 1, 2, 3, 4].map(huge)));
    expect(messages).toHaveLength(1);
    const parsed = parseTelegramHtml(messages[0]!.html);
    expect(parsed.text.length).toBeLessThanOrEqual(4096);
    expect(parsed.text.split('\n')[0]).toBe('📬 Your digest for 2025-06-02: 12 new matches (page 1 of 3)');
    expect(parsed.text.match(/^\d\. /gm)).toEqual(['1. ', '2. ', '3. ', '4. ', '5. ']);
    expect(parsed.text).toContain('Jobs by <Board>');
  });

  it('shrinks the cards to their titles rather than run over the limit', () => {
    const many = Array.from({ length: 12 }, (_, i) => huge(i));
    const parsed = parseTelegramHtml(compactMessage(page(many)).html);
    expect(parsed.text.length).toBeLessThanOrEqual(4096);
    expect(parsed.text.match(/^\d+\. /gm)).toHaveLength(12);
    expect(parsed.text).not.toContain('Score');
  });

  it('gives each card a row whose data fits 64 bytes and names the card and its page', () => {
    const m = compactMessage(page([0, 1].map(huge)), {
      matchId: MAX_ID - 1,
      buttons: [
        { label: 'Not relevant', action: `r:not_relevant:${MAX_ID - 1}` },
        { label: 'Too junior', action: `r:too_junior:${MAX_ID - 1}` },
      ],
    });
    const rows = m.keyboard!.inline_keyboard.map((row) => row.map((b) => b.text));
    expect(rows).toEqual([
      ['1 · Save', 'Dismiss', 'Applied'],
      ['2 · Not relevant', 'Too junior', 'Undo'],
      ['More ▶'],
    ]);
    for (const b of m.keyboard!.inline_keyboard.flat()) {
      const data = (b as { callback_data: string }).callback_data;
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    }
    const reason = (m.keyboard!.inline_keyboard[1]![0] as { callback_data: string }).callback_data;
    expect(decodeRowAction(reason)).toEqual({
      redraw: { name: 'digest.page', digestId: MAX_ID, page: 999999 },
      act: { name: 'match.reason', reason: 'not_relevant', matchId: MAX_ID - 1 },
    });
    expect(decodeRowAction('d:1:1/p:jobs:2')).toBeNull();
    expect(decodeRowAction('m:save:1/m:save:1')).toBeNull();
  });

  it('a title without a usable link is bold text, never an unsafe link', () => {
    const parsed = parseTelegramHtml(compactMessage(page([card({ url: 'javascript:alert(1)' })])).html);
    expect(parsed.links).toEqual([]);
    expect(parsed.text).toContain('1. Senior TypeScript Engineer');
  });
});

describe('the /prefs menu', () => {
  it('has a button per preference, each decoding back to its field', () => {
    const buttons = menuKeyboard().inline_keyboard.flat();
    expect(buttons).toHaveLength(Object.keys(PREFERENCE_FIELDS).length);
    for (const b of buttons) {
      const action = decodePrefsAction((b as { callback_data: string }).callback_data);
      expect(action?.kind).toBe('field');
    }
  });

  it('offers only values the field accepts, and refuses data it did not issue', () => {
    for (const [field, choices] of Object.entries(CHOICES)) {
      for (const [, value] of choices) {
        expect(
          PREFERENCE_FIELDS[field as keyof typeof PREFERENCE_FIELDS].schema.safeParse(value).success,
        ).toBe(true);
        expect(decodePrefsAction(`pv:${field}:${value}`)).toEqual({ kind: 'value', field, value });
      }
    }
    expect(decodePrefsAction('pv:remote:sometimes')).toBeNull();
    expect(decodePrefsAction('pv:keywords:rust')).toBeNull();
    expect(decodePrefsAction('pf:colour')).toBeNull();
  });
});
