import type { Command } from '../core/commands.ts';
import { InvalidInputError } from '../core/errors.ts';
import { PREFS_USAGE, parsePreferenceChanges, splitAssignments } from './prefs.ts';

/** Chat text → Command. The same words work on every platform. */

export const USAGE: Record<string, string> = {
  jobs: '/jobs [list|saved|fetch [query]] [page]',
  prefs: PREFS_USAGE,
  link: '/link (get a code) or /link CODE (enter a code from your other platform)',
  help: '/help',
};

export const HELP_TEXT = [
  'JobPing finds jobs that fit you and sends them here.',
  '',
  '/jobs — your current matches, best first (e.g. /jobs 2 for page 2)',
  '/jobs fetch [query] — fetch the latest postings now and show new matches (e.g. /jobs fetch rust)',
  '/jobs saved — jobs you saved or applied to',
  '/prefs — show your preferences',
  '/prefs set key=value … — change them, e.g. /prefs set keywords=typescript,node remote=yes salary_min=120000 currency=USD',
  '    keys: keywords, exclude, locations, remote (yes/hybrid/onsite/flexible/any), salary_min, currency,',
  '          seniority (junior, mid, senior, staff, …), blocked (companies), alerts (instant/digest/off), threshold (0–100)',
  '    when: tz=Europe/Berlin, digest=08:30, digest_days=weekdays, quiet=22:00-08:00, cap=5, alerts_on=telegram',
  '/prefs reset learned — forget what your Save and Dismiss clicks taught',
  '/link — a one-time code to join your account on another platform; /link CODE there',
  '/help — this message',
  '',
  'Each job card has buttons: Save, Dismiss (never show it again; say why if you like), Applied, and Open.',
].join('\n');

function page(word: string | undefined, usage: string): number {
  if (word === undefined) return 1;
  if (!/^\d{1,6}$/.test(word) || Number(word) < 1) {
    throw new InvalidInputError(`"${word}" is not a page number`, { usage });
  }
  return Number(word);
}

/**
 * Parses one message. Accepts "/jobs@BotName fetch" (Telegram groups) and no leading slash for
 * the console. Throws InvalidInputError with the usage line for anything it cannot read.
 */
export function parseCommand(text: string): Command {
  const trimmed = text.trim().slice(0, 2000);
  const match = /^\/?([a-z]+)(?:@\w+)?(?:\s+([\s\S]*))?$/i.exec(trimmed);
  if (!match) throw new InvalidInputError('I did not understand that. Try /help.', { usage: USAGE.help });
  const name = match[1]!.toLowerCase();
  const rest = (match[2] ?? '').trim();
  const words = rest.split(/\s+/).filter(Boolean);

  switch (name) {
    case 'start':
      return { name: 'start' };
    case 'help':
      return { name: 'help' };
    case 'jobs': {
      const [sub, ...args] = words;
      const usage = USAGE.jobs!;
      if (sub === undefined) return { name: 'jobs.list', page: 1 };
      if (/^\d+$/.test(sub)) return { name: 'jobs.list', page: page(sub, usage) };
      switch (sub.toLowerCase()) {
        case 'list':
          return { name: 'jobs.list', page: page(args[0], usage) };
        case 'saved':
          return { name: 'jobs.saved', page: page(args[0], usage) };
        case 'fetch': {
          const query = rest.slice(sub.length).trim().slice(0, 200);
          return { name: 'jobs.fetch', query: query || null };
        }
        default:
          throw new InvalidInputError(`/jobs has no "${sub}"`, { usage });
      }
    }
    case 'prefs': {
      const [sub] = words;
      if (sub === undefined || sub.toLowerCase() === 'show') return { name: 'prefs.show' };
      if (sub.toLowerCase() === 'set') {
        const assignments = rest.slice(sub.length);
        return { name: 'prefs.set', changes: parsePreferenceChanges(splitAssignments(assignments)) };
      }
      if (sub.toLowerCase() === 'reset') {
        if (words[1]?.toLowerCase() === 'learned' && words.length === 2)
          return { name: 'prefs.reset', what: 'learned' };
        throw new InvalidInputError('Reset what? /prefs reset learned forgets what your clicks taught.', {
          usage: USAGE.prefs,
        });
      }
      throw new InvalidInputError(`/prefs has no "${sub}"`, { usage: USAGE.prefs });
    }
    case 'link': {
      if (words.length === 0) return { name: 'link.start' };
      const code = words.join('');
      if (!/^[a-z0-9-]{4,20}$/i.test(code))
        throw new InvalidInputError(`"${code.slice(0, 30)}" is not a link code`, { usage: USAGE.link });
      return { name: 'link.redeem', code };
    }
    default:
      throw new InvalidInputError(`Unknown command /${name}. Try /help.`, { usage: USAGE.help });
  }
}
