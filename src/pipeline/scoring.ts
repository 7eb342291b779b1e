import { learnedAdjustments, learnedPoints, learnFrom } from '../core/learning.ts';
import { scoreMatch } from '../core/scoring.ts';
import { loadHistory } from '../db/learning.ts';
import type { Candidate, ScoredPair } from '../db/matching.ts';
import type { Db } from '../db/pool.ts';

/**
 * Scores candidates that passed the hard filters: the base score, then what each user's
 * Save/Dismiss history taught (loaded once for every user in the batch). Used by the match stage
 * and by the re-match after a preference change, so both score alike.
 */
export async function scoreCandidates(db: Db, candidates: Candidate[], now: Date): Promise<ScoredPair[]> {
  const firstOf = new Map<number, Candidate>();
  for (const c of candidates) if (!firstOf.has(c.userId)) firstOf.set(c.userId, c);
  const history = await loadHistory(db, [...firstOf.keys()]);
  const learned = new Map(
    [...history].map(([userId, items]) => {
      const c = firstOf.get(userId)!;
      return [userId, learnFrom(items, { keywords: c.keywords, currency: c.salaryCurrency })];
    }),
  );
  return candidates.map((c) => {
    const profile = learned.get(c.userId);
    const adjustments = profile
      ? learnedAdjustments(profile, {
          company: c.company,
          location: c.postingLocation,
          skills: c.skills,
          seniority: c.postingSeniority,
          pay: payInUserCurrency(c),
        })
      : [];
    const score = scoreMatch({
      ...c,
      now,
      learned: { points: learnedPoints(adjustments), reasons: adjustments.map((a) => a.reason) },
    });
    return { userId: c.userId, postingId: c.postingId, ...score };
  });
}

function payInUserCurrency(c: Candidate): number | null {
  const s = c.postingSalary?.currency === c.salaryCurrency ? c.postingSalary : c.convertedSalary;
  return s ? (s.max ?? s.min) : null;
}
