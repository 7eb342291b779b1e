import type { Reply } from '../../core/reply.ts';
import { HELP_TEXT } from '../commands.ts';
import { PREFERENCE_FIELDS } from '../prefs.ts';

/**
 * The shared replies name the text commands of the other platforms (`/jobs`, `/prefs`); Discord
 * has slash commands with subcommands (`/jobs list`, `/prefs show`) and a form beside
 * `/prefs set`, so its replies say those.
 */

export const DISCORD_HELP = [
  'JobPing finds jobs that fit you and sends them here.',
  '',
  '/jobs list — your current matches, best first',
  '/jobs fetch [query] — fetch the latest postings now and show new matches (e.g. query: rust)',
  '/jobs saved — jobs you saved or applied to',
  '/prefs show — your preferences',
  '/prefs edit — change them in a form: keywords, excluded words, locations, remote, salary floor; alerts, threshold, seniority and blocked companies from the button under it',
  '/prefs set values: key=value … — change any of them, e.g. /prefs set values: tz=Europe/Berlin digest=08:30 digest_days=weekdays quiet=22:00-08:00 cap=5',
  `    keys: ${Object.keys(PREFERENCE_FIELDS).join(', ')}`,
  '/prefs reset learned — forget what your Save and Dismiss clicks taught',
  '/link [code] — a one-time code to join your account on another platform; /link code: CODE there',
  '/help — this message',
  '',
  'Each job card has buttons: Save, Dismiss (never show it again; say why if you like), Applied, Undo, and Open (the posting).',
  'A digest lists its jobs in one message: pick one from its Save, Dismiss, Applied or Undo menu; a title opens the posting.',
  'Good new matches come as direct messages (set alerts to off in /prefs edit to stop them).',
].join('\n');

const WELCOME = 'Welcome to JobPing! Tell me what you look for with /prefs edit, then try /jobs fetch.';
const FORM_HINT = ' (or use the form: /prefs edit, or the buttons below)';

export function forDiscordText(text: string): string {
  if (text.includes(HELP_TEXT))
    return text.startsWith('Welcome') ? `${WELCOME}\n\n${DISCORD_HELP}` : DISCORD_HELP;
  return (
    text
      .replace(/^(Change them with \/prefs set key=value[^\n]*)$/m, `$1${FORM_HINT}`)
      // Search preferences are quickest to widen in the form.
      .replace(/(widen your preferences with) \/prefs set\b/, '$1 /prefs edit')
      .replace(/\/prefs\b(?! (?:show|edit|set|reset)\b)/g, '/prefs show')
      .replace(/\/jobs\b(?! (?:list|fetch|saved)\b)/g, '/jobs list')
  );
}

export function forDiscord(reply: Reply): Reply {
  const text = forDiscordText(reply.text);
  return text === reply.text ? reply : { ...reply, text };
}
