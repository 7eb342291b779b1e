/** Reading Block Kit messages back as a user sees them, and Slack's limits on them. */

type AnyBlock = Record<string, unknown> & { type: string; block_id?: string };

/** A block as tests read it back from a recorded call. */
export interface LooseBlock {
  type: string;
  block_id?: string;
  text: { text: string };
  accessory: unknown;
  element: { initial_value?: string; initial_option: { value: string } };
}
interface ButtonLike {
  action_id: string;
  text: { text: string };
  value?: string;
  url?: string;
}

export interface CardInMessage {
  matchId: number;
  text: string;
  source: string;
  buttons: ButtonLike[];
}

/** The job cards of a Block Kit message, as a user sees them. */
export function cardsIn(blocks: unknown): CardInMessage[] {
  const list = (blocks ?? []) as AnyBlock[];
  const cards: CardInMessage[] = [];
  for (const block of list) {
    const m = /^card:(\d+):main$/.exec(block.block_id ?? '');
    if (!m) continue;
    const id = Number(m[1]);
    const source = list.find((b) => b.block_id === `card:${id}:source`) as unknown as {
      elements: { text: string }[];
    };
    const actions = list.find((b) => b.block_id === `card:${id}:actions`) as unknown as {
      elements: ButtonLike[];
    };
    cards.push({
      matchId: id,
      text: (block as unknown as { text: { text: string } }).text.text,
      source: source.elements.map((e) => e.text).join(' '),
      buttons: actions.elements,
    });
  }
  return cards;
}

export function buttonLabels(card: CardInMessage): string[] {
  return card.buttons.map((b) => b.text.text);
}

/** Slack refuses messages over these limits; every message JobPing sends must keep them. */
export function expectWithinBlockKitLimits(
  message: { text?: unknown; blocks?: unknown },
  maxBlocks = 50,
): void {
  if (typeof message.text !== 'string' || message.text.length === 0) throw new Error('no fallback text');
  const blocks = (message.blocks ?? []) as AnyBlock[];
  if (blocks.length > maxBlocks) throw new Error(`${blocks.length} blocks (max ${maxBlocks})`);
  const ids = blocks.map((b) => b.block_id).filter(Boolean);
  if (new Set(ids).size !== ids.length) throw new Error('duplicate block_id');
  for (const block of blocks) {
    const text = (block.text as { text?: string } | undefined)?.text ?? '';
    if (text.length > 3000) throw new Error(`section text of ${text.length} characters`);
    for (const el of (block.elements ?? []) as Record<string, unknown>[]) {
      if (el.type === 'button') {
        const b = el as unknown as ButtonLike;
        if (b.text.text.length > 75) throw new Error(`button text "${b.text.text}" too long`);
        if ((b.value ?? '').length > 2000) throw new Error('button value over 2000 characters');
        if (b.action_id.length > 255) throw new Error('action_id over 255 characters');
      } else if (typeof el.text === 'string' && el.text.length > 3000) {
        throw new Error('context text over 3000 characters');
      }
    }
  }
}
