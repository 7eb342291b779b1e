import type { RemoteMode } from '../core/types.ts';

/**
 * Field-level normalisation for `normalize.ts`: posting dates, remote mode, tags and the dedup key.
 * Pure functions; the clock is passed in.
 */

const DAY_MS = 86_400_000;
/** Nothing on a job board predates this; older dates are parse accidents. */
const EARLIEST = Date.UTC(1995, 0, 1);

const ISO_LIKE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/** "2026-09-18T13:27:28-04:00", "2026-09-18 13:27:28 UTC", "2026-09-18"; no zone means UTC. */
function parseIsoLike(s: string): number | null {
  const m = ISO_LIKE.exec(s);
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '0', zone] = m;
  const ms = Number(frac.slice(0, 3).padEnd(3, '0'));
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec), ms);
  const check = new Date(utc);
  // Date.UTC rolls "2026-02-31" over into March; such a date is invalid, not a guess.
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1 || Number(h) > 23)
    return null;
  if (!zone || /^(?:z|utc|gmt)$/i.test(zone)) return utc;
  const zm = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!zm) return null;
  const offset = (Number(zm[2]) * 60 + Number(zm[3] ?? 0)) * 60_000;
  return zm[1] === '+' ? utc - offset : utc + offset;
}

/** Epoch seconds or milliseconds, told apart by size: 1e11 s is the year 5138, 1e11 ms is 1973. */
function fromEpoch(n: number): number | null {
  if (!Number.isFinite(n) || n <= 0) return null;
  return n < 1e11 ? n * 1000 : n;
}

function toMillis(value: string | number | Date): number | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.getTime();
  if (typeof value === 'number') return fromEpoch(value);
  const s = value.trim();
  if (/^\d{9,13}(?:\.\d+)?$/.test(s)) return fromEpoch(Number(s));
  const iso = parseIsoLike(s);
  if (iso !== null) return iso;
  // RFC 2822 and other spelled-out dates; only with a year, since Date.parse guesses wildly otherwise.
  if (/\b\d{4}\b/.test(s) && /\p{L}{3}/u.test(s)) {
    const parsed = Date.parse(s);
    return Number.isNaN(parsed) ? null : parsed;
  }
  return null;
}

/** The posting date, or null when it is missing, unreadable or more than a day in the future. */
export function parsePostedAt(value: string | number | Date | null | undefined, now: Date): Date | null {
  if (value === null || value === undefined) return null;
  const ms = toMillis(value);
  if (ms === null || ms < EARLIEST || ms > now.getTime() + DAY_MS) return null;
  return new Date(ms);
}

const NEGATED_REMOTE =
  /\b(?:no|not|non)[\s-]*(?:fully\s+)?remote\b|\bremote\s+(?:is\s+)?not\s+(?:possible|available|an\s+option)\b/g;
const WEEKDAY = '(?:mondays?|tuesdays?|wednesdays?|thursdays?|fridays?)';
const FEW_DAYS =
  '(?:[1-4]|one|two|three|four)(?:\\s*(?:-|–|to|or)\\s*(?:[1-4]|one|two|three|four))?\\s+days?';
const HYBRID = new RegExp(
  [
    '\\bhybrid\\b',
    `\\b${FEW_DAYS}\\s+(?:a|per|each)\\s+week\\s+(?:in|at)\\s+(?:the|our|an?)?\\s*(?:office|studio|hub|hq)\\b`,
    `\\b${FEW_DAYS}\\s+(?:a\\s+week\\s+)?in[\\s-](?:the\\s+)?office\\b`,
    `\\bin[\\s-]office\\s+${FEW_DAYS}\\b`,
    `\\b${WEEKDAY}(?:\\s+(?:and|&)\\s+${WEEKDAY})?\\s+(?:from|at)\\s+home\\b`,
    '\\bpartially\\s+remote\\b|\\bpartly\\s+remote\\b',
  ].join('|'),
);
const REMOTE =
  /\bremote\b|\bwork(?:ing)?\s+from\s+home\b|\bwfh\b|\banywhere\b|\bfully\s+distributed\b|\bdistributed\s+(?:team|company|workforce)\b|\bhome[\s-]based\b|\btelecommute\b/;
const ONSITE =
  /\bon[\s-]?site\b|\bin[\s-]office\b|\bin[\s-]person\b|\boffice[\s-]based\b|\bfive\s+days\s+a\s+week\b|\b(?:based|work)\s+(?:in|from|at)\s+our\s+(?:office|studio)\b/;

/** Hybrid wins over remote (hybrid posts mention remote days), remote over on-site mentions. */
function detectIn(text: string): RemoteMode {
  const t = text.toLowerCase().replace(NEGATED_REMOTE, ' ');
  if (HYBRID.test(t)) return 'hybrid';
  if (REMOTE.test(t)) return 'remote';
  if (ONSITE.test(t)) return 'onsite';
  return 'unknown';
}

/** How much of the description to read: work arrangements are stated early or in the closing lines. */
const DESCRIPTION_HEAD = 4000;

/**
 * The remote mode from the board's flag when it has one, else from the words of the posting:
 * title and location first (they are short and deliberate), then the start of the description.
 */
export function resolveRemote(
  flag: RemoteMode | boolean | null | undefined,
  fields: { title: string; location: string | null; description: string },
): RemoteMode {
  if (flag === true) return 'remote';
  const head = fields.description.slice(0, DESCRIPTION_HEAD);
  if (flag === false) {
    const said = detectIn(`${fields.title}\n${fields.location ?? ''}\n${head}`);
    return said === 'hybrid' ? 'hybrid' : 'onsite';
  }
  if (flag && flag !== 'unknown') return flag;
  const fromHeader = detectIn(`${fields.title}\n${fields.location ?? ''}`);
  return fromHeader !== 'unknown' ? fromHeader : detectIn(head);
}

export const MAX_TAGS = 30;

export function normalizeTags(tags: readonly string[] | null | undefined): string[] {
  const out = new Set<string>();
  for (const tag of tags ?? []) {
    const t = tag.replace(/\s+/g, ' ').trim().toLowerCase();
    if (t && t.length <= 100) out.add(t);
    if (out.size === MAX_TAGS) break;
  }
  return [...out];
}

const LEGAL_SUFFIXES = new Set([
  'inc',
  'incorporated',
  'llc',
  'ltd',
  'limited',
  'gmbh',
  'bv',
  'nv',
  'sa',
  'sas',
  'sarl',
  'ag',
  'se',
  'plc',
  'co',
  'corp',
  'corporation',
  'pty',
  'oy',
  'ab',
  'as',
  'srl',
  'spa',
]);
/** "(m/w/d)", "(x/f/m)", "(all genders)": the same job on German and English boards. */
const GENDER_MARKER = /\((?:\s*[mwfdx]\s*\/){1,3}\s*[mwfdx]\s*\)|\(all\s+genders?\)/gi;

function keyWords(s: string): string[] {
  const text = s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    // Keep the languages that punctuation would otherwise reduce to "c" or "net".
    .replace(/c\+\+/g, ' cpp ')
    .replace(/c#/g, ' csharp ')
    .replace(/(^|[^\p{L}\p{N}])\.net\b/gu, '$1 dotnet ');
  return text.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

function companyKey(company: string): string {
  // "B.V." and "S.A." are suffixes once their dots go.
  const words = keyWords(
    company.replace(/\b(\p{L})\.(?=\p{L}\.)/gu, '$1').replace(/\b(\p{L}{1,3})\./gu, '$1'),
  );
  while (words.length > 1 && (LEGAL_SUFFIXES.has(words.at(-1) ?? '') || words.at(-1) === 'and')) words.pop();
  return words.join(' ');
}

/**
 * Company + title + location, normalised so that the same job on two boards, or reposted, gets the
 * same key: case, accents, punctuation and legal suffixes do not matter.
 */
export function dedupKey(company: string, title: string, location: string | null | undefined): string {
  const titleKey = keyWords(title.replace(GENDER_MARKER, ' ')).join(' ');
  const locationKey = keyWords(location ?? '').join(' ');
  return `${companyKey(company)}|${titleKey}|${locationKey}`;
}
