import { compactMoney } from './scoring.ts';
import type { DismissReason, Seniority } from './types.ts';

/**
 * What a user's Save / Dismiss history says about the jobs they want, as a few explainable
 * score adjustments. Pure: the match stage loads the history set-based for a whole batch of
 * users and applies `learnedAdjustments` to each candidate.
 *
 * Rules (each one a reason line on the card):
 * - a company dismissed twice (or once with the reason "company") and never saved: −15;
 * - a skill in at least 3 more dismissed jobs than saved ones: −5 (two skills at most);
 * - "too junior" / "too senior": −10 for jobs at or below / at or above that level;
 * - "location": −10 for jobs in that place; "salary": −10 for jobs paying no more;
 * - a skill in 2 or more saved or applied jobs: +3 (two skills at most).
 * Skills the user asked for as keywords are left out: they asked for them. All together stay
 * within −30…+10, and the score within 0–100.
 */

export interface HistoryItem {
  status: 'saved' | 'applied' | 'dismissed';
  reason: DismissReason | null;
  company: string;
  location: string | null;
  skills: string[];
  seniority: Seniority | null;
  /** Top of the yearly pay range in the user's currency, when known. */
  pay: number | null;
}

export interface PostingTraits {
  company: string;
  location: string | null;
  skills: string[];
  seniority: Seniority | null;
  /** Top of the yearly pay range in the user's currency, when known. */
  pay: number | null;
}

export interface Learned {
  companies: { name: string; dismissed: number }[];
  skillsDown: { skill: string; dismissed: number }[];
  skillsUp: { skill: string; saved: number }[];
  tooJunior: Seniority | null;
  tooSenior: Seniority | null;
  locations: string[];
  /** Pay at or below this (user's currency) was dismissed for salary. */
  payAtOrBelow: number | null;
  currency: string;
}

export interface Adjustment {
  points: number;
  reason: string;
}

export const COMPANY_PENALTY = -15;
const SKILL_PENALTY = -5;
const SKILL_BOOST = 3;
const LEVEL_PENALTY = -10;
const LOCATION_PENALTY = -10;
const PAY_PENALTY = -10;
const MIN_TOTAL = -30;
const MAX_TOTAL = 10;

const RANK: Record<Seniority, number> = {
  intern: 0,
  junior: 1,
  mid: 2,
  senior: 3,
  staff: 4,
  lead: 4,
  manager: 4,
  principal: 5,
  executive: 6,
};

const key = (s: string) => s.trim().toLowerCase();
const count = <K>(map: Map<K, number>, k: K, n = 1) => map.set(k, (map.get(k) ?? 0) + n);

function companiesOf(history: HistoryItem[]): Learned['companies'] {
  const weight = new Map<string, number>();
  const names = new Map<string, string>();
  const saved = new Set<string>();
  for (const h of history) {
    const k = key(h.company);
    if (!names.has(k)) names.set(k, h.company);
    if (h.status !== 'dismissed') saved.add(k);
    else if (h.reason === 'company') count(weight, k, 2);
    else if (h.reason === null || h.reason === 'not_relevant') count(weight, k);
  }
  return [...weight]
    .filter(([k, w]) => w >= 2 && !saved.has(k))
    .map(([k, w]) => ({ name: names.get(k)!, dismissed: w }));
}

function skillsOf(history: HistoryItem[], keywords: Set<string>) {
  const dismissed = new Map<string, number>();
  const saved = new Map<string, number>();
  for (const h of history) {
    const generic = h.status === 'dismissed' && (h.reason === null || h.reason === 'not_relevant');
    for (const s of new Set(h.skills)) {
      if (keywords.has(s)) continue;
      if (h.status !== 'dismissed') count(saved, s);
      else if (generic) count(dismissed, s);
    }
  }
  const byCount = (a: [string, number], b: [string, number]) => b[1] - a[1] || a[0].localeCompare(b[0]);
  const down = [...dismissed]
    .filter(([s, n]) => n - (saved.get(s) ?? 0) >= 3)
    .sort(byCount)
    .map(([skill, n]) => ({ skill, dismissed: n }));
  const downSet = new Set(down.map((d) => d.skill));
  const up = [...saved]
    .filter(([s, n]) => n >= 2 && !downSet.has(s))
    .sort(byCount)
    .map(([skill, n]) => ({ skill, saved: n }));
  return { down, up };
}

function levelOf(history: HistoryItem[], reason: 'too_junior' | 'too_senior'): Seniority | null {
  const levels = history
    .filter((h) => h.status === 'dismissed' && h.reason === reason && h.seniority)
    .map((h) => h.seniority!);
  if (levels.length === 0) return null;
  const pick = reason === 'too_junior' ? Math.max : Math.min;
  const rank = pick(...levels.map((l) => RANK[l]));
  return levels.find((l) => RANK[l] === rank)!;
}

export function learnFrom(
  history: HistoryItem[],
  options: { keywords: string[]; currency: string },
): Learned {
  const skills = skillsOf(history, new Set(options.keywords));
  const dismissedFor = (reason: DismissReason) =>
    history.filter((h) => h.status === 'dismissed' && h.reason === reason);
  const pays = dismissedFor('salary')
    .map((h) => h.pay)
    .filter((p): p is number => p !== null);
  return {
    companies: companiesOf(history),
    skillsDown: skills.down,
    skillsUp: skills.up,
    tooJunior: levelOf(history, 'too_junior'),
    tooSenior: levelOf(history, 'too_senior'),
    locations: [
      ...new Set(
        dismissedFor('location')
          .map((h) => h.location)
          .filter((l): l is string => !!l),
      ),
    ],
    payAtOrBelow: pays.length ? Math.max(...pays) : null,
    currency: options.currency,
  };
}

const minus = (n: number) => (n < 0 ? `−${-n}` : `+${n}`);

/** The adjustments that apply to one posting, biggest first; their sum stays within −30…+10. */
export function learnedAdjustments(learned: Learned, posting: PostingTraits): Adjustment[] {
  const out: Adjustment[] = [];
  const company = learned.companies.find((c) => key(c.name) === key(posting.company));
  if (company)
    out.push({
      points: COMPANY_PENALTY,
      reason: `${minus(COMPANY_PENALTY)}: you dismissed ${company.dismissed} jobs at ${company.name}`,
    });
  const skills = new Set(posting.skills);
  for (const s of learned.skillsDown.filter((d) => skills.has(d.skill)).slice(0, 2))
    out.push({
      points: SKILL_PENALTY,
      reason: `${minus(SKILL_PENALTY)}: you dismissed ${s.dismissed} jobs about ${s.skill}`,
    });
  const level = posting.seniority ? RANK[posting.seniority] : null;
  if (level !== null && learned.tooJunior && level <= RANK[learned.tooJunior])
    out.push({
      points: LEVEL_PENALTY,
      reason: `${minus(LEVEL_PENALTY)}: you found ${learned.tooJunior} jobs too junior`,
    });
  if (level !== null && learned.tooSenior && level >= RANK[learned.tooSenior])
    out.push({
      points: LEVEL_PENALTY,
      reason: `${minus(LEVEL_PENALTY)}: you found ${learned.tooSenior} jobs too senior`,
    });
  const place = posting.location ? key(posting.location) : null;
  const location = place ? learned.locations.find((l) => key(l) === place) : undefined;
  if (location)
    out.push({
      points: LOCATION_PENALTY,
      reason: `${minus(LOCATION_PENALTY)}: you dismissed jobs in ${location}`,
    });
  if (learned.payAtOrBelow !== null && posting.pay !== null && posting.pay <= learned.payAtOrBelow)
    out.push({
      points: PAY_PENALTY,
      reason: `${minus(PAY_PENALTY)}: pays no more than jobs you dismissed for salary (${compactMoney(learned.payAtOrBelow, learned.currency)})`,
    });
  const liked = learned.skillsUp.filter((u) => skills.has(u.skill)).slice(0, 2);
  if (liked.length)
    out.push({
      points: SKILL_BOOST * liked.length,
      reason: `${minus(SKILL_BOOST * liked.length)}: like jobs you saved (${liked.map((l) => l.skill).join(', ')})`,
    });
  return out.sort((a, b) => Math.abs(b.points) - Math.abs(a.points));
}

/** The sum of adjustments, kept within the bounds that keep a score explainable. */
export function learnedPoints(adjustments: Adjustment[]): number {
  const sum = adjustments.reduce((s, a) => s + a.points, 0);
  return Math.max(MIN_TOTAL, Math.min(MAX_TOTAL, sum));
}

export function hasLearned(l: Learned): boolean {
  return (
    l.companies.length + l.skillsDown.length + l.skillsUp.length + l.locations.length > 0 ||
    l.tooJunior !== null ||
    l.tooSenior !== null ||
    l.payAtOrBelow !== null
  );
}

/** What was learned, one line each, for /prefs. */
export function describeLearned(l: Learned): string[] {
  const lines: string[] = [];
  for (const c of l.companies)
    lines.push(`${minus(COMPANY_PENALTY)} for ${c.name} (you dismissed ${c.dismissed} of its jobs)`);
  for (const s of l.skillsDown)
    lines.push(`${minus(SKILL_PENALTY)} for jobs about ${s.skill} (dismissed ${s.dismissed})`);
  if (l.tooJunior) lines.push(`${minus(LEVEL_PENALTY)} for ${l.tooJunior} level and below (too junior)`);
  if (l.tooSenior) lines.push(`${minus(LEVEL_PENALTY)} for ${l.tooSenior} level and above (too senior)`);
  for (const loc of l.locations) lines.push(`${minus(LOCATION_PENALTY)} for jobs in ${loc}`);
  if (l.payAtOrBelow !== null)
    lines.push(
      `${minus(PAY_PENALTY)} for jobs paying ${compactMoney(l.payAtOrBelow, l.currency)} or less a year`,
    );
  for (const s of l.skillsUp)
    lines.push(`${minus(SKILL_BOOST)} for jobs about ${s.skill} (saved ${s.saved})`);
  return lines;
}
