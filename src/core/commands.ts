import type { DismissReason, Preferences } from './types.ts';

/** What a user asked for, whatever platform they typed or clicked it on. */
export type Command =
  | { name: 'start' }
  | { name: 'help' }
  | { name: 'jobs.list'; page: number }
  | { name: 'jobs.saved'; page: number }
  | { name: 'jobs.fetch'; query: string | null }
  | { name: 'prefs.show' }
  | { name: 'prefs.set'; changes: Partial<Preferences> }
  | { name: 'prefs.reset'; what: 'learned' }
  | { name: 'match.action'; action: MatchAction; matchId: number }
  | { name: 'match.reason'; reason: DismissReason; matchId: number }
  | { name: 'digest.page'; digestId: number; page: number }
  /** `/link`: a one-time code to enter on another platform. */
  | { name: 'link.start' }
  /** `/link CODE`: join this account to the user who asked for the code. */
  | { name: 'link.redeem'; code: string };

export const MATCH_ACTIONS = ['save', 'dismiss', 'applied', 'undo'] as const;
export type MatchAction = (typeof MATCH_ACTIONS)[number];
