import type { Salary, SalaryInterval } from './types.ts';

/**
 * Free-text salary parsing ("€65k–80k per year", "₹18-24 LPA", "$55.50/hr"). Exported through
 * `salary.ts`; kept apart because the scanner and its tables are most of the code.
 *
 * The scanner only trusts amounts that carry a currency (a symbol, a code, or an Indian unit such
 * as LPA): bare numbers in job text are head counts, years, percentages and 401(k)s far more often
 * than pay.
 */

/** Symbol or code → ISO 4217. "$" alone is weak: it is USD unless a stronger marker says otherwise. */
const CURRENCY_MARKERS: Readonly<Record<string, string>> = {
  US$: 'USD',
  USD: 'USD',
  $: 'USD',
  CA$: 'CAD',
  C$: 'CAD',
  CAD: 'CAD',
  AU$: 'AUD',
  A$: 'AUD',
  AUD: 'AUD',
  NZ$: 'NZD',
  NZD: 'NZD',
  S$: 'SGD',
  SGD: 'SGD',
  HK$: 'HKD',
  HKD: 'HKD',
  R$: 'BRL',
  BRL: 'BRL',
  '€': 'EUR',
  EUR: 'EUR',
  '£': 'GBP',
  GBP: 'GBP',
  '₹': 'INR',
  INR: 'INR',
  'Rs.': 'INR',
  Rs: 'INR',
  CHF: 'CHF',
  'SFr.': 'CHF',
  'Fr.': 'CHF',
  PLN: 'PLN',
  zł: 'PLN',
  SEK: 'SEK',
  NOK: 'NOK',
  DKK: 'DKK',
  JPY: 'JPY',
  MXN: 'MXN',
  ZAR: 'ZAR',
  CZK: 'CZK',
};

const MARKER_BY_UPPER = new Map(Object.entries(CURRENCY_MARKERS).map(([k, v]) => [k.toUpperCase(), v]));

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// Longest first so "CA$" wins over "$"; markers ending in a letter must not run into a word ("EURO").
const CURRENCY = Object.keys(CURRENCY_MARKERS)
  .sort((a, b) => b.length - a.length)
  .map((m) => escapeRegex(m) + (/\p{L}$/u.test(m) ? '(?!\\p{L})' : ''))
  .join('|');

const NUMBER = [
  '\\d{1,2}(?:,\\d{2})+,\\d{3}(?!\\d)', // Indian grouping: 12,00,000
  "\\d{1,3}(?<sep>[,.'’\\u00a0\\u202f ])\\d{3}(?!\\d)(?:\\k<sep>\\d{3}(?!\\d))*(?:[.,]\\d{1,2}(?!\\d))?",
  '\\d+(?:[.,]\\d{1,2}(?!\\d))?',
].join('|');

const MULTIPLIER = 'lakhs?|lacs?|lpa|crores?|cr|mn|mm|k|m|l';

const AMOUNT = new RegExp(
  `(?<![\\p{L}\\p{N}_.,])(?:(?<pre>${CURRENCY})\\s?)?(?<num>${NUMBER})` +
    `(?:\\s?(?<mult>${MULTIPLIER})(?!\\p{L}))?(?<plus>\\+(?![\\p{L}\\p{N}]))?(?:\\s?(?<post>${CURRENCY}))?`,
  'giu',
);

const MULTIPLIERS: Readonly<Record<string, number>> = {
  k: 1e3,
  m: 1e6,
  mn: 1e6,
  mm: 1e6,
  l: 1e5,
  lakh: 1e5,
  lakhs: 1e5,
  lac: 1e5,
  lacs: 1e5,
  lpa: 1e5,
  cr: 1e7,
  crore: 1e7,
  crores: 1e7,
};
/** Units that only Indian salaries use, so they name the currency by themselves. */
const INDIAN_UNITS = new Set(['l', 'lakh', 'lakhs', 'lac', 'lacs', 'lpa', 'cr', 'crore', 'crores']);

const RANGE_SEPARATOR = /^\s*(?:-|–|—|‒|−|~|to|bis|a|à|and)\s*$/iu;

const INTERVAL_PATTERNS: ReadonlyArray<readonly [RegExp, SalaryInterval]> = [
  [/\/\s*h(?:ou)?rs?\b|\/\s*h\b|\b(?:hours?|hourly|hrs?|ph|p\/h|p\.h\.)(?!\p{L})/iu, 'hour'],
  [/\/\s*d(?:ay)?\b|\b(?:days?|daily|per\s+diem|p\/d)(?!\p{L})/iu, 'day'],
  [/\/\s*w(?:ee)?k\b|\/\s*w\b|\b(?:weeks?|weekly|wk|pw|p\/w|p\.w\.)(?!\p{L})/iu, 'week'],
  [
    /\/\s*mo(?:nth)?\b|\/\s*m\b|\b(?:months?|monthly|mo|pm|pcm|p\/m|p\.m\.|mês|mes|monat|monatlich|mois|mensuel|mensual)(?!\p{L})/iu,
    'month',
  ],
  [
    /\/\s*y(?:ea)?r\b|\/\s*y\b|\/\s*annum\b|\b(?:years?|yearly|yrs?|annual|annually|annum|pa|p\.a\.|p\/a|jahr|jährlich|año|ano)(?!\p{L})/iu,
    'year',
  ],
];

/** Interval words written before the amount ("hourly rate: $55", "annual salary of €60k"). */
const INTERVAL_BEFORE: ReadonlyArray<readonly [RegExp, SalaryInterval]> = [
  [/\bhourly\b[^\d\n|]{0,20}$/i, 'hour'],
  [/\b(?:daily|day\s+rate)\b[^\d\n|]{0,20}$/i, 'day'],
  [/\bweekly\b[^\d\n|]{0,20}$/i, 'week'],
  [/\bmonthly\b[^\d\n|]{0,20}$/i, 'month'],
  [/\b(?:annual|annually|yearly|per\s+annum)\b[^\d\n|]{0,20}$/i, 'year'],
];

const UP_TO = /\b(?:up\s*to|upto|max(?:imum)?\.?|not\s+more\s+than|bis\s+zu|jusqu'?à)\s*:?\s*$/i;
const FROM =
  /\b(?:from|starting\s+(?:at|from)|starts?\s+at|min(?:imum)?\.?|at\s+least|ab|desde|à\s+partir\s+de)\s*:?\s*$/i;
const OR_MORE = /^\s*(?:or\s+more|and\s+above|or\s+above|plus\b)/i;
const SALARY_WORDS =
  /\b(?:salary|salaries|pay|paid|compensation|base|wage|rate|ote|earn|remuneration|gehalt|salaire|salário|range)\b/i;
/** Money that is not pay: budgets, perks, funding. A single such amount is dropped. */
const NOT_SALARY_WORDS =
  /\b(?:budget|allowance|stipend|reimburse\w*|voucher|(?:for|on)\s+learning|sign-?on|signing|referral|raised|funding|revenue|valuation|for\s+your\s+time|gift)\b/i;
/** Retirement plans and the like, which look like "401k" = 401,000. */
const NOT_AN_AMOUNT = /^(?:401|403|457)\s*\(?[kb]\)?/i;

interface Amount {
  start: number;
  end: number;
  value: number;
  /** Multiplier factor written with this amount, if any. */
  factor: number | null;
  indianUnit: boolean;
  lpa: boolean;
  plus: boolean;
  /** Currency markers as written, before and after. */
  markers: string[];
}

interface Candidate {
  start: number;
  end: number;
  min: number | null;
  max: number | null;
  currency: string;
  interval: SalaryInterval;
  score: number;
}

/** "65.000" → 65000, "55.50" → 55.5, "12,00,000" → 1200000, "9'000" → 9000. */
export function parseNumber(raw: string): number {
  const compact = raw.replace(/[\s'’]/g, '');
  const decimal = /[.,](\d{1,2})$/.exec(compact);
  const whole = (decimal ? compact.slice(0, decimal.index) : compact).replace(/[.,]/g, '');
  return Number(decimal ? `${whole}.${decimal[1]}` : whole);
}

function scanAmounts(text: string): Amount[] {
  const amounts: Amount[] = [];
  for (const m of text.matchAll(AMOUNT)) {
    const g = m.groups ?? {};
    const num = g.num ?? '';
    const start = m.index;
    const numStart = start + m[0].indexOf(num);
    if (NOT_AN_AMOUNT.test(text.slice(numStart, numStart + 8))) continue;
    const mult = g.mult?.toLowerCase() ?? null;
    const factor = mult ? (MULTIPLIERS[mult] ?? null) : null;
    const value = parseNumber(num);
    if (!Number.isFinite(value) || value <= 0) continue;
    amounts.push({
      start,
      end: start + m[0].length,
      value,
      factor,
      indianUnit: mult !== null && INDIAN_UNITS.has(mult),
      lpa: mult === 'lpa',
      plus: g.plus !== undefined,
      markers: [g.pre, g.post].filter((x): x is string => x !== undefined),
    });
  }
  return amounts;
}

function codeOf(marker: string): string | null {
  return MARKER_BY_UPPER.get(marker.toUpperCase()) ?? null;
}

/** The currency named by anything but a bare "$", which CA$, A$, USD… may sharpen. */
function strongCurrency(markers: string[]): string | null {
  for (const m of markers) {
    const code = m === '$' ? null : codeOf(m);
    if (code) return code;
  }
  return null;
}

function currencyOf(markers: string[], indianUnit: boolean): string | null {
  if (markers.length > 0) return strongCurrency(markers) ?? 'USD';
  return indianUnit ? 'INR' : null;
}

function conflictingCurrencies(a: Amount, b: Amount): boolean {
  const ca = strongCurrency(a.markers);
  const cb = strongCurrency(b.markers);
  return ca !== null && cb !== null && ca !== cb;
}

/** "$150 - 210K": a multiplier written once applies to the bare side when the two are comparable. */
function scaled(a: Amount, b: Amount): [number, number] {
  let va = a.value * (a.factor ?? 1);
  let vb = b.value * (b.factor ?? 1);
  if (a.factor === null && b.factor !== null && a.value < 1000) {
    const ratio = (a.value * b.factor) / vb;
    if (ratio >= 0.1 && ratio <= 10) va = a.value * b.factor;
  } else if (b.factor === null && a.factor !== null && b.value < 1000) {
    const ratio = (b.value * a.factor) / va;
    if (ratio >= 0.1 && ratio <= 10) vb = b.value * a.factor;
  }
  return [va, vb];
}

/** Without a stated interval: small amounts are hourly, mid-size monthly, large yearly. */
export function inferInterval(amount: number, currency: string): SalaryInterval {
  if (amount < 500) return 'hour';
  // Indian monthly pay is commonly ₹30,000–₹1,00,000, above the monthly cut-off of other currencies.
  const monthlyBelow = currency === 'INR' ? 100_000 : 20_000;
  return amount < monthlyBelow ? 'month' : 'year';
}

function intervalNear(text: string, start: number, end: number): SalaryInterval | null {
  const after = text.slice(end, end + 30);
  const stop = after.search(/[\d\n|;]/);
  const window = stop === -1 ? after : after.slice(0, stop);
  let best: { index: number; interval: SalaryInterval } | null = null;
  for (const [pattern, interval] of INTERVAL_PATTERNS) {
    const m = pattern.exec(window);
    if (m && (best === null || m.index < best.index)) best = { index: m.index, interval };
  }
  if (best) return best.interval;
  const before = text.slice(Math.max(0, start - 40), start);
  for (const [pattern, interval] of INTERVAL_BEFORE) if (pattern.test(before)) return interval;
  return null;
}

/** Working periods per year: 40-hour weeks, 260 working days. */
export const PER_YEAR: Readonly<Record<SalaryInterval, number>> = {
  hour: 2080,
  day: 260,
  week: 52,
  month: 12,
  year: 1,
};

/** Funding rounds and revenue ("$20M ARR") are money too; no one's pay is above these. */
function plausible(amount: number, interval: SalaryInterval, currency: string): boolean {
  const ceiling = currency === 'INR' || currency === 'JPY' ? 5e8 : 5e6;
  return amount * PER_YEAR[interval] <= ceiling;
}

function buildCandidate(text: string, a: Amount, b: Amount | null): Candidate | null {
  const markers = b ? [...a.markers, ...b.markers] : a.markers;
  const indian = a.indianUnit || (b?.indianUnit ?? false);
  const currency = currencyOf(markers, indian);
  if (currency === null) return null;
  const start = a.start;
  const end = b ? b.end : a.end;
  let min: number | null;
  let max: number | null;
  if (b) {
    const [va, vb] = scaled(a, b);
    [min, max] = va <= vb ? [va, vb] : [vb, va];
  } else {
    const v = a.value * (a.factor ?? 1);
    const before = text.slice(Math.max(0, start - 20), start);
    const after = text.slice(end, end + 15);
    if (UP_TO.test(before)) [min, max] = [null, v];
    else if (a.plus || FROM.test(before) || OR_MORE.test(after)) [min, max] = [v, null];
    else [min, max] = [v, v];
  }
  const stated = a.lpa || b?.lpa ? 'year' : intervalNear(text, start, end);
  const interval = stated ?? inferInterval(max ?? min ?? 0, currency);
  if (!plausible(max ?? min ?? 0, interval, currency)) return null;
  const context = text.slice(Math.max(0, start - 40), start);
  const following = text.slice(end, end + 30);
  let score = 0;
  if (b) score += 3;
  if (SALARY_WORDS.test(context) || /^\s*(?:base|salary|gross|brutto)/i.test(following)) score += 2;
  if (stated) score += 1;
  if (NOT_SALARY_WORDS.test(text.slice(Math.max(0, start - 25), start)) || NOT_SALARY_WORDS.test(following))
    score -= 4;
  return { start, end, min, max, currency, interval, score };
}

function candidates(text: string): Candidate[] {
  const amounts = scanAmounts(text);
  const found: Candidate[] = [];
  for (let i = 0; i < amounts.length; i++) {
    const a = amounts[i]!;
    const b = amounts[i + 1];
    if (b && RANGE_SEPARATOR.test(text.slice(a.end, b.start)) && !conflictingCurrencies(a, b)) {
      const gap = text.slice(a.end, b.start).trim().toLowerCase();
      const between = gap !== 'and' || /\bbetween\s*$/i.test(text.slice(Math.max(0, a.start - 10), a.start));
      if (between) {
        const range = buildCandidate(text, a, b);
        if (range) {
          found.push(range);
          i++;
          continue;
        }
      }
    }
    const single = buildCandidate(text, a, null);
    if (single) found.push(single);
  }
  return found;
}

/**
 * The most salary-like amount or range in `text`, or null when there is none ("competitive",
 * "DOE", or only numbers without a currency). Ranges and amounts next to pay words win over perks
 * ("$1,500 learning budget"), which are dropped.
 */
export function parseSalaryText(text: string): Salary | null {
  if (!text || !/\d/.test(text)) return null;
  let best: Candidate | null = null;
  for (const c of candidates(text)) {
    if (c.score < 0) continue;
    if (best === null || c.score > best.score) best = c;
  }
  if (best === null) return null;
  return { min: best.min, max: best.max, currency: best.currency, interval: best.interval };
}

/** Whether a text mentions money at all; cheap gate before scanning long descriptions. */
export function mentionsCurrency(text: string): boolean {
  return CURRENCY_PRESENT.test(text);
}

const CURRENCY_PRESENT = new RegExp(`(?<!\\p{L})(?:${CURRENCY})|\\d\\s?(?:lpa|lakhs?|crores?)\\b`, 'iu');
