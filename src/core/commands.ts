import type { Preferences } from './types.ts';

/** What a user asked for, whatever platform they typed or clicked it on. */
export type Command =
  | { name: 'start' }
  | { name: 'help' }
  | { name: 'jobs.list'; page: number }
  | { name: 'jobs.saved'; page: number }
  | { name: 'jobs.fetch'; query: string | null }
  | { name: 'prefs.show' }
  | { name: 'prefs.set'; changes: Partial<Preferences> }
  | { name: 'match.action'; action: MatchAction; matchId: number };

export const MATCH_ACTIONS = ['save', 'dismiss', 'applied', 'undo'] as const;
export type MatchAction = (typeof MATCH_ACTIONS)[number];
