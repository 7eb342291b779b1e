import type { RawPosting } from '../src/core/types.ts';

/**
 * Deterministic synthetic data for benchmarks: postings across boards (with a share of the same
 * jobs posted on two boards) and users with the kind of preferences people set. A seeded
 * generator keeps every run comparable. Popular skills and places come up more often (a skewed
 * pick), as they do on real boards.
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

// Most popular first: `skewed` picks early entries more often.
const SKILLS = (
  'python,typescript,javascript,react,aws,java,node.js,sql,kubernetes,go,docker,postgresql,' +
  'terraform,c#,kotlin,azure,gcp,rust,swift,graphql,kafka,spark,scala,ruby on rails,php,vue,' +
  'angular,django,flask,spring,redis,elasticsearch,airflow,snowflake,dbt,pytorch,tensorflow,' +
  'elixir,haskell,c++'
).split(',');
const ROLES = [
  ['Backend Engineer', 'backend'],
  ['Frontend Engineer', 'frontend'],
  ['Full-Stack Engineer', 'full stack'],
  ['Platform Engineer', 'platform'],
  ['Data Engineer', 'data engineer'],
  ['Site Reliability Engineer', 'sre'],
  ['Mobile Engineer', 'mobile'],
  ['Machine Learning Engineer', 'machine learning'],
  ['Security Engineer', 'security'],
  ['DevOps Engineer', 'devops'],
  ['QA Engineer', 'qa'],
] as const;
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
const LEVELS = [
  ['', null],
  ['Senior', 'senior'],
  ['Junior', 'junior'],
  ['Staff', 'staff'],
  ['Lead', 'lead'],
  ['Principal', 'principal'],
] as const;
// City, country, currency; most popular first.
const CITIES = [
  ['New York, NY', 'USD'],
  ['San Francisco, CA', 'USD'],
  ['London, UK', 'GBP'],
  ['Berlin, Germany', 'EUR'],
  ['Seattle, WA', 'USD'],
  ['Toronto, Canada', 'CAD'],
  ['Austin, TX', 'USD'],
  ['Amsterdam, Netherlands', 'EUR'],
  ['Bengaluru, India', 'INR'],
  ['Boston, MA', 'USD'],
  ['Paris, France', 'EUR'],
  ['Munich, Germany', 'EUR'],
  ['Chicago, IL', 'USD'],
  ['Dublin, Ireland', 'EUR'],
  ['Sydney, Australia', 'AUD'],
  ['Zurich, Switzerland', 'CHF'],
  ['Stockholm, Sweden', 'EUR'],
  ['Barcelona, Spain', 'EUR'],
  ['Denver, CO', 'USD'],
  ['Vancouver, Canada', 'CAD'],
  ['Warsaw, Poland', 'EUR'],
  ['Lisbon, Portugal', 'EUR'],
  ['Melbourne, Australia', 'AUD'],
  ['Manchester, UK', 'GBP'],
] as const;
const REMOTE_SHARE = 0.15;
// Yearly pay per unit of USD, roughly.
const PAY_SCALE: Record<string, number> = { USD: 1, EUR: 0.8, GBP: 0.7, CAD: 1.2, AUD: 1.3, INR: 30, CHF: 1 };

const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
/** Early entries more often (about a power law): python comes up far more than haskell. */
const skewed = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() ** 1.8 * xs.length)]!;

export interface Scenario {
  boards: Map<string, RawPosting[]>;
  uniquePostings: number;
  totalPostings: number;
}

function generatePosting(rand: () => number, i: number, companies: number): RawPosting {
  const tech = rand() < 0.8;
  const [level] = pick(rand, LEVELS);
  const [role] = pick(rand, ROLES);
  const title = tech ? `${level} ${role}`.trim() : pick(rand, NON_TECH);
  const skills = tech ? [...new Set([skewed(rand, SKILLS), skewed(rand, SKILLS), skewed(rand, SKILLS)])] : [];
  const remote = rand() < REMOTE_SHARE;
  const [place, currency] = remote ? ['Remote', 'USD'] : skewed(rand, CITIES);
  const base = Math.round((70 + rand() * 130) * (PAY_SCALE[currency] ?? 1)) * 1000;
  const pay = rand() < 0.6 ? { min: base, max: Math.round(base * 1.25), currency, interval: 'year' } : null;
  const mode = remote ? 'remote' : rand() < 0.3 ? 'hybrid' : 'onsite';
  const modeText = {
    remote: 'This role is fully remote.',
    hybrid: 'This is a hybrid role, two days a week in the office.',
    onsite: 'This role is on-site in our office.',
  }[mode];
  return {
    externalId: `job-${i}`,
    title: skills[0] && rand() < 0.4 ? `${title} (${skills[0]})` : title,
    company: `Company ${Math.floor(rand() * companies)}`,
    url: `https://jobs.example/${i}`,
    location: place,
    remote: mode,
    description: `<p>We are hiring a ${title}. ${modeText}</p><ul>${skills.map((s) => `<li>Experience with ${s}</li>`).join('')}</ul><p>${'We value ownership, clear writing and kind reviews. '.repeat(8)}</p>`,
    descriptionFormat: 'html',
    salary: pay,
    postedAt: new Date(Date.UTC(2026, 10, 1 + Math.floor(rand() * 28))).toISOString(),
    tags: skills,
  };
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
  for (let b = 0; b < options.boards; b++) boards.set(`board${b}`, []);
  const ids = [...boards.keys()];
  let total = 0;
  for (let i = 0; i < options.postings; i++) {
    const posting = generatePosting(rand, i, Math.max(1, Math.floor(options.postings / 4)));
    const home = pick(rand, ids);
    boards.get(home)!.push(posting);
    total++;
    if (rand() < options.duplicateShare && ids.length > 1) {
      const others = ids.filter((id) => id !== home);
      boards
        .get(pick(rand, others))!
        .push({ ...posting, externalId: `dup-${i}`, url: `https://other.example/${i}` });
      total++;
    }
  }
  return { boards, uniquePostings: options.postings, totalPostings: total };
}

export interface GeneratedUser {
  keywords: string[];
  locations: string[];
  remote: string;
  salaryMin: number | null;
  currency: string;
  seniority: string[];
}

/**
 * Users as people set them up: most name 2–4 specific skills or roles and a city (remote jobs
 * pass a city filter) or remote only; a few name one keyword, a few set no keyword at all. About
 * 40% set a pay floor in their city's currency, 30% a seniority.
 */
export function generateUsers(count: number, seed = 7): GeneratedUser[] {
  const rand = seeded(seed);
  const roles = ROLES.map(([, keyword]) => keyword);
  return Array.from({ length: count }, () => {
    const r = rand();
    const n = r < 0.01 ? 0 : r < 0.1 ? 1 : 2 + Math.floor(rand() * 3);
    const keywords = new Set<string>();
    while (keywords.size < n) keywords.add(rand() < 0.75 ? skewed(rand, SKILLS) : pick(rand, roles));
    const [city, currency] = skewed(rand, CITIES);
    const where = rand();
    const remoteOnly = where < 0.25;
    const cityName = city.split(',')[0]!.toLowerCase();
    const senior =
      rand() < 0.3 ? pick(rand, [['senior', 'staff'], ['junior'], ['senior'], ['lead', 'principal']]) : [];
    return {
      keywords: [...keywords],
      locations: remoteOnly || where > 0.95 ? [] : [cityName],
      remote: remoteOnly ? 'remote' : where < 0.35 ? 'remote_or_hybrid' : 'any',
      salaryMin: rand() < 0.4 ? Math.round((80 + rand() * 80) * (PAY_SCALE[currency] ?? 1)) * 1000 : null,
      currency: remoteOnly ? 'USD' : currency,
      seniority: [...senior],
    };
  });
}

/** A posting as Greenhouse's job board API lists it (`content=true`: HTML escaped once more). */
export function greenhouseJob(p: RawPosting, id: number) {
  const pay = p.salary
    ? `<p>Pay range: ${p.salary.min!.toLocaleString('en-US')} – ${p.salary.max!.toLocaleString('en-US')} ${p.salary.currency} per year.</p>`
    : '';
  const html = `${p.description ?? ''}${pay}`;
  return {
    id,
    internal_job_id: id + 1_000_000,
    title: p.title,
    absolute_url: p.url,
    company_name: p.company,
    location: { name: p.location },
    offices: [],
    departments: (p.tags ?? []).slice(0, 1).map((name) => ({ id: 1, name })),
    first_published: p.postedAt,
    updated_at: p.postedAt,
    requisition_id: null,
    content: html.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'),
  };
}
