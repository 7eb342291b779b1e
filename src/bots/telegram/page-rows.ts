import { decodeAction } from '../../core/actions.ts';
import type { Command } from '../../core/commands.ts';

/**
 * Buttons on a card inside a page shown as one message (a digest). Their data is the page's own
 * action and the card's, "d:45:2/m:save:123": the press acts on the card, then redraws page 2 of
 * digest 45 in place. The longest ("d:<15 digits>:<6>/r:not_relevant:<15 digits>") is 55 bytes,
 * within Telegram's 64.
 */

export interface RowAction {
  /** Shows the page again (ownership is checked there as for any page). */
  redraw: Extract<Command, { name: 'digest.page' | 'jobs.list' | 'jobs.saved' }>;
  act: Extract<Command, { name: 'match.action' | 'match.reason' }>;
}

export function rowActionId(redraw: string, action: string): string {
  return `${redraw}/${action}`;
}

/** The row action behind a button's data, or null for anything else. */
export function decodeRowAction(data: string): RowAction | null {
  const at = data.indexOf('/');
  if (at < 0) return null;
  const redraw = decodeAction(data.slice(0, at));
  const act = decodeAction(data.slice(at + 1));
  if (redraw?.name !== 'digest.page' && redraw?.name !== 'jobs.list' && redraw?.name !== 'jobs.saved')
    return null;
  if (act?.name !== 'match.action' && act?.name !== 'match.reason') return null;
  return { redraw, act };
}
