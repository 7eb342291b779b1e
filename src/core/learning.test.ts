import { describe, expect, it } from 'vitest';
import {
  describeLearned,
  type HistoryItem,
  hasLearned,
  learnedAdjustments,
  learnedPoints,
  learnFrom,
  type PostingTraits,
} from './learning.ts';
import { scoreMatch } from './scoring.ts';

const item = (over: Partial<HistoryItem>): HistoryItem => ({
  status: 'dismissed',
  reason: null,
  company: 'Acme',
  location: null,
  skills: [],
  seniority: null,
  pay: null,
  ...over,
});
const posting = (over: Partial<PostingTraits>): PostingTraits => ({
  company: 'Hooli',
  location: null,
  skills: [],
  seniority: null,
  pay: null,
  ...over,
});
const opts = { keywords: ['typescript'], currency: 'USD' };

describe('learning from Save and Dismiss', () => {
  it('a company dismissed twice costs 15 points, with its reason; once is not enough', () => {
    const once = learnFrom([item({ company: 'Initech' })], opts);
    expect(learnedAdjustments(once, posting({ company: 'Initech' }))).toEqual([]);
    const twice = learnFrom([item({ company: 'Initech' }), item({ company: 'initech' })], opts);
    expect(learnedAdjustments(twice, posting({ company: 'INITECH' }))).toEqual([
      { points: -15, reason: '−15: you dismissed 2 jobs at Initech' },
    ]);
    // The reason "company" counts at once; a saved job at the company cancels it.
    expect(learnFrom([item({ company: 'Initech', reason: 'company' })], opts).companies).toHaveLength(1);
    expect(
      learnFrom(
        [
          item({ company: 'Initech' }),
          item({ company: 'Initech' }),
          item({ company: 'Initech', status: 'saved' }),
        ],
        opts,
      ).companies,
    ).toEqual([]);
    // Dismissed for the salary or the place: the company is not the problem.
    expect(
      learnFrom(
        [item({ company: 'Initech', reason: 'salary' }), item({ company: 'Initech', reason: 'location' })],
        opts,
      ).companies,
    ).toEqual([]);
  });

  it('"too junior" and "too senior" push levels at and beyond down', () => {
    const l = learnFrom(
      [
        item({ reason: 'too_junior', seniority: 'junior' }),
        item({ reason: 'too_senior', seniority: 'principal' }),
      ],
      opts,
    );
    const points = (seniority: PostingTraits['seniority']) =>
      learnedPoints(learnedAdjustments(l, posting({ seniority })));
    expect([
      points('intern'),
      points('junior'),
      points('mid'),
      points('senior'),
      points('principal'),
      points('executive'),
    ]).toEqual([-10, -10, 0, 0, -10, -10]);
    expect(learnedAdjustments(l, posting({ seniority: 'junior' }))[0]!.reason).toBe(
      '−10: you found junior jobs too junior',
    );
  });

  it('skills dismissed again and again weigh down, saved ones up a little; asked-for keywords are left alone', () => {
    const history = [
      ...[1, 2, 3].map(() => item({ skills: ['php', 'typescript'] })),
      ...[1, 2].map(() => item({ status: 'saved', skills: ['rust'] })),
      item({ status: 'applied', skills: ['rust', 'kafka'] }),
      item({ status: 'saved', skills: ['kafka'] }),
    ];
    const l = learnFrom(history, opts);
    expect(l.skillsDown).toEqual([{ skill: 'php', dismissed: 3 }]);
    expect(l.skillsUp.map((s) => s.skill)).toEqual(['rust', 'kafka']);
    expect(learnedAdjustments(l, posting({ skills: ['php', 'typescript'] }))).toEqual([
      { points: -5, reason: '−5: you dismissed 3 jobs about php' },
    ]);
    expect(learnedAdjustments(l, posting({ skills: ['rust', 'kafka'] }))).toEqual([
      { points: 6, reason: '+6: like jobs you saved (rust, kafka)' },
    ]);
  });

  it('location and salary reasons; the total stays within −30…+10 and the score within 0–100', () => {
    const l = learnFrom(
      [
        item({ company: 'Initech', reason: 'company' }),
        item({ reason: 'too_junior', seniority: 'mid' }),
        item({ reason: 'location', location: 'Leeds' }),
        item({ reason: 'salary', pay: 90000 }),
      ],
      opts,
    );
    const worst = learnedAdjustments(
      l,
      posting({ company: 'Initech', seniority: 'junior', location: 'leeds', pay: 85000 }),
    );
    expect(worst.map((a) => a.points)).toEqual([-15, -10, -10, -10]);
    expect(learnedPoints(worst)).toBe(-30);
    expect(worst.at(-1)!.reason).toBe('−10: pays no more than jobs you dismissed for salary ($90k)');
    expect(learnedAdjustments(l, posting({ pay: 95000 }))).toEqual([]);
    const base = {
      keywords: [],
      hits: [],
      strongHits: [],
      remotePreference: 'any' as const,
      postingRemote: 'unknown' as const,
      salaryMin: null,
      salaryCurrency: 'USD',
      postingSalary: null,
      seniorityPreference: [],
      postingSeniority: null,
      postedAt: null,
      now: new Date('2025-06-02T00:00:00Z'),
    };
    const plain = scoreMatch(base);
    const penalised = scoreMatch({ ...base, learned: { points: -30, reasons: worst.map((a) => a.reason) } });
    expect(penalised.score).toBe(Math.max(0, plain.score - 30));
    expect(penalised.reasons.slice(0, 4)).toEqual(worst.map((a) => a.reason));
    expect(scoreMatch({ ...base, learned: { points: 10, reasons: [] } }).score).toBeLessThanOrEqual(100);
  });

  it('describes what it learned, and nothing when there is nothing', () => {
    expect(hasLearned(learnFrom([], opts))).toBe(false);
    const l = learnFrom(
      [item({ company: 'Initech', reason: 'company' }), item({ reason: 'too_senior', seniority: 'staff' })],
      opts,
    );
    expect(describeLearned(l)).toEqual([
      '−15 for Initech (you dismissed 2 of its jobs)',
      '−10 for staff level and above (too senior)',
    ]);
  });
});

describe('salary reasons across currencies', () => {
  it('shows the posting currency and the conversion to the user floor', () => {
    const score = scoreMatch({
      keywords: [],
      hits: [],
      strongHits: [],
      remotePreference: 'any',
      postingRemote: 'remote',
      salaryMin: 100000,
      salaryCurrency: 'USD',
      postingSalary: { min: 90000, max: 95000, currency: 'EUR' },
      convertedSalary: { min: 102273, max: 107955, currency: 'USD' },
      seniorityPreference: [],
      postingSeniority: null,
      postedAt: null,
      now: new Date('2025-06-02T00:00:00Z'),
    });
    expect(score.reasons).toContain('pays €90k–€95k/yr (≈ $102k–$108k), at or above your $100k');
  });
});
