import { type APIModalInteractionResponseCallbackData, ComponentType, TextInputStyle } from 'discord.js';
import { z } from 'zod';
import type { Command } from '../../core/commands.ts';
import { InvalidInputError } from '../../core/errors.ts';
import type { ReplyButton } from '../../core/reply.ts';
import { CURRENCIES, type Preferences, type RemotePreference } from '../../core/types.ts';
import { parsePreferenceChanges } from '../prefs.ts';

/**
 * `/prefs edit` as two Discord modals. A modal holds at most five inputs and ten preferences do
 * not fit, and a modal cannot open another one, so the fields are split by what users change
 * most: "Search" (keywords, excluded words, locations, remote, salary floor + currency in one
 * input) opens from `/prefs edit`; "Alerts and filters" (alerts, threshold, seniority, blocked
 * companies) opens from a button under every preferences reply. Inputs are free text validated
 * with PREFERENCE_FIELDS, like `/prefs set` elsewhere, so every platform accepts the same words.
 */

export const PREFS_FORMS = ['search', 'alerts'] as const;
export type PrefsForm = (typeof PREFS_FORMS)[number];

/** Modal ids and the ids of the buttons that open them. */
export const prefsFormId = (form: PrefsForm) => `prefs:${form}`;

export function prefsFormOf(customId: string): PrefsForm | null {
  const form = customId.startsWith('prefs:') ? customId.slice('prefs:'.length) : '';
  return (PREFS_FORMS as readonly string[]).includes(form) ? (form as PrefsForm) : null;
}

export const PREFS_BUTTONS: ReplyButton[] = [
  { label: 'Edit search', action: prefsFormId('search') },
  { label: 'Edit alerts and filters', action: prefsFormId('alerts') },
];

interface Input {
  id: string;
  label: string;
  description: string;
  maxLength: number;
  required: boolean;
  value: (p: Preferences) => string;
}

const REMOTE_WORDS: Record<RemotePreference, string> = {
  any: 'any',
  remote: 'yes',
  hybrid: 'hybrid',
  onsite: 'onsite',
  remote_or_hybrid: 'flexible',
};

const list = (xs: string[]) => xs.join(', ');

const FORMS: Record<PrefsForm, { title: string; inputs: Input[] }> = {
  search: {
    title: 'Search preferences',
    inputs: [
      {
        id: 'keywords',
        label: 'Keywords',
        description: 'Words a job must mention, comma-separated. Empty: every job.',
        maxLength: 600,
        required: false,
        value: (p) => list(p.keywords),
      },
      {
        id: 'exclude',
        label: 'Excluded words',
        description: 'A job whose title mentions one is left out, e.g. php, intern',
        maxLength: 600,
        required: false,
        value: (p) => list(p.excludedWords),
      },
      {
        id: 'locations',
        label: 'Locations',
        description: 'Places for on-site and hybrid jobs; remote jobs always pass.',
        maxLength: 600,
        required: false,
        value: (p) => list(p.locations),
      },
      {
        id: 'remote',
        label: 'Remote',
        description: 'yes (remote only), hybrid, onsite, flexible (remote or hybrid) or any',
        maxLength: 20,
        required: true,
        value: (p) => REMOTE_WORDS[p.remote],
      },
      {
        id: 'salary',
        label: 'Salary floor per year',
        description: `e.g. 120k ${CURRENCIES[0]} (${CURRENCIES.join(', ')}). Empty: no floor.`,
        maxLength: 40,
        required: false,
        value: (p) => (p.salaryMin === null ? '' : `${p.salaryMin} ${p.salaryCurrency}`),
      },
    ],
  },
  alerts: {
    title: 'Alerts and filters',
    inputs: [
      {
        id: 'alerts',
        label: 'Alerts',
        description: 'instant (a DM per good match), digest or off',
        maxLength: 20,
        required: true,
        value: (p) => p.alertMode,
      },
      {
        id: 'threshold',
        label: 'Alert threshold',
        description: 'Minimum score (0–100) for an instant alert',
        maxLength: 5,
        required: true,
        value: (p) => String(p.alertThreshold),
      },
      {
        id: 'seniority',
        label: 'Seniority',
        description: 'Levels you want, e.g. senior, staff. Empty: any level.',
        maxLength: 200,
        required: false,
        value: (p) => list(p.seniority),
      },
      {
        id: 'blocked',
        label: 'Blocked companies',
        description: 'Comma-separated; their jobs never show up.',
        maxLength: 600,
        required: false,
        value: (p) => list(p.blockedCompanies),
      },
    ],
  },
};

/** The modal, filled in with the current preferences. */
export function prefsModal(form: PrefsForm, prefs: Preferences): APIModalInteractionResponseCallbackData {
  const { title, inputs } = FORMS[form];
  return {
    custom_id: prefsFormId(form),
    title,
    components: inputs.map((input) => {
      const value = input.value(prefs).slice(0, input.maxLength);
      return {
        type: ComponentType.Label,
        label: input.label,
        description: input.description,
        component: {
          type: ComponentType.TextInput,
          custom_id: input.id,
          style: TextInputStyle.Short,
          max_length: input.maxLength,
          required: input.required,
          ...(value ? { value } : {}),
        },
      };
    }),
  };
}

/** "120k USD", "USD 120000", "90000", "" → the salary_min (and currency) assignments. */
function salaryPairs(text: string): [string, string][] {
  const t = text.trim();
  const trailing = /^(.*\d.*?)\s*([A-Za-z]{3})$/.exec(t);
  const leading = /^([A-Za-z]{3})\s*(.*\d.*)$/.exec(t);
  if (trailing)
    return [
      ['salary_min', trailing[1]!],
      ['currency', trailing[2]!],
    ];
  if (leading)
    return [
      ['salary_min', leading[2]!],
      ['currency', leading[1]!],
    ];
  return [['salary_min', t]];
}

/**
 * The preference change a submitted modal asks for, validated field by field with
 * PREFERENCE_FIELDS; throws one InvalidInputError naming every bad field, having saved nothing.
 */
export function prefsCommandOf(form: PrefsForm, submitted: Record<string, string>): Command {
  const { inputs } = FORMS[form];
  const shape = z.object(
    Object.fromEntries(
      inputs.map((i) => [i.id, z.string().max(i.maxLength, `at most ${i.maxLength} characters`)]),
    ),
  );
  const parsed = shape.safeParse(submitted);
  if (!parsed.success) {
    const bad = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new InvalidInputError(`Nothing was saved. The form came back incomplete (${bad.join('; ')}).`);
  }
  const values = parsed.data as Record<string, string>;
  const pairs: [string, string][] = inputs.flatMap((input): [string, string][] =>
    input.id === 'salary' ? salaryPairs(values.salary ?? '') : [[input.id, values[input.id] ?? '']],
  );
  return { name: 'prefs.set', changes: parsePreferenceChanges(pairs) };
}
