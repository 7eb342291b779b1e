import type { AnnualSalary, RemoteMode, RemotePreference, Seniority } from './types.ts';

/** A score change learned from the user's clicks (see `learning.ts`), with its reason line. */
export interface ScoreAdjustment {
  points: number;
  reason: string;
}

/**
 * The 0–100 score of a (user, posting) pair that passed the hard filters, with the reasons that
 * moved it, most important first. Pure and deterministic: the clock is an argument.
 *
 * Weights: keywords 50 (title/skills hits count fully, description-only hits a third), salary 20,
 * remote fit 15, seniority 10, freshness 5; then what was learned from the user's Save/Dismiss
 * history (at most −30…+10), the total kept within 0–100.
 */

export interface ScoreInput {
  keywords: string[];
  hits: string[];
  strongHits: string[];
  remotePreference: RemotePreference;
  postingRemote: RemoteMode;
  salaryMin: number | null;
  salaryCurrency: string;
  postingSalary: AnnualSalary | null;
  /** The posting's yearly pay in the user's currency, when the currencies differ and both rates are known. */
  convertedSalary?: AnnualSalary | null;
  seniorityPreference: Seniority[];
  postingSeniority: Seniority | null;
  postedAt: Date | null;
  now: Date;
  /** Already bounded by the caller (`learnedPoints`). */
  learned?: { points: number; reasons: string[] };
}

export interface Score {
  score: number;
  reasons: string[];
}

const DAY = 86_400_000;

export function compactMoney(amount: number, currency: string): string {
  const symbol: Record<string, string> = {
    USD: '$',
    EUR: '€',
    GBP: '£',
    INR: '₹',
    CAD: 'CA$',
    AUD: 'A$',
    CHF: 'CHF ',
  };
  const s = symbol[currency] ?? `${currency} `;
  if (amount >= 1_000_000) return `${s}${(amount / 1_000_000).toFixed(amount % 1_000_000 === 0 ? 0 : 1)}M`;
  if (amount >= 1000) return `${s}${Math.round(amount / 1000)}k`;
  return `${s}${Math.round(amount)}`;
}

function keywordPart(input: ScoreInput): { points: number; reason: string | null } {
  if (input.keywords.length === 0) return { points: 25, reason: null };
  const strong = new Set(input.strongHits);
  const weak = input.hits.filter((h) => !strong.has(h));
  const wanted = Math.min(input.keywords.length, 3);
  const coverage = Math.min(1, (strong.size + weak.length / 3) / wanted);
  const points = Math.round(10 + 40 * coverage);
  const reason =
    strong.size > 0
      ? `title/skills: ${[...strong].join(', ')}${weak.length ? ` (+ ${weak.join(', ')} in text)` : ''}`
      : `mentions ${weak.join(', ')} in the description`;
  return { points, reason };
}

function salaryPart(input: ScoreInput): { points: number; reason: string } {
  const s = input.postingSalary;
  const top = s ? (s.max ?? s.min) : null;
  if (!s || top === null) return { points: 5, reason: 'salary not stated' };
  const range =
    s.min !== null && s.max !== null && s.min !== s.max
      ? `${compactMoney(s.min, s.currency)}–${compactMoney(s.max, s.currency)}`
      : compactMoney(top, s.currency);
  const converted = s.currency !== input.salaryCurrency ? convertedRange(input.convertedSalary) : null;
  const pays = converted ? `pays ${range}/yr (≈ ${converted})` : `pays ${range}/yr`;
  if (input.salaryMin === null) return { points: 14, reason: pays };
  if (s.currency !== input.salaryCurrency && !converted)
    return { points: 10, reason: `${pays} (not compared with your ${input.salaryCurrency} floor)` };
  return {
    points: 20,
    reason: `${pays}, at or above your ${compactMoney(input.salaryMin, input.salaryCurrency)}`,
  };
}

function convertedRange(s: AnnualSalary | null | undefined): string | null {
  if (!s) return null;
  const top = s.max ?? s.min;
  if (top === null) return null;
  return s.min !== null && s.max !== null && Math.round(s.min / 1000) !== Math.round(s.max / 1000)
    ? `${compactMoney(s.min, s.currency)}–${compactMoney(s.max, s.currency)}`
    : compactMoney(top, s.currency);
}

function remotePart(input: ScoreInput): { points: number; reason: string | null } {
  const r = input.postingRemote;
  const label = r === 'onsite' ? 'on-site' : r;
  if (input.remotePreference === 'any')
    return { points: r === 'unknown' ? 6 : 9, reason: r === 'unknown' ? null : label };
  return { points: 15, reason: `${label}, as you asked` };
}

function seniorityPart(input: ScoreInput): { points: number; reason: string | null } {
  if (!input.postingSeniority) return { points: 4, reason: null };
  if (input.seniorityPreference.length === 0) return { points: 6, reason: null };
  return { points: 10, reason: `${input.postingSeniority} level fits` };
}

function freshnessPart(input: ScoreInput): { points: number; reason: string | null } {
  if (!input.postedAt) return { points: 2, reason: null };
  const days = Math.floor((input.now.getTime() - input.postedAt.getTime()) / DAY);
  if (days <= 3) return { points: 5, reason: days <= 0 ? 'posted today' : `posted ${days}d ago` };
  if (days <= 14) return { points: 3, reason: null };
  return { points: 1, reason: `posted ${days}d ago` };
}

export function scoreMatch(input: ScoreInput): Score {
  const parts = [
    keywordPart(input),
    salaryPart(input),
    remotePart(input),
    seniorityPart(input),
    freshnessPart(input),
  ];
  const base = parts.reduce((sum, p) => sum + p.points, 0);
  const score = Math.max(0, Math.min(100, base + (input.learned?.points ?? 0)));
  const reasons = parts.map((p) => p.reason).filter((r): r is string => r !== null);
  // What was learned goes right after the keyword reason: adapters show the first three lines.
  const at = parts[0]!.reason === null ? 0 : 1;
  reasons.splice(at, 0, ...(input.learned?.reasons ?? []));
  return { score, reasons };
}
