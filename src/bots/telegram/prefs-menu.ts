import type { InlineKeyboardMarkup } from 'grammy/types';
import { CURRENCIES, PLATFORMS } from '../../core/types.ts';
import { PREFERENCE_FIELDS, type PreferenceField } from '../prefs.ts';
import { callbackButton, rows } from './render.ts';

/**
 * The /prefs menu: a button per preference. Fields with a few fixed values (remote, alerts,
 * currency) offer them as buttons; the others ask for a free-text answer. Button data:
 *   "pm"               show the menu (under /start)
 *   "pf:<field>"       change this field
 *   "pv:<field>:<v>"   set a fixed value
 *   "pb"               back from a value list to the menu
 * Values go through PREFERENCE_FIELDS like `/prefs set`, so the rules are the same everywhere.
 */

export type PrefsAction =
  | { kind: 'menu' }
  | { kind: 'back' }
  | { kind: 'field'; field: PreferenceField }
  | { kind: 'value'; field: PreferenceField; value: string };

export const FIELD_LABELS: Record<PreferenceField, string> = {
  keywords: 'Keywords',
  exclude: 'Excluded words',
  locations: 'Locations',
  remote: 'Remote',
  salary_min: 'Salary floor',
  currency: 'Currency',
  seniority: 'Seniority',
  blocked: 'Blocked companies',
  alerts: 'Alerts',
  threshold: 'Alert threshold',
  digest: 'Digest time',
  digest_days: 'Digest days',
  tz: 'Time zone',
  quiet: 'Quiet hours',
  cap: 'Daily cap',
  alerts_on: 'Alerts go to',
};

/** Fixed values, as [label, what the user would type]; each is valid for its field's schema. */
export const CHOICES: Partial<Record<PreferenceField, [string, string][]>> = {
  remote: [
    ['Remote only', 'yes'],
    ['Remote or hybrid', 'flexible'],
    ['Hybrid', 'hybrid'],
    ['On-site', 'onsite'],
    ['Any', 'any'],
  ],
  alerts: [
    ['Instant', 'instant'],
    ['Digest', 'digest'],
    ['Off', 'off'],
  ],
  currency: CURRENCIES.map((c) => [c, c]),
  digest_days: [
    ['Every day', 'daily'],
    ['Weekdays', 'weekdays'],
  ],
  alerts_on: [
    ['Last used', 'last'],
    ...PLATFORMS.map((p): [string, string] => [p[0]!.toUpperCase() + p.slice(1), p]),
  ],
};

const isField = (s: string | undefined): s is PreferenceField => s !== undefined && s in PREFERENCE_FIELDS;

/** Menu button data → action; null for anything that is not ours (match and page buttons). */
export function decodePrefsAction(data: string): PrefsAction | null {
  if (data === 'pm') return { kind: 'menu' };
  if (data === 'pb') return { kind: 'back' };
  const [kind, field, ...rest] = data.split(':');
  if (kind === 'pf' && isField(field) && rest.length === 0) return { kind: 'field', field };
  if (kind === 'pv' && isField(field) && rest.length > 0) {
    const value = rest.join(':');
    if (CHOICES[field]?.some(([, v]) => v === value)) return { kind: 'value', field, value };
  }
  return null;
}

export function menuKeyboard(): InlineKeyboardMarkup {
  const buttons = (Object.keys(FIELD_LABELS) as PreferenceField[]).map((f) =>
    callbackButton(FIELD_LABELS[f], `pf:${f}`),
  );
  return { inline_keyboard: rows(buttons, 2) };
}

export function choicesKeyboard(field: PreferenceField): InlineKeyboardMarkup {
  const buttons = (CHOICES[field] ?? []).map(([label, value]) =>
    callbackButton(label, `pv:${field}:${value}`),
  );
  return { inline_keyboard: [...rows(buttons, 3), [callbackButton('« Back', 'pb')]] };
}

export const OFFER_KEYBOARD: InlineKeyboardMarkup = {
  inline_keyboard: [[callbackButton('Set my preferences', 'pm')]],
};

/** What to send to get a free-text value for this field. */
export function promptText(field: PreferenceField): string {
  const help = PREFERENCE_FIELDS[field].help.replace(/e\.g\. \w+=/g, 'e.g. ');
  const lines = [`Send me your new ${FIELD_LABELS[field].toLowerCase()}: ${help}.`];
  if (['keywords', 'exclude', 'locations', 'seniority', 'blocked'].includes(field))
    lines.push('Send "none" to clear it.');
  lines.push('Any command (like /prefs) cancels.');
  return lines.join('\n');
}
