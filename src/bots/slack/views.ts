import type { types } from '@slack/bolt';
import { z } from 'zod';
import type { Reply } from '../../core/reply.ts';
import {
  type ALERT_MODES,
  CURRENCIES,
  PLATFORMS,
  type Preferences,
  type REMOTE_PREFERENCES,
  SENIORITIES,
} from '../../core/types.ts';
import {
  describePreferences,
  PREFERENCE_FIELDS,
  type PreferenceField,
  parsePreferenceField,
} from '../prefs.ts';
import { type Block, escapeMrkdwn, LIMITS, renderReply, truncate } from './blocks.ts';

/**
 * The /prefs modal and the App Home tab. The modal shows every preference prefilled; its answer is
 * checked field by field with the same schemas as `/prefs set`, so Slack can show each problem
 * next to its field and nothing is saved unless every field is valid.
 */

export const PREFS_CALLBACK_ID = 'prefs';
/** An error next to a field stays a few lines long, whatever it quotes. */
const MAX_ERROR = 2000;
export const EDIT_PREFS_ACTION = 'prefs:edit';
const VALUE = 'value';

type Option = types.PlainTextOption;
const option = (value: string, label: string): Option => ({
  text: { type: 'plain_text', text: truncate(label, 75) },
  value,
});

const REMOTE_OPTIONS: Record<(typeof REMOTE_PREFERENCES)[number], string> = {
  any: 'Any',
  remote: 'Remote only',
  hybrid: 'Hybrid only',
  onsite: 'On-site only',
  remote_or_hybrid: 'Remote or hybrid',
};
const ALERT_OPTIONS: Record<(typeof ALERT_MODES)[number], string> = {
  instant: 'Instant: a message per good match',
  digest: 'Digest',
  off: 'Off',
};

interface FieldSpec {
  label: string;
  optional: boolean;
  element: (p: Preferences) => types.InputBlockElement;
}

const text = (initial: string, placeholder: string): types.PlainTextInput => ({
  type: 'plain_text_input',
  action_id: VALUE,
  max_length: 3000,
  ...(initial ? { initial_value: truncate(initial, 3000) } : {}),
  placeholder: { type: 'plain_text', text: truncate(placeholder, 150) },
});
const select = (options: Option[], initial: string): types.StaticSelect => ({
  type: 'static_select',
  action_id: VALUE,
  options,
  ...(options.find((o) => o.value === initial)
    ? { initial_option: options.find((o) => o.value === initial) }
    : {}),
});

/** The modal's fields, in order; block ids are the field names `/prefs set` uses. */
const FIELDS: Record<PreferenceField, FieldSpec> = {
  keywords: {
    label: 'Keywords',
    optional: true,
    element: (p) => text(p.keywords.join(', '), 'typescript, node'),
  },
  exclude: {
    label: 'Excluded words',
    optional: true,
    element: (p) => text(p.excludedWords.join(', '), 'php, intern'),
  },
  locations: {
    label: 'Locations',
    optional: true,
    element: (p) => text(p.locations.join(', '), 'berlin, london'),
  },
  remote: {
    label: 'Remote',
    optional: false,
    element: (p) =>
      select(
        Object.entries(REMOTE_OPTIONS).map(([v, l]) => option(v, l)),
        p.remote,
      ),
  },
  salary_min: {
    label: 'Salary floor (yearly)',
    optional: true,
    element: (p) => text(p.salaryMin === null ? '' : String(p.salaryMin), '120k'),
  },
  currency: {
    label: 'Currency',
    optional: false,
    element: (p) =>
      select(
        CURRENCIES.map((c) => option(c, c)),
        p.salaryCurrency,
      ),
  },
  seniority: {
    label: 'Seniority',
    optional: true,
    element: (p) => {
      const options = SENIORITIES.map((s) => option(s, s));
      const initial = options.filter((o) => p.seniority.includes(o.value as (typeof SENIORITIES)[number]));
      return {
        type: 'multi_static_select',
        action_id: VALUE,
        options,
        ...(initial.length ? { initial_options: initial } : {}),
        placeholder: { type: 'plain_text', text: 'Any level' },
      };
    },
  },
  blocked: {
    label: 'Blocked companies',
    optional: true,
    element: (p) => text(p.blockedCompanies.join(', '), 'initech, globex'),
  },
  alerts: {
    label: 'Alerts',
    optional: false,
    element: (p) =>
      select(
        Object.entries(ALERT_OPTIONS).map(([v, l]) => option(v, l)),
        p.alertMode,
      ),
  },
  threshold: {
    label: 'Alert threshold (0–100)',
    optional: false,
    element: (p) => text(String(p.alertThreshold), '70'),
  },
  digest: {
    label: 'Digest time (local)',
    optional: false,
    element: (p) => text(p.digestTime, '08:30'),
  },
  digest_days: {
    label: 'Digest days',
    optional: false,
    element: (p) => select([option('daily', 'Every day'), option('weekdays', 'Weekdays')], p.digestDays),
  },
  tz: {
    label: 'Time zone',
    optional: false,
    element: (p) => text(p.timeZone, 'Europe/Berlin'),
  },
  quiet: {
    label: 'Quiet hours',
    optional: true,
    element: (p) => text(p.quietStart && p.quietEnd ? `${p.quietStart}-${p.quietEnd}` : '', '22:00-08:00'),
  },
  cap: {
    label: 'Instant alerts per day at most',
    optional: true,
    element: (p) => text(p.dailyCap === null ? '' : String(p.dailyCap), 'no limit'),
  },
  alerts_on: {
    label: 'Alerts go to',
    optional: false,
    element: (p) =>
      select(
        [option('last', 'The platform I used last'), ...PLATFORMS.map((x) => option(x, x))],
        p.alertPlatform ?? 'last',
      ),
  },
};

/** Where the modal was opened from, so the answer can go back there. */
export const modalOriginSchema = z.object({
  /** The /prefs command's response_url: a private "Saved" note goes there. */
  responseUrl: z.url().max(2000).optional(),
  /** Opened from App Home: the tab is redrawn after saving. */
  home: z.boolean().optional(),
});
export type ModalOrigin = z.infer<typeof modalOriginSchema>;

export function prefsModal(prefs: Preferences, origin: ModalOrigin): types.ModalView {
  const blocks: Block[] = Object.entries(FIELDS).map(([field, spec]) => ({
    type: 'input',
    block_id: field,
    label: { type: 'plain_text', text: spec.label },
    optional: spec.optional,
    hint: { type: 'plain_text', text: truncate(PREFERENCE_FIELDS[field as PreferenceField].help, 2000) },
    element: spec.element(prefs),
  }));
  return {
    type: 'modal',
    callback_id: PREFS_CALLBACK_ID,
    title: { type: 'plain_text', text: 'Job preferences' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: JSON.stringify(origin).slice(0, 3000),
    blocks,
  };
}

const stateValue = z.object({
  type: z.string(),
  value: z.string().nullish(),
  selected_option: z.object({ value: z.string() }).nullish(),
  selected_options: z.array(z.object({ value: z.string() })).nullish(),
});
export const viewStateSchema = z.record(z.string(), z.record(z.string(), stateValue));
export type ViewState = z.infer<typeof viewStateSchema>;

function rawValue(state: ViewState, field: string): string {
  const v = state[field]?.[VALUE];
  if (!v) return '';
  if (v.selected_options) return v.selected_options.map((o) => o.value).join(',');
  if (v.selected_option !== undefined) return v.selected_option?.value ?? '';
  return v.value ?? '';
}

/**
 * Reads a submission: either the changes of every field (each checked with the same schema as
 * `/prefs set`) or, per field, what is wrong with it.
 */
export function readPrefsSubmission(
  state: ViewState,
):
  | { ok: true; changes: Partial<Preferences>; fields: PreferenceField[] }
  | { ok: false; errors: Record<string, string> } {
  let changes: Partial<Preferences> = {};
  const errors: Record<string, string> = {};
  // A field the form did not have (a modal opened before an upgrade added it) stays as it is.
  const fields = (Object.keys(FIELDS) as PreferenceField[]).filter((field) => field in state);
  for (const field of fields) {
    const parsed = parsePreferenceField(field, rawValue(state, field));
    if (parsed.ok) changes = { ...changes, ...parsed.changes };
    else errors[field] = truncate(parsed.message, MAX_ERROR);
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, changes, fields };
}

/**
 * Refusals that came after the fields were read (the user's linked accounts), as Slack's
 * `response_action: errors`: each next to the field it is about, the modal left open.
 */
export function fieldErrors(
  refusals: readonly { field: PreferenceField; message: string }[],
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const r of refusals)
    errors[r.field] = truncate(errors[r.field] ? `${errors[r.field]} ${r.message}` : r.message, MAX_ERROR);
  return errors;
}

/** App Home: a note (after a click), the preferences with an Edit button, then a page of saved jobs. */
export function homeView(input: { prefs: Preferences; saved: Reply; notice?: Reply }): types.HomeView {
  const blocks: Block[] = [{ type: 'header', text: { type: 'plain_text', text: 'JobPing' } }];
  if (input.notice) {
    const note = input.notice.tone === 'error' ? `:warning: ${input.notice.text}` : `✅ ${input.notice.text}`;
    blocks.push({
      type: 'context',
      block_id: 'home:notice',
      elements: [{ type: 'mrkdwn', text: truncate(escapeMrkdwn(note), LIMITS.contextText) }],
    });
    // The note's own buttons (why a job was dismissed) answer it right there.
    const answers = input.notice.buttons ?? [];
    if (answers.length) {
      blocks.push({
        type: 'actions',
        block_id: 'home:notice:answers',
        elements: answers.slice(0, LIMITS.actionElements).map((b) => ({
          type: 'button',
          action_id: b.action,
          text: { type: 'plain_text', text: truncate(b.label, LIMITS.buttonText) },
          value: b.action,
        })),
      });
    }
  }
  blocks.push(
    {
      type: 'section',
      block_id: 'home:prefs',
      text: {
        type: 'mrkdwn',
        text: truncate(
          `*Your preferences*\n${describePreferences(input.prefs)
            .map((l) => `• ${escapeMrkdwn(l)}`)
            .join('\n')}`,
          LIMITS.sectionText,
        ),
      },
      accessory: {
        type: 'button',
        action_id: EDIT_PREFS_ACTION,
        text: { type: 'plain_text', text: 'Edit' },
        value: 'edit',
      },
    },
    { type: 'divider' },
  );
  blocks.push(
    { type: 'section', block_id: 'home:saved', text: { type: 'mrkdwn', text: '*Saved jobs*' } },
    ...renderReply(input.saved).blocks,
  );
  blocks.push({
    type: 'context',
    elements: [
      { type: 'mrkdwn', text: 'Type /jobs fetch anywhere to look for new jobs, /help for every command.' },
    ],
  });
  return {
    type: 'home',
    private_metadata: JSON.stringify({ page: input.saved.page?.index ?? 1 }),
    blocks: blocks.slice(0, LIMITS.viewBlocks),
  };
}
