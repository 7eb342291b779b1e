import { inferInterval, PER_YEAR, parseNumber, parseSalaryText } from './salary-text.ts';
import type { AnnualSalary, Salary, SalaryInterval } from './types.ts';

/**
 * Salaries as boards give them (structured fields or free text), converted to one `Salary` shape,
 * annualised for comparison, and formatted for cards.
 */

export { mentionsCurrency, parseSalaryText } from './salary-text.ts';

type FieldValue = number | string | null | undefined;

export interface SalaryFields {
  min?: FieldValue;
  max?: FieldValue;
  currency?: string | null;
  interval?: string | null;
}

const INTERVAL_SYNONYMS: Readonly<Record<string, SalaryInterval>> = {
  hour: 'hour',
  hours: 'hour',
  hourly: 'hour',
  hr: 'hour',
  per_hour: 'hour',
  day: 'day',
  days: 'day',
  daily: 'day',
  per_day: 'day',
  week: 'week',
  weeks: 'week',
  weekly: 'week',
  per_week: 'week',
  month: 'month',
  months: 'month',
  monthly: 'month',
  per_month: 'month',
  year: 'year',
  years: 'year',
  yearly: 'year',
  annual: 'year',
  annually: 'year',
  annum: 'year',
  per_year: 'year',
  per_annum: 'year',
};

/** Symbols some boards put in their currency field. */
const CURRENCY_SYMBOLS: Readonly<Record<string, string>> = { $: 'USD', '€': 'EUR', '£': 'GBP', '₹': 'INR' };

function fieldNumber(value: FieldValue): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value : null;
  if (typeof value !== 'string') return null;
  const m = /^\s*[^\d-]{0,4}?\s*(\d[\d\s.,'’]*)\s*([km])?\s*$/i.exec(value);
  if (!m?.[1]) return null;
  const n = parseNumber(m[1].trim()) * (m[2] ? (m[2].toLowerCase() === 'k' ? 1e3 : 1e6) : 1);
  return Number.isFinite(n) && n > 0 ? n : null;
}

function fieldCurrency(value: string | null | undefined): string | null {
  const v = value?.trim() ?? '';
  const code = CURRENCY_SYMBOLS[v] ?? v.toUpperCase();
  return /^[A-Z]{3}$/.test(code) ? code : null;
}

function fieldInterval(value: string | null | undefined): SalaryInterval | null {
  const key = (value ?? '')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return INTERVAL_SYNONYMS[key] ?? INTERVAL_SYNONYMS[key.replace(/^per_/, '')] ?? null;
}

/**
 * A structured salary from a board ("3750" strings, "YEAR", "per_week"…), or, when it names no
 * amount at all, whatever `fallbackText` says. A currency that is not a 3-letter code makes the
 * salary unknown rather than guessed.
 */
export function parseSalaryFields(
  input: SalaryFields | null | undefined,
  fallbackText?: string | null,
): Salary | null {
  let min = fieldNumber(input?.min);
  let max = fieldNumber(input?.max);
  if (min === null && max === null) return fallbackText ? parseSalaryText(fallbackText) : null;
  const currency = fieldCurrency(input?.currency);
  if (currency === null) return null;
  if (min !== null && max !== null && min > max) [min, max] = [max, min];
  const interval = fieldInterval(input?.interval) ?? inferInterval(max ?? min ?? 0, currency);
  return { min, max, currency, interval };
}

/** Full-time equivalents: 40 h × 52 weeks, 5 days × 52 weeks. */
export function annualise(s: Salary): AnnualSalary {
  const factor = PER_YEAR[s.interval];
  const scale = (v: number | null) => (v === null ? null : Math.round(v * factor));
  return { min: scale(s.min), max: scale(s.max), currency: s.currency };
}

const SYMBOLS: Readonly<Record<string, string>> = {
  USD: '$',
  EUR: '€',
  GBP: '£',
  CAD: 'CA$',
  AUD: 'A$',
  INR: '₹',
};

function trimDecimals(n: number, digits: number): string {
  return n.toFixed(digits).replace(/\.?0+$/, '');
}

/**
 * One style for every number of a range, so "$130k–150k" never becomes "$130k–150,500":
 * INR in lakh/crore, millions as M, round thousands as k, anything else in full (cents for hourly).
 */
function amountFormatter(values: number[], currency: string): (n: number) => string {
  const all = (test: (n: number) => boolean) => values.every(test);
  if (currency === 'INR') {
    if (all((n) => n >= 1e7 && n % 1e5 === 0)) return (n) => `${trimDecimals(n / 1e7, 2)}Cr`;
    if (all((n) => n >= 1e5 && n % 1e4 === 0)) return (n) => `${trimDecimals(n / 1e5, 1)}L`;
    return (n) => n.toLocaleString('en-IN', { maximumFractionDigits: 2 });
  }
  if (all((n) => n >= 1e6 && n % 1e4 === 0)) return (n) => `${trimDecimals(n / 1e6, 2)}M`;
  // "95.5k" reads well, "4.2k" a month less so than "4,200".
  if (all((n) => (n >= 10_000 && n % 100 === 0) || (n >= 1000 && n % 1000 === 0)))
    return (n) => `${trimDecimals(n / 1000, 1)}k`;
  if (all(Number.isInteger)) return (n) => n.toLocaleString('en-US');
  return (n) => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** "$130k–150k / year", "€3,750–5,250 / month", "up to £95k / year", "from CHF 9k / month". */
export function formatSalary(s: Salary): string {
  const symbol = SYMBOLS[s.currency] ?? `${s.currency} `;
  const values = [s.min, s.max].filter((v): v is number => v !== null);
  const fmt = amountFormatter(values, s.currency);
  const per = ` / ${s.interval}`;
  if (s.min !== null && s.max !== null) {
    const range = s.min === s.max ? fmt(s.min) : `${fmt(s.min)}–${fmt(s.max)}`;
    return `${symbol}${range}${per}`;
  }
  if (s.max !== null) return `up to ${symbol}${fmt(s.max)}${per}`;
  if (s.min !== null) return `from ${symbol}${fmt(s.min)}${per}`;
  return `${s.currency}${per}`;
}
