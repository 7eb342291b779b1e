import { type Command, MATCH_ACTIONS, type MatchAction } from './commands.ts';
import { DISMISS_REASONS, type DismissReason } from './types.ts';

/**
 * Button payloads, short enough for every platform (Telegram callback data ≤ 64 bytes, Discord
 * custom ids ≤ 100 characters): "m:save:123", "p:jobs:2", "p:saved:3", "r:too_junior:123"
 * (why a job was dismissed), "d:45:2" (page 2 of digest 45). The longest is under 40 bytes.
 */

export function matchActionId(action: MatchAction, matchId: number): string {
  return `m:${action}:${matchId}`;
}

export function pageActionId(list: 'jobs' | 'saved', page: number): string {
  return `p:${list}:${page}`;
}

export function reasonActionId(reason: DismissReason, matchId: number): string {
  return `r:${reason}:${matchId}`;
}

export function digestPageActionId(digestId: number, page: number): string {
  return `d:${digestId}:${page}`;
}

const ID = /^\d{1,15}$/;
const PAGE = /^\d{1,6}$/;

/** The command a button stands for, or null for anything we did not issue. */
export function decodeAction(id: string): Command | null {
  const [kind, a, b] = id.split(':');
  if (kind === 'm' && MATCH_ACTIONS.includes(a as MatchAction) && ID.test(b ?? '')) {
    return { name: 'match.action', action: a as MatchAction, matchId: Number(b) };
  }
  if (kind === 'p' && (a === 'jobs' || a === 'saved') && PAGE.test(b ?? '')) {
    return { name: a === 'jobs' ? 'jobs.list' : 'jobs.saved', page: Math.max(1, Number(b)) };
  }
  if (kind === 'r' && DISMISS_REASONS.includes(a as DismissReason) && ID.test(b ?? '')) {
    return { name: 'match.reason', reason: a as DismissReason, matchId: Number(b) };
  }
  if (kind === 'd' && ID.test(a ?? '') && PAGE.test(b ?? '')) {
    return { name: 'digest.page', digestId: Number(a), page: Math.max(1, Number(b)) };
  }
  return null;
}
