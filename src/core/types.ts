/**
 * Domain types shared by every part of JobPing. Nothing here knows about a database, a queue or a
 * chat platform.
 */

export const PLATFORMS = ['console', 'slack', 'discord', 'telegram'] as const;
export type Platform = (typeof PLATFORMS)[number];

export const REMOTE_MODES = ['remote', 'hybrid', 'onsite', 'unknown'] as const;
export type RemoteMode = (typeof REMOTE_MODES)[number];

export const SALARY_INTERVALS = ['hour', 'day', 'week', 'month', 'year'] as const;
export type SalaryInterval = (typeof SALARY_INTERVALS)[number];

export const SENIORITIES = [
  'intern',
  'junior',
  'mid',
  'senior',
  'staff',
  'principal',
  'lead',
  'manager',
  'executive',
] as const;
export type Seniority = (typeof SENIORITIES)[number];

/** Currencies whose salaries we parse from text and compare. */
export const CURRENCIES = ['USD', 'EUR', 'GBP', 'CAD', 'AUD', 'INR', 'CHF'] as const;

export interface Salary {
  min: number | null;
  max: number | null;
  /** ISO 4217 code. */
  currency: string;
  interval: SalaryInterval;
}

/** A salary range converted to a yearly amount, same currency. */
export interface AnnualSalary {
  min: number | null;
  max: number | null;
  currency: string;
}

/**
 * What a source adapter yields: the board's posting in a common shape, not yet trusted.
 * The fetch stage validates it with zod and normalises it; an invalid one is skipped and counted.
 */
export interface RawPosting {
  /** Stable id on the board (never derived from anything process-specific). */
  externalId: string;
  title: string;
  company: string;
  url: string;
  location?: string | null;
  /** The board's own remote flag, when it has one. */
  remote?: RemoteMode | boolean | null;
  description?: string | null;
  /** `html` descriptions are turned into plain text; `text` ones are kept as they are. */
  descriptionFormat?: 'html' | 'text';
  /** Structured salary as the board gives it (strings allowed: some boards send "3750"). */
  salary?: {
    min?: number | string | null;
    max?: number | string | null;
    currency?: string | null;
    interval?: string | null;
  } | null;
  /** Free-text salary ("€65k–80k per year"), parsed when no structured salary is given. */
  salaryText?: string | null;
  /** ISO 8601 string, epoch seconds/milliseconds, or a Date. */
  postedAt?: string | number | Date | null;
  tags?: string[];
  /**
   * Title, company and location are only the adapter's guesses from free text (a Hacker News
   * comment): the analyzer's reading of the text replaces them when it has one.
   */
  freeText?: boolean;
  /**
   * The fields cannot tell this posting from another (a prose post with no title, and perhaps no
   * company, to read): it is only ever the same job as itself, never folded by company and title.
   */
  identifiedByUrlOnly?: boolean;
}

/** A posting after validation and normalisation, ready to be stored. */
export interface NormalizedPosting {
  externalId: string;
  title: string;
  company: string;
  location: string | null;
  remote: RemoteMode;
  salary: Salary | null;
  postedAt: Date | null;
  url: string;
  /** Plain text; HTML, scripts and styles removed. */
  description: string;
  tags: string[];
  /** Title, company and location are guesses from free text (see `RawPosting.freeText`). */
  freeText: boolean;
  /** Normalised company + title + location; shared by the same job on two boards and by reposts. */
  dedupKey: string;
  /** sha-256 of everything that, when changed, needs a new analysis. */
  contentHash: string;
}

export interface Posting extends NormalizedPosting {
  id: number;
  sourceId: string;
  canonicalId: number | null;
  firstSeenAt: Date;
  lastSeenAt: Date;
  closedAt: Date | null;
}

/** What the analyzer says about one posting content; the same shape whichever analyzer ran. */
export interface Analysis {
  seniority: Seniority | null;
  /** Lower-case skill names ("typescript", "postgresql"). */
  skills: string[];
  remotePolicy: RemoteMode;
  salaryAnnual: AnnualSalary | null;
  visaSponsorship: boolean | null;
  relocation: boolean | null;
  /** One line, at most 200 characters. */
  summary: string;
  /**
   * The job title, company and place as read from the text by the model (null from the heuristic
   * analyzer, or when the text does not say). Used only for free-text postings, in place of the
   * adapter's guesses.
   */
  title: string | null;
  company: string | null;
  location: string | null;
}

export type AnalyzerName = 'openai' | 'heuristic';

export interface TokenUsage {
  inputTokens: number;
  cachedTokens: number;
  outputTokens: number;
}

export interface AnalysisResult {
  analysis: Analysis;
  analyzer: AnalyzerName;
  model: string | null;
  usage: TokenUsage | null;
}

export const REMOTE_PREFERENCES = ['any', 'remote', 'hybrid', 'onsite', 'remote_or_hybrid'] as const;
export type RemotePreference = (typeof REMOTE_PREFERENCES)[number];

export const ALERT_MODES = ['instant', 'digest', 'off'] as const;
export type AlertMode = (typeof ALERT_MODES)[number];

export interface Preferences {
  /** Normalised search terms (see `terms.ts`): a posting must mention at least one, when any are set. */
  keywords: string[];
  /** Normalised terms that rule a posting out when its title or skills mention them. */
  excludedWords: string[];
  /** Lower-case place names; on-site and hybrid postings must be in one of them, when any are set. */
  locations: string[];
  remote: RemotePreference;
  /** Yearly floor in `salaryCurrency`; postings that state a lower maximum are filtered out. */
  salaryMin: number | null;
  salaryCurrency: string;
  seniority: Seniority[];
  /** Lower-case company names. */
  blockedCompanies: string[];
  alertMode: AlertMode;
  /** Instant alerts go out for matches scoring at least this; digests list matches from it up. */
  alertThreshold: number;
  /** IANA zone every local time below is in. */
  timeZone: string;
  /** Local "HH:MM" when the daily digest goes out. */
  digestTime: string;
  digestDays: 'daily' | 'weekdays';
  /** Local "HH:MM" window without messages (may wrap midnight); both null: none. */
  quietStart: string | null;
  quietEnd: string | null;
  /** Instant alerts per local day at most; the rest wait for the digest. Null: no cap. */
  dailyCap: number | null;
  /** Where alerts go among the user's linked accounts; null: the one used last. */
  alertPlatform: Platform | null;
}

export const DEFAULT_PREFERENCES: Preferences = {
  keywords: [],
  excludedWords: [],
  locations: [],
  remote: 'any',
  salaryMin: null,
  salaryCurrency: 'USD',
  seniority: [],
  blockedCompanies: [],
  alertMode: 'instant',
  alertThreshold: 70,
  timeZone: 'UTC',
  digestTime: '08:00',
  digestDays: 'daily',
  quietStart: null,
  quietEnd: null,
  dailyCap: null,
  alertPlatform: null,
};

export const DISMISS_REASONS = [
  'not_relevant',
  'too_junior',
  'too_senior',
  'location',
  'salary',
  'company',
] as const;
export type DismissReason = (typeof DISMISS_REASONS)[number];

export const MATCH_STATUSES = ['new', 'saved', 'dismissed', 'applied'] as const;
export type MatchStatus = (typeof MATCH_STATUSES)[number];

export interface Match {
  id: number;
  userId: number;
  postingId: number;
  score: number;
  reasons: string[];
  status: MatchStatus;
  previousStatus: MatchStatus | null;
  /** Why the user dismissed it, when they said (learning from clicks). */
  dismissReason: DismissReason | null;
  createdAt: Date;
}

export const DELIVERY_STATUSES = [
  'pending',
  'sending',
  'sent',
  'failed',
  'undeliverable',
  'skipped',
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** An instant alert, a match listed in a digest, or a change message about a saved job. */
export const DELIVERY_KINDS = ['alert', 'digest', 'change'] as const;
export type DeliveryKind = (typeof DELIVERY_KINDS)[number];

/** What changed about a saved job, for a change message. */
export type JobChange =
  | { kind: 'salary'; from: string | null; to: string | null }
  | { kind: 'closed' }
  | { kind: 'reposted'; url: string; sourceId: string };

export interface Delivery {
  id: number;
  kind: DeliveryKind;
  matchId: number;
  platform: Platform;
  identityId: number | null;
  status: DeliveryStatus;
  messageRef: MessageRef | null;
  attempts: number;
}

/** Where a sent message lives on its platform, so it can be edited later. */
export type MessageRef = Record<string, string>;

/** A chat account as an adapter sees it. */
export interface Actor {
  platform: Platform;
  /** Slack: "TEAM:USER"; Discord: user id; Telegram: user id; console: the OS user. */
  externalId: string;
  displayName?: string | null;
  /** Where a direct message reaches this account, when the adapter knows. */
  dmChannel?: string | null;
}

/** A match with what a card shows of its posting. */
export interface MatchDetails extends Omit<Match, 'createdAt'> {
  title: string;
  company: string;
  location: string | null;
  remote: RemoteMode;
  salary: Salary | null;
  url: string;
  postedAt: Date | null;
  sourceId: string;
  summary: string | null;
}
