import { type Command, MATCH_ACTIONS, type MatchAction } from './commands.ts';

/**
 * Button payloads, short enough for every platform (Telegram callback data ≤ 64 bytes, Discord
 * custom ids ≤ 100 characters): "m:save:123", "p:jobs:2", "p:saved:3".
 */

export function matchActionId(action: MatchAction, matchId: number): string {
  return `m:${action}:${matchId}`;
}

export function pageActionId(list: 'jobs' | 'saved', page: number): string {
  return `p:${list}:${page}`;
}

/** The command a button stands for, or null for anything we did not issue. */
export function decodeAction(id: string): Command | null {
  const [kind, a, b] = id.split(':');
  if (kind === 'm' && MATCH_ACTIONS.includes(a as MatchAction) && /^\d{1,15}$/.test(b ?? '')) {
    return { name: 'match.action', action: a as MatchAction, matchId: Number(b) };
  }
  if (kind === 'p' && (a === 'jobs' || a === 'saved') && /^\d{1,6}$/.test(b ?? '')) {
    return { name: a === 'jobs' ? 'jobs.list' : 'jobs.saved', page: Math.max(1, Number(b)) };
  }
  return null;
}
