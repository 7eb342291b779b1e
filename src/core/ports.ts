import type { Card, Reply } from './reply.ts';
import type { AnalysisResult, MessageRef, NormalizedPosting, Platform, RawPosting } from './types.ts';

/**
 * Ports: the narrowest interfaces the pipeline and the bots need from the outside world. Each has
 * a real implementation (a board, OpenAI, a chat platform) and a small one for tests.
 */

/** The part of a logger we use; pino's Logger fits. */
export interface LogPort {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): LogPort;
}

/** Injected so that time-dependent behaviour can be tested with a fixed clock. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

export type FetchFn = typeof globalThis.fetch;

/** What to search for, on sources that search (query-based boards); company boards ignore it. */
export interface SourceQuery {
  /** Free text from `/jobs fetch <query>`, when given. */
  text: string | null;
  /**
   * The active users' keywords, when no text was given, ordered so that the first few serve as
   * many users as possible (boards search only the first few).
   */
  keywords: string[];
  /** The active users' locations, the one most users want first. */
  locations: string[];
}

export interface SourceContext {
  fetch: FetchFn;
  signal: AbortSignal;
  logger: LogPort;
  clock: Clock;
}

/** Credit a board asks for next to its postings (card footer), with its link. */
export interface Attribution {
  text: string;
  url: string;
}

/** One job board (or one company's board). */
export interface Source {
  /** Row id in `sources`: "sample", "greenhouse:stripe". */
  readonly id: string;
  readonly kind: string;
  readonly attribution?: Attribution;
  /** Reads the users' keywords and places from the query; other boards list everything they have. */
  readonly searches?: boolean;
  fetch(query: SourceQuery, ctx: SourceContext): AsyncIterable<RawPosting>;
}

/** Turns one posting's content into an Analysis. Never invents a result it could not get. */
export interface Analyzer {
  readonly name: 'openai' | 'heuristic';
  analyze(posting: NormalizedPosting, options: { signal: AbortSignal }): Promise<AnalysisResult>;
}

/** Where an alert is delivered: one chat account. */
export interface DeliveryTarget {
  identityId: number;
  platform: Platform;
  externalId: string;
  dmChannel: string | null;
}

/** Thrown by a messenger when the account cannot be reached (blocked the bot, left, no DM). */
export class UndeliverableError extends Error {
  override name = 'UndeliverableError';
}

/** Sends to and edits messages on one chat platform. */
export interface Messenger {
  readonly platform: Platform;
  /** Sends a direct message; returns where it landed (for later edits) and the DM channel used. */
  send(target: DeliveryTarget, reply: Reply): Promise<{ ref: MessageRef; dmChannel?: string }>;
  /** Replaces one card of a message sent earlier (state changed after a click elsewhere). */
  updateCard?(ref: MessageRef, card: Card): Promise<void>;
}
