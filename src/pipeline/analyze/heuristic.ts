import type { Analyzer } from '../../core/ports.ts';
import { annualise, parseSalaryText } from '../../core/salary.ts';
import { extractSkills } from '../../core/terms.ts';
import type { Analysis, AnnualSalary, NormalizedPosting, RemoteMode, Seniority } from '../../core/types.ts';
import { MAX_SKILLS, MAX_SUMMARY_LENGTH } from './schema.ts';

/**
 * The analyzer used when no model is configured: keyword rules over the title, description and
 * tags. Deterministic and offline. Text in the description is only ever matched against fixed
 * patterns, never followed, so instructions hidden in a posting cannot change the result.
 */

export type HeuristicInput = Pick<
  NormalizedPosting,
  'title' | 'company' | 'location' | 'remote' | 'salary' | 'description' | 'tags'
>;

export function createHeuristicAnalyzer(): Analyzer {
  return {
    name: 'heuristic',
    async analyze(posting, { signal }) {
      signal.throwIfAborted();
      return { analysis: analyzeHeuristically(posting), analyzer: 'heuristic', model: null, usage: null };
    },
  };
}

export function analyzeHeuristically(posting: HeuristicInput): Analysis {
  const description = posting.description ?? '';
  const tags = posting.tags ?? [];
  const text = `${posting.title}\n${posting.location ?? ''}\n${description}`;
  const seniority =
    seniorityFromTitle(posting.title) ?? seniorityFromYears(description) ?? defaultSeniority(posting.title);
  // Title skills first, then tags, then the description: the summary shows the first three.
  const ranked = [
    ...new Set([
      ...extractSkills(posting.title),
      ...extractSkills(tags.join(', ')),
      ...extractSkills(`${posting.title}\n${description}\n${tags.join(', ')}`),
    ]),
  ].slice(0, MAX_SKILLS);
  const remotePolicy = posting.remote !== 'unknown' ? posting.remote : remoteFromText(text);
  const skills = [...ranked].sort();
  return {
    seniority,
    skills,
    remotePolicy,
    salaryAnnual: salaryOf(posting),
    visaSponsorship: visaFromText(description),
    relocation: relocationFromText(description),
    summary: summarise(posting, seniority, remotePolicy, ranked),
    // Keyword rules cannot read a title out of free text: the adapter's guess stands.
    title: null,
    company: null,
    location: null,
  };
}

// Order matters: the most specific level wins ("Senior Staff Engineer" is staff, "VP Engineering" executive).
const TITLE_LEVELS: [RegExp, Seniority][] = [
  [/\b(vp|svp|evp|vice president|cto|cio|ceo|coo|chief)\b/, 'executive'],
  [/\b(manager|mgr|head of|director)\b/, 'manager'],
  [/\b(intern|internship|trainee|apprentice(ship)?|werkstudent)\b/, 'intern'],
  [/\bprincipal\b/, 'principal'],
  [/\bstaff\b/, 'staff'],
  [/\b(lead|tech lead|team lead)\b/, 'lead'],
  [/\b(senior|sr|snr|iii|iv)\b/, 'senior'],
  [/\b(junior|jr|graduate|grad|entry[- ]level|entry)\b/, 'junior'],
  [/\b(mid[- ]level|mid[- ]senior|mid|intermediate|ii)\b/, 'mid'],
];

const ENGINEERING_TITLE =
  /\b(engineer(ing)?|developer|programmer|architect|devops|sre|swe|scientist|analyst|designer|administrator|sysadmin|dev|qa|tester|consultant)\b/;

export function seniorityFromTitle(title: string): Seniority | null {
  const t = title.toLowerCase();
  for (const [pattern, level] of TITLE_LEVELS) if (pattern.test(t)) return level;
  return null;
}

const YEARS_PLUS = /\b(\d{1,2})\s*\+\s*(?:years?|yrs?)\b/gi;
const YEARS_OF_EXPERIENCE =
  /\b(\d{1,2})\s*(?:(?:-|–|to)\s*\d{1,2}\s*)?(?:years?|yrs?)['’]?\s+(?:of\s+)?(?:[\w.+#/-]+\s+){0,4}?experience\b/gi;

/** The most demanding "N+ years" the description asks for, as a level. */
export function seniorityFromYears(description: string): Seniority | null {
  let years: number | null = null;
  for (const pattern of [YEARS_PLUS, YEARS_OF_EXPERIENCE]) {
    for (const m of description.matchAll(pattern)) {
      const n = Number(m[1]);
      if (n <= 30 && (years === null || n > years)) years = n;
    }
  }
  if (years === null) return null;
  if (years <= 1) return 'junior';
  if (years <= 4) return 'mid';
  if (years <= 7) return 'senior';
  return 'staff';
}

function defaultSeniority(title: string): Seniority | null {
  return ENGINEERING_TITLE.test(title.toLowerCase()) ? 'mid' : null;
}

export function remoteFromText(text: string): RemoteMode {
  const t = text.toLowerCase();
  if (/\bhybrid\b|\b\d\s*(?:days?|x)\s*(?:a|per|\/)\s*week\s+(?:in|at)\s+(?:the|our)\s+office\b/.test(t))
    return 'hybrid';
  if (/\b(not|no)\s+(?:a\s+)?remote\b|\bremote\s+(?:work\s+)?is\s+not\b/.test(t)) return 'onsite';
  if (/\b(remote|work from home|wfh|distributed team|work from anywhere)\b/.test(t)) return 'remote';
  if (/\b(on[- ]?site|in[- ]office|office[- ]based|in[- ]person)\b/.test(t)) return 'onsite';
  return 'unknown';
}

function salaryOf(posting: HeuristicInput): AnnualSalary | null {
  const salary = posting.salary ?? parseSalaryText(posting.description ?? '');
  if (!salary) return null;
  const annual = annualise(salary);
  return annual.min === null && annual.max === null ? null : annual;
}

const NO_VISA =
  /\b(no|not|unable to|cannot|can't|can ?not|won't|will not|do not|don't|does not|doesn't|are not able to)\s+(?:\w+\s+){0,3}?(?:visa\s+)?sponsor|\bwithout\s+(?:the\s+need\s+for\s+)?(?:visa\s+)?sponsorship|\bsponsorship\s+(?:is\s+)?not\s+(?:available|offered|provided)|\bmust\s+(?:already\s+)?(?:have|hold)\s+(?:the\s+)?right\s+to\s+work|\bmust\s+be\s+(?:legally\s+)?(?:authori[sz]ed|eligible)\s+to\s+work/;
const VISA =
  /\bvisa\s+sponsorship\b|\bsponsor(?:s|ing)?\s+(?:work\s+)?visas?\b|\bvisa\s+support\b|\bwill\s+sponsor\b/;

export function visaFromText(text: string): boolean | null {
  const t = text.toLowerCase();
  if (NO_VISA.test(t)) return false;
  if (VISA.test(t)) return true;
  return null;
}

const NO_RELOCATION =
  /\bno\s+relocation\b|\brelocation\s+(?:is\s+)?not\s+(?:available|offered|provided|supported)|\b(?:unable to|cannot|can't|do not|don't|will not|won't)\s+(?:offer|provide|support|cover)\s+relocation/;
const RELOCATION =
  /\brelocation\s+(?:package|support|assistance|bonus|allowance|stipend|budget)\b|\brelocation\s+(?:is\s+)?(?:available|offered|provided)\b|\b(?:help|assist|support)\s+(?:you\s+)?(?:with\s+)?relocat/;

export function relocationFromText(text: string): boolean | null {
  const t = text.toLowerCase();
  if (NO_RELOCATION.test(t)) return false;
  if (RELOCATION.test(t)) return true;
  return null;
}

const LEVEL_LABEL: Partial<Record<Seniority, string>> = {
  intern: 'Intern',
  junior: 'Junior',
  mid: 'Mid-level',
  senior: 'Senior',
  staff: 'Staff',
  principal: 'Principal',
  lead: 'Lead',
};

/** The title without level words and board noise: "Sr. Backend Engineer (Remote) - EU" → "Backend Engineer". */
function titleCore(title: string): string {
  const core = title
    .replace(/\(.*?\)|\[.*?\]/g, ' ')
    .split(/\s+[-–—|]\s+|\s*\|\s*/)[0]!
    .replace(/\b(senior|sr|snr|junior|jr|mid[- ]level|entry[- ]level)\b\.?/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return core || title.trim();
}

function placeOf(remote: RemoteMode, location: string | null): string {
  const where = location?.trim() || null;
  if (remote === 'remote') {
    // "Remote - EU" → "Remote (EU)"; a bare "Remote" adds nothing.
    const region = where
      ?.replace(/\bremote\b/gi, ' ')
      .replace(/^[\s,;:/|()–—-]+|[\s,;:/|()–—-]+$/g, '')
      .trim();
    return region ? `Remote (${region})` : 'Remote';
  }
  if (remote === 'hybrid') return where ? `Hybrid, ${where}` : 'Hybrid';
  if (remote === 'onsite') return where ? `On-site, ${where}` : 'On-site';
  return where ?? 'location not stated';
}

function summarise(
  posting: HeuristicInput,
  seniority: Seniority | null,
  remote: RemoteMode,
  rankedSkills: string[],
): string {
  const core = titleCore(posting.title);
  const label = seniority ? LEVEL_LABEL[seniority] : undefined;
  const role = label && !new RegExp(`\\b${label}\\b`, 'i').test(core) ? `${label} ${core}` : core;
  const skills = rankedSkills.slice(0, 3);
  const line = `${role} at ${posting.company.trim()} — ${placeOf(remote, posting.location)}${skills.length ? `, ${skills.join(', ')}` : ''}`;
  return line.length <= MAX_SUMMARY_LENGTH ? line : `${line.slice(0, MAX_SUMMARY_LENGTH - 1).trimEnd()}…`;
}
