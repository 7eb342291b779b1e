import type { RawPosting } from '../src/core/types.ts';

/**
 * Deterministic synthetic data for benchmarks: postings across boards (with a share of the same
 * jobs posted on two boards) and users with varied preferences. A seeded generator keeps every run
 * comparable.
 */

export function seeded(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SKILLS = [
  'typescript',
  'node.js',
  'python',
  'go',
  'rust',
  'java',
  'kotlin',
  'react',
  'postgresql',
  'kubernetes',
  'aws',
  'terraform',
  'swift',
  'ruby on rails',
  'php',
  'scala',
  'elixir',
  'c#',
  'graphql',
  'kafka',
];
const ROLES = [
  'Backend Engineer',
  'Frontend Engineer',
  'Full-Stack Engineer',
  'Platform Engineer',
  'Data Engineer',
  'Site Reliability Engineer',
  'Mobile Engineer',
  'Machine Learning Engineer',
  'Security Engineer',
  'QA Engineer',
];
const NON_TECH = [
  'Warehouse Associate',
  'Accountant',
  'Sales Representative',
  'Customer Support Agent',
  'Office Manager',
  'Nurse',
  'Truck Driver',
  'Chef',
];
const LEVELS = ['Junior', '', 'Senior', 'Staff', 'Lead'];
const PLACES = [
  'Berlin, Germany',
  'London, UK',
  'New York, NY',
  'San Francisco, CA',
  'Toronto, Canada',
  'Amsterdam, Netherlands',
  'Bengaluru, India',
  'Sydney, Australia',
  'Zurich, Switzerland',
  'Remote',
];
const CURRENCY: Record<string, string> = {
  Germany: 'EUR',
  UK: 'GBP',
  NY: 'USD',
  CA: 'USD',
  Canada: 'CAD',
  Netherlands: 'EUR',
  India: 'INR',
  Australia: 'AUD',
  Switzerland: 'CHF',
  Remote: 'USD',
};

const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

export interface Scenario {
  boards: Map<string, RawPosting[]>;
  uniquePostings: number;
  totalPostings: number;
}

/** `postings` unique jobs over `boards` boards; `duplicateShare` of them also appear on a second board. */
export function generatePostings(options: {
  postings: number;
  boards: number;
  duplicateShare: number;
  seed?: number;
}): Scenario {
  const rand = seeded(options.seed ?? 42);
  const boards = new Map<string, RawPosting[]>();
  for (let b = 0; b < options.boards; b++) boards.set(`memory:board${b}`, []);
  const ids = [...boards.keys()];
  let total = 0;
  for (let i = 0; i < options.postings; i++) {
    const tech = rand() < 0.8;
    const level = pick(rand, LEVELS);
    const title = tech ? `${level} ${pick(rand, ROLES)}`.trim() : pick(rand, NON_TECH);
    const skills = tech ? [pick(rand, SKILLS), pick(rand, SKILLS), pick(rand, SKILLS)] : [];
    const place = pick(rand, PLACES);
    const currency = CURRENCY[place.split(', ').at(-1)!] ?? 'USD';
    const base = Math.round((40 + rand() * 160) * 1000);
    const posting: RawPosting = {
      externalId: `job-${i}`,
      title: skills[0] && rand() < 0.5 ? `${title} (${skills[0]})` : title,
      company: `Company ${Math.floor((rand() * options.postings) / 4)}`,
      url: `https://jobs.example/${i}`,
      location: place,
      remote: place === 'Remote' ? 'remote' : rand() < 0.3 ? 'hybrid' : 'onsite',
      description: `<p>We are hiring a ${title}.</p><ul>${skills.map((s) => `<li>Experience with ${s}</li>`).join('')}</ul><p>${'We value ownership, clear writing and kind reviews. '.repeat(8)}</p>`,
      descriptionFormat: 'html',
      salary: rand() < 0.7 ? { min: base, max: Math.round(base * 1.2), currency, interval: 'year' } : null,
      postedAt: new Date(Date.UTC(2026, 10, 1 + Math.floor(rand() * 28))).toISOString(),
      tags: skills,
    };
    const home = pick(rand, ids);
    boards.get(home)!.push(posting);
    total++;
    if (rand() < options.duplicateShare && ids.length > 1) {
      const other = ids.find((id) => id !== home)!;
      boards.get(other)!.push({ ...posting, externalId: `dup-${i}`, url: `https://other.example/${i}` });
      total++;
    }
  }
  return { boards, uniquePostings: options.postings, totalPostings: total };
}

export interface GeneratedUser {
  keywords: string[];
  remote: string;
  salaryMin: number | null;
  currency: string;
}

/** Users whose keywords come from a narrower pool than the postings', so some postings interest nobody. */
export function generateUsers(count: number, seed = 7): GeneratedUser[] {
  const rand = seeded(seed);
  const pool = ['typescript', 'node', 'python', 'go', 'rust', 'react', 'kubernetes', 'postgresql'];
  return Array.from({ length: count }, () => ({
    keywords: [...new Set([pick(rand, pool), pick(rand, pool)])],
    remote: pick(rand, ['any', 'remote', 'remote_or_hybrid', 'any']),
    salaryMin: rand() < 0.5 ? Math.round(60 + rand() * 100) * 1000 : null,
    currency: 'USD',
  }));
}
