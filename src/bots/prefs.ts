import { z } from 'zod';
import { InvalidInputError } from '../core/errors.ts';
import { formatClock, parseClock, resolveTimeZone } from '../core/schedule.ts';
import { compactMoney } from '../core/scoring.ts';
import { parseTermList } from '../core/terms.ts';
import {
  ALERT_MODES,
  CURRENCIES,
  PLATFORMS,
  type Preferences,
  type RemotePreference,
  SENIORITIES,
} from '../core/types.ts';

/**
 * `/prefs set key=value …`: every key validated, all-or-nothing. Each field has a zod schema from
 * what the user typed to the stored value, and a line of help used in error messages.
 */

const CLEAR = /^(none|clear|any|-|)$/i;

const list = (parse: (s: string) => string[]) =>
  z.string().transform((s) => (CLEAR.test(s.trim()) ? [] : parse(s)));
const plainList = (s: string) =>
  [
    ...new Set(
      s
        .split(/[,;]/)
        .map((x) => x.trim().toLowerCase())
        .filter(Boolean),
    ),
  ].slice(0, 30);

const REMOTE_WORDS: Record<string, RemotePreference> = {
  yes: 'remote',
  true: 'remote',
  remote: 'remote',
  only: 'remote',
  no: 'onsite',
  false: 'onsite',
  onsite: 'onsite',
  'on-site': 'onsite',
  office: 'onsite',
  hybrid: 'hybrid',
  any: 'any',
  either: 'any',
  flexible: 'remote_or_hybrid',
  remote_or_hybrid: 'remote_or_hybrid',
  'remote-or-hybrid': 'remote_or_hybrid',
};

const SENIORITY_WORDS: Record<string, (typeof SENIORITIES)[number]> = {
  ...Object.fromEntries(SENIORITIES.map((s) => [s, s])),
  jr: 'junior',
  entry: 'junior',
  graduate: 'junior',
  sr: 'senior',
  middle: 'mid',
  intermediate: 'mid',
  head: 'manager',
  director: 'executive',
};

function amount(s: string): number | null {
  const t = s
    .trim()
    .toLowerCase()
    .replace(/[,_\s']/g, '');
  if (CLEAR.test(t) || t === '0') return null;
  const m = /^(\d+(?:\.\d+)?)(k|m)?$/.exec(t);
  if (!m) return Number.NaN;
  return Math.round(Number(m[1]) * (m[2] === 'k' ? 1000 : m[2] === 'm' ? 1_000_000 : 1));
}

const clock = (what: string) =>
  z
    .string()
    .transform((s) => parseClock(s))
    .pipe(z.number({ message: `expected a 24-hour time like 08:30 for ${what}` }))
    .transform(formatClock);

const QUIET_OFF = /^(none|off|clear|no|-|)$/i;

export const PREFERENCE_FIELDS = {
  keywords: {
    help: 'comma-separated words a job must mention, e.g. keywords=typescript,node',
    schema: list(parseTermList).pipe(z.array(z.string()).max(30, 'at most 30 keywords')),
  },
  exclude: {
    help: 'words that rule a job out when its title mentions them, e.g. exclude=php,intern',
    schema: list(parseTermList).pipe(z.array(z.string()).max(30, 'at most 30 words')),
  },
  locations: {
    help: 'places for on-site/hybrid jobs, e.g. locations=berlin,london (remote jobs always pass)',
    schema: list(plainList),
  },
  remote: {
    help: 'yes (remote only), hybrid, onsite, flexible (remote or hybrid) or any',
    schema: z
      .string()
      .transform((s) => REMOTE_WORDS[s.trim().toLowerCase()])
      .pipe(
        z.enum(['any', 'remote', 'hybrid', 'onsite', 'remote_or_hybrid'], {
          message: 'expected yes, hybrid, onsite, flexible or any',
        }),
      ),
  },
  salary_min: {
    help: 'yearly floor, e.g. salary_min=120000 or 120k (none to clear)',
    schema: z
      .string()
      .transform(amount)
      .pipe(
        z
          .number({ message: 'expected a yearly amount like 120000 or 120k' })
          .min(1)
          .max(100_000_000)
          .nullable(),
      ),
  },
  currency: {
    help: `currency of your salary floor: ${CURRENCIES.join(', ')}`,
    schema: z
      .string()
      .transform((s) => s.trim().toUpperCase())
      .pipe(z.enum(CURRENCIES, { message: `expected one of ${CURRENCIES.join(', ')}` })),
  },
  seniority: {
    help: `levels you want, e.g. seniority=senior,staff (${SENIORITIES.join(', ')})`,
    schema: list(plainList).pipe(
      z.array(z.string()).transform((words, ctx) => {
        const out = words.map((w) => SENIORITY_WORDS[w]);
        const bad = words.filter((_, i) => !out[i]);
        if (bad.length)
          ctx.addIssue({
            code: 'custom',
            message: `unknown level ${bad.join(', ')}; use ${SENIORITIES.join(', ')}`,
          });
        return [...new Set(out.filter((x): x is (typeof SENIORITIES)[number] => x !== undefined))];
      }),
    ),
  },
  blocked: {
    help: 'companies you never want to see, e.g. blocked=initech,globex',
    schema: list(plainList),
  },
  alerts: {
    help: 'instant (a message per good match), digest, or off',
    schema: z
      .string()
      .transform((s) => s.trim().toLowerCase())
      .pipe(z.enum(ALERT_MODES, { message: 'expected instant, digest or off' })),
  },
  threshold: {
    help: 'minimum score (0–100) for an instant alert or a digest entry, e.g. threshold=75',
    schema: z.coerce
      .number({ message: 'expected a whole number from 0 to 100' })
      .int('expected a whole number from 0 to 100')
      .min(0, 'expected a whole number from 0 to 100')
      .max(100, 'expected a whole number from 0 to 100'),
  },
  digest: {
    help: 'local time of the daily digest, e.g. digest=08:30',
    schema: clock('the digest'),
  },
  digest_days: {
    help: 'when digests go out: daily or weekdays (Monday to Friday)',
    schema: z
      .string()
      .transform((s) => DIGEST_DAY_WORDS[s.trim().toLowerCase()])
      .pipe(z.enum(['daily', 'weekdays'], { message: 'expected daily or weekdays' })),
  },
  tz: {
    help: 'your time zone (IANA name), e.g. tz=Europe/Berlin or tz=America/New_York',
    schema: z
      .string()
      .transform((s) => resolveTimeZone(s))
      .pipe(
        z.string({ message: 'unknown time zone; use an IANA name like Europe/Berlin or America/New_York' }),
      ),
  },
  quiet: {
    help: 'no messages between two local times, e.g. quiet=22:00-08:00 (off to clear)',
    schema: z.string().transform((s, ctx) => {
      if (QUIET_OFF.test(s.trim())) return { quietStart: null, quietEnd: null };
      const [a, b, ...rest] = s.split(/[-–]/);
      const start = a === undefined ? null : parseClock(a);
      const end = b === undefined ? null : parseClock(b);
      if (start === null || end === null || rest.length > 0) {
        ctx.addIssue({ code: 'custom', message: 'expected two 24-hour times like 22:00-08:00' });
        return z.NEVER;
      }
      if (start === end) {
        ctx.addIssue({ code: 'custom', message: 'the window starts and ends at the same time' });
        return z.NEVER;
      }
      return { quietStart: formatClock(start), quietEnd: formatClock(end) };
    }),
  },
  cap: {
    help: 'at most this many instant alerts a day, the best first; the rest wait for the digest (cap=5, none to clear)',
    schema: z
      .string()
      .transform((s) => (/^(none|off|clear|no|-|0|)$/i.test(s.trim()) ? null : Number(s.trim())))
      .pipe(
        z
          .number({ message: 'expected a whole number from 1 to 100, or none' })
          .int('expected a whole number from 1 to 100, or none')
          .min(1, 'expected a whole number from 1 to 100, or none')
          .max(100, 'expected a whole number from 1 to 100, or none')
          .nullable(),
      ),
  },
  alerts_on: {
    help: `where alerts go once accounts are linked: ${PLATFORMS.join(', ')}, or last (the one you used last)`,
    schema: z
      .string()
      .transform((s) => s.trim().toLowerCase())
      .pipe(z.enum([...PLATFORMS, 'last'], { message: `expected ${PLATFORMS.join(', ')} or last` }))
      .transform((p) => (p === 'last' ? null : p)),
  },
} as const;

export type PreferenceField = keyof typeof PREFERENCE_FIELDS;

const DIGEST_DAY_WORDS: Record<string, 'daily' | 'weekdays'> = {
  daily: 'daily',
  everyday: 'daily',
  'every day': 'daily',
  all: 'daily',
  weekdays: 'weekdays',
  weekday: 'weekdays',
  workdays: 'weekdays',
  'mon-fri': 'weekdays',
};

const ALIASES: Record<string, PreferenceField> = {
  keyword: 'keywords',
  kw: 'keywords',
  excluded: 'exclude',
  excluded_words: 'exclude',
  location: 'locations',
  salary: 'salary_min',
  min_salary: 'salary_min',
  salary_currency: 'currency',
  level: 'seniority',
  block: 'blocked',
  blocked_companies: 'blocked',
  alert: 'alerts',
  alert_mode: 'alerts',
  alert_threshold: 'threshold',
  min_score: 'threshold',
  digest_time: 'digest',
  digest_at: 'digest',
  days: 'digest_days',
  timezone: 'tz',
  time_zone: 'tz',
  zone: 'tz',
  quiet_hours: 'quiet',
  daily_cap: 'cap',
  max_per_day: 'cap',
  alert_platform: 'alerts_on',
  platform: 'alerts_on',
};

const one =
  (key: keyof Preferences) =>
  (value: unknown): Partial<Preferences> =>
    ({ [key]: value }) as Partial<Preferences>;

/** How each field's parsed value becomes stored preferences (quiet hours set two at once). */
const TO_PREFERENCE: Record<PreferenceField, (value: unknown) => Partial<Preferences>> = {
  keywords: one('keywords'),
  exclude: one('excludedWords'),
  locations: one('locations'),
  remote: one('remote'),
  salary_min: one('salaryMin'),
  currency: one('salaryCurrency'),
  seniority: one('seniority'),
  blocked: one('blockedCompanies'),
  alerts: one('alertMode'),
  threshold: one('alertThreshold'),
  digest: one('digestTime'),
  digest_days: one('digestDays'),
  tz: one('timeZone'),
  quiet: (value) => value as Partial<Preferences>,
  cap: one('dailyCap'),
  alerts_on: one('alertPlatform'),
};

/** Changes to these re-match the user; delivery settings do not touch matches. */
export const MATCHING_PREFERENCES: readonly (keyof Preferences)[] = [
  'keywords',
  'excludedWords',
  'locations',
  'remote',
  'salaryMin',
  'salaryCurrency',
  'seniority',
  'blockedCompanies',
];

export const PREFS_USAGE = `/prefs set key=value … (keys: ${Object.keys(PREFERENCE_FIELDS).join(', ')}); /prefs reset learned`;

/** Splits `a=1 b="x y" c='z'` into pairs; values may be quoted to hold spaces. */
export function splitAssignments(text: string): [string, string][] {
  const pairs: [string, string][] = [];
  const re = /\s*([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S*))/y;
  let last = 0;
  for (;;) {
    re.lastIndex = last;
    const m = re.exec(text);
    if (!m) break;
    pairs.push([m[1]!, m[2] ?? m[3] ?? m[4] ?? '']);
    last = re.lastIndex;
  }
  const rest = text.slice(last).trim();
  if (rest)
    throw new InvalidInputError(`I could not read "${rest.slice(0, 60)}": write key=value pairs`, {
      usage: PREFS_USAGE,
    });
  return pairs;
}

export function resolveField(key: string): PreferenceField | null {
  const k = key.trim().toLowerCase().replaceAll('-', '_');
  if (k in PREFERENCE_FIELDS) return k as PreferenceField;
  return ALIASES[k] ?? null;
}

/** One field's value as what it stores, or what is wrong with it (forms show that next to the field). */
export function parsePreferenceField(
  field: PreferenceField,
  value: string,
): { ok: true; changes: Partial<Preferences> } | { ok: false; message: string } {
  const parsed = PREFERENCE_FIELDS[field].schema.safeParse(value);
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? 'invalid value' };
  return { ok: true, changes: TO_PREFERENCE[field](parsed.data) };
}

/** Validates every assignment; throws one error listing every bad one, having changed nothing. */
export function parsePreferenceChanges(pairs: [string, string][]): Partial<Preferences> {
  if (pairs.length === 0)
    throw new InvalidInputError('Tell me what to change, e.g. /prefs set remote=yes', { usage: PREFS_USAGE });
  let changes: Partial<Preferences> = {};
  const problems: string[] = [];
  for (const [key, value] of pairs) {
    const field = resolveField(key);
    if (!field) {
      problems.push(`"${key}" is not a preference (${Object.keys(PREFERENCE_FIELDS).join(', ')})`);
      continue;
    }
    const parsed = parsePreferenceField(field, value);
    if (!parsed.ok) problems.push(`${field}: ${parsed.message} — ${PREFERENCE_FIELDS[field].help}`);
    else changes = { ...changes, ...parsed.changes };
  }
  if (problems.length)
    throw new InvalidInputError(`Nothing was saved. ${problems.join('; ')}`, { usage: PREFS_USAGE });
  return changes;
}

const REMOTE_LABELS: Record<RemotePreference, string> = {
  any: 'any',
  remote: 'remote only',
  hybrid: 'hybrid only',
  onsite: 'on-site only',
  remote_or_hybrid: 'remote or hybrid',
};

/** The preferences as a few readable lines. */
export function describePreferences(p: Preferences): string[] {
  const or = (xs: string[], empty: string) => (xs.length ? xs.join(', ') : empty);
  return [
    `keywords: ${or(p.keywords, 'none (every job)')}`,
    `excluded words: ${or(p.excludedWords, 'none')}`,
    `locations: ${or(p.locations, 'anywhere')}`,
    `remote: ${REMOTE_LABELS[p.remote]}`,
    `salary floor: ${p.salaryMin === null ? 'none' : `${compactMoney(p.salaryMin, p.salaryCurrency)} ${p.salaryCurrency} / year`}`,
    `seniority: ${or(p.seniority, 'any')}`,
    `blocked companies: ${or(p.blockedCompanies, 'none')}`,
    `alerts: ${describeAlerts(p)}`,
    `digest: ${p.digestTime} ${p.digestDays === 'weekdays' ? 'on weekdays' : 'every day'}${p.alertMode === 'instant' ? ' (what your daily cap held back)' : ''}`,
    `quiet hours: ${p.quietStart && p.quietEnd ? `${p.quietStart}–${p.quietEnd}` : 'none'}`,
    `time zone: ${p.timeZone}`,
    `alerts go to: ${p.alertPlatform ?? 'the platform you used last'}`,
  ];
}

function describeAlerts(p: Preferences): string {
  if (p.alertMode === 'off') return 'off';
  if (p.alertMode === 'digest') return `one digest a day, score ≥ ${p.alertThreshold}`;
  return `instant, score ≥ ${p.alertThreshold}${p.dailyCap === null ? '' : `, at most ${p.dailyCap} a day`}`;
}
