import { describe, expect, it } from 'vitest';
import type { Card, Reply } from '../../core/reply.ts';
import { decodePicker } from './compact.ts';
import { cardEmbed, embedLength, LIMITS, renderReply, withCardReplaced } from './render.ts';

function card(overrides: Partial<Card> = {}): Card {
  return {
    matchId: 42,
    title: 'Senior TypeScript Engineer',
    url: 'https://jobs.example/42',
    company: 'Acme',
    location: 'Berlin',
    remote: 'remote',
    salary: '€80k–95k / year',
    score: 87,
    reasons: ['mentions typescript', 'remote', 'salary above your floor', 'a fourth reason'],
    source: 'Greenhouse · Acme',
    attribution: { text: 'Jobs by Acme', url: 'https://acme.example/jobs' },
    postedAt: new Date('2026-05-01T10:00:00Z'),
    status: 'new',
    actions: ['save', 'dismiss', 'applied', 'open'],
    ...overrides,
  };
}

const long = (n: number) => 'x'.repeat(n);

describe('Discord cards', () => {
  it('a card is an embed with its title linked, the facts as fields, and a row of buttons', () => {
    const [message] = renderReply({ text: 'Your matches', cards: [card()] });
    const embed = message!.embeds[0]!;
    expect(embed).toMatchObject({ title: 'Senior TypeScript Engineer', url: 'https://jobs.example/42' });
    expect(embed.timestamp).toBe('2026-05-01T10:00:00.000Z');
    expect(Object.fromEntries(embed.fields!.map((f) => [f.name, f.value]))).toEqual({
      Company: 'Acme',
      Location: 'Remote · Berlin',
      Salary: '€80k–95k / year',
      Score: '87/100',
      Why: '• mentions typescript\n• remote\n• salary above your floor',
      Source: 'Greenhouse · Acme · [Jobs by Acme](https://acme.example/jobs)',
    });
    expect(message!.components[0]!.components).toEqual([
      { type: 2, style: 1, label: 'Save', custom_id: 'm:save:42' },
      { type: 2, style: 4, label: 'Dismiss', custom_id: 'm:dismiss:42' },
      { type: 2, style: 3, label: 'Applied', custom_id: 'm:applied:42' },
      { type: 2, style: 5, label: 'Open', url: 'https://jobs.example/42' },
    ]);
  });

  it('button ids stay within 100 characters for the largest match id', () => {
    const [message] = renderReply({ text: 't', cards: [card({ matchId: 999_999_999_999_999 })] });
    for (const b of message!.components[0]!.components) {
      if ('custom_id' in b) expect(b.custom_id.length).toBeLessThanOrEqual(LIMITS.customId);
    }
  });

  it('text that would format or ping is escaped; links that Discord would refuse are left out', () => {
    const embed = cardEmbed(card({ company: '*Acme* @everyone', url: `https://jobs.example/${long(600)}` }));
    expect(embed.fields![0]!.value).toBe('\\*Acme\\* @everyone');
    const [message] = renderReply({ text: 't', cards: [card({ url: `https://jobs.example/${long(600)}` })] });
    expect(message!.components[0]!.components.map((b) => ('label' in b ? b.label : null))).toEqual([
      'Save',
      'Dismiss',
      'Applied',
    ]);
    expect(cardEmbed(card({ url: 'javascript:alert(1)' })).url).toBeUndefined();
  });

  it('huge postings are cut to the field limits, and no message passes 6,000 characters, 10 embeds or 5 rows', () => {
    const huge = card({
      title: long(1000),
      company: long(500),
      location: long(500),
      reasons: [long(2000), long(2000), long(2000)],
      source: long(3000),
    });
    const cards = Array.from({ length: 10 }, (_, i) => ({ ...huge, matchId: i + 1 }));
    const messages = renderReply({ text: long(5000), cards });
    expect(messages[0]!.content.length).toBeLessThanOrEqual(LIMITS.content);
    expect(messages.flatMap((m) => m.embeds)).toHaveLength(10);
    for (const m of messages) {
      expect(m.embeds.reduce((n, e) => n + embedLength(e), 0)).toBeLessThanOrEqual(LIMITS.embedTotal);
      expect(m.embeds.length).toBeLessThanOrEqual(LIMITS.embedsPerMessage);
      expect(m.components.length).toBeLessThanOrEqual(LIMITS.rows);
      for (const e of m.embeds) {
        expect(e.title!.length).toBeLessThanOrEqual(LIMITS.title);
        for (const f of e.fields!) expect(f.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
      }
    }
    expect(messages.length).toBeGreaterThan(2); // 6,000 characters, not rows, decided the split
  });

  it('a page of five with paging buttons becomes four cards, then one with the paging row', () => {
    const reply: Reply = {
      text: 'Your matches: 12 in all (page 1 of 3)',
      cards: [1, 2, 3, 4, 5].map((matchId) => card({ matchId })),
      buttons: [{ label: 'More ▶', action: 'p:jobs:2' }],
    };
    const [first, second, ...more] = renderReply(reply);
    expect(more).toEqual([]);
    expect(first!.embeds).toHaveLength(4);
    expect(second!.content).toBe('');
    expect(
      second!.components.map((r) => r.components.map((b) => ('custom_id' in b ? b.custom_id : 'open'))),
    ).toEqual([['m:save:5', 'm:dismiss:5', 'm:applied:5', 'open'], ['p:jobs:2']]);
  });

  it('a new state replaces only its own card on the message', () => {
    const [message] = renderReply({
      text: 'Your matches',
      cards: [card({ matchId: 1 }), card({ matchId: 2 })],
    });
    const saved = card({ matchId: 2, status: 'saved', actions: ['applied', 'dismiss', 'undo', 'open'] });
    const updated = withCardReplaced(message!, saved)!;
    expect(updated.embeds[0]).toEqual(message!.embeds[0]);
    expect(updated.embeds[1]!.fields!.find((f) => f.name === 'Status')?.value).toBe('Saved');
    expect(updated.content).toBe('Your matches');
    expect(withCardReplaced(message!, card({ matchId: 3 }))).toBeNull();
  });
});

describe('compact replies (digest pages)', () => {
  const BIG = 999_999_999_999_990;
  const page = (cards: Card[], buttons = [{ label: 'More ▶', action: 'd:7:2' }]): Reply => ({
    text: 'Your digest for 2026-05-04: 12 new matches (page 1 of 3)',
    cards,
    buttons,
    compact: true,
  });
  const menusOf = (components: { components: object[] }[]) =>
    components.flatMap((r) => r.components).filter((c) => (c as { type: number }).type === 3) as {
      custom_id: string;
      options: { label: string; value: string; description?: string }[];
    }[];

  it('five cards and the paging row are one message: short embeds, a menu per action, five rows', () => {
    const cards = [1, 2, 3, 4, 5].map((n) => card({ matchId: BIG + n, title: `Job ${n}` }));
    cards[1] = { ...cards[1]!, status: 'saved', actions: ['applied', 'dismiss', 'undo', 'open'] };
    const messages = renderReply(page(cards));
    expect(messages).toHaveLength(1);
    const [message] = messages;
    expect(message!.embeds.map((e) => e.title)).toEqual([
      '1. Job 1',
      '2. Job 2',
      '3. Job 3',
      '4. Job 4',
      '5. Job 5',
    ]);
    expect(message!.embeds[0]).toMatchObject({
      url: 'https://jobs.example/42',
      description:
        '**Acme** · Remote · Berlin · €80k–95k / year\nScore 87/100 · mentions typescript\nGreenhouse · Acme · [Jobs by Acme](https://acme.example/jobs)',
    });
    expect(message!.embeds[1]!.description).toContain('\n**Saved**\n');
    expect(message!.components).toHaveLength(5);
    const menus = menusOf(message!.components);
    expect(menus.map((m) => decodePicker(m.custom_id)?.action)).toEqual([
      'save',
      'dismiss',
      'applied',
      'undo',
    ]);
    for (const menu of menus) {
      expect(menu.custom_id.length).toBeLessThanOrEqual(LIMITS.customId);
      expect(decodePicker(menu.custom_id)?.matchIds).toEqual(cards.map((c) => c.matchId));
    }
    expect(menus[0]!.options.map((o) => o.value)).toEqual([1, 3, 4, 5].map((n) => `m:save:${BIG + n}`));
    expect(menus[3]!.options).toEqual([
      { label: '2. Job 2', value: `m:undo:${BIG + 2}`, description: 'Acme · score 87' },
    ]);
    expect(message!.components.at(-1)!.components).toEqual([
      { type: 2, style: 2, label: 'More ▶', custom_id: 'd:7:2' },
    ]);
  });

  it('huge postings stay within the limits of one message', () => {
    const huge = card({
      title: long(1000),
      company: long(500),
      location: long(500),
      salary: long(300),
      reasons: [long(2000)],
    });
    const [message, ...more] = renderReply(page([1, 2, 3, 4, 5].map((matchId) => ({ ...huge, matchId }))));
    expect(more).toEqual([]);
    expect(message!.embeds.reduce((n, e) => n + embedLength(e), 0)).toBeLessThanOrEqual(LIMITS.embedTotal);
    for (const menu of menusOf(message!.components)) {
      for (const o of menu.options) {
        expect(o.label.length).toBeLessThanOrEqual(LIMITS.optionLabel);
        expect(o.description!.length).toBeLessThanOrEqual(LIMITS.optionDescription);
      }
    }
  });

  it('one card is shown in full, with its buttons; what cannot fit one message falls back to full cards', () => {
    const [single] = renderReply(page([card()], [{ label: '◀ Previous', action: 'd:7:2' }]));
    expect(single!.embeds[0]!.fields).toBeDefined();
    expect(single!.components).toHaveLength(2);
    const eleven = Array.from({ length: 11 }, (_, i) => card({ matchId: i + 1 }));
    const split = renderReply(page(eleven));
    expect(split.length).toBeGreaterThan(1);
    expect(menusOf(split.flatMap((m) => m.components))).toEqual([]);
  });
});
