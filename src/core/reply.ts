import type { DismissReason, MatchStatus, RemoteMode } from './types.ts';

/**
 * The platform-neutral answer to a command. Adapters render it: Block Kit in Slack, embeds and
 * components in Discord, HTML and inline keyboards in Telegram, numbered lines in the console.
 */

/** Things a user can do to a match card. `open` is a link and never reaches the server. */
export const CARD_ACTIONS = ['save', 'dismiss', 'applied', 'undo', 'open'] as const;
export type CardAction = (typeof CARD_ACTIONS)[number];

export interface Card {
  matchId: number;
  title: string;
  url: string;
  company: string;
  location: string | null;
  remote: RemoteMode;
  /** Formatted in the posting's own currency ("€65k–80k / year"), or null when not stated. */
  salary: string | null;
  score: number;
  /** Why it scored so, most important first; adapters show the first three. */
  reasons: string[];
  /** Human name of the board ("Greenhouse · Acme"). */
  source: string;
  /** Credit the board asks for ("Jobs by Adzuna"), with its link. */
  attribution: { text: string; url: string } | null;
  postedAt: Date | null;
  status: MatchStatus;
  /** Buttons to show, in order, for the card's current state. */
  actions: CardAction[];
}

/** A button under a reply (not on a card): paging, "edit preferences", … */
export interface ReplyButton {
  label: string;
  /** Encoded with `encodeAction`; adapters send it back as is. */
  action: string;
}

export interface Page {
  /** 1-based. */
  index: number;
  total: number;
  /**
   * The action that shows this page again (a digest's), so an adapter that shows the whole page
   * in one message can redraw it in place after a press on one of its cards.
   */
  redraw?: string;
}

export interface Reply {
  /** Always set: the headline, and the fallback for clients that cannot render cards. */
  text: string;
  cards?: Card[];
  buttons?: ReplyButton[];
  page?: Page;
  /**
   * Many cards in one message (a digest): adapters may show each card shorter (title, company,
   * score, salary, one reason) to stay within the platform's message limits.
   */
  compact?: boolean;
  /** Visible only to the user who asked (Slack/Discord in shared channels). */
  ephemeral?: boolean;
  /** `error` replies are short, honest, and never carry a stack trace. */
  tone?: 'info' | 'error' | 'progress';
}

export function textReply(text: string, tone: Reply['tone'] = 'info'): Reply {
  return { text, tone };
}

/** Which buttons a card in this state offers. */
export function actionsFor(status: MatchStatus): CardAction[] {
  switch (status) {
    case 'new':
      return ['save', 'dismiss', 'applied', 'open'];
    case 'saved':
      return ['applied', 'dismiss', 'undo', 'open'];
    case 'dismissed':
    case 'applied':
      return ['undo', 'open'];
  }
}

export const ACTION_LABELS: Record<CardAction, string> = {
  save: 'Save',
  dismiss: 'Dismiss',
  applied: 'Applied',
  undo: 'Undo',
  open: 'Open',
};

export const STATUS_LABELS: Record<MatchStatus, string> = {
  new: 'New',
  saved: 'Saved',
  dismissed: 'Dismissed',
  applied: 'Applied',
};

export const DISMISS_REASON_LABELS: Record<DismissReason, string> = {
  not_relevant: 'Not relevant',
  too_junior: 'Too junior',
  too_senior: 'Too senior',
  location: 'Location',
  salary: 'Salary',
  company: 'Company',
};
