import type { Reply } from '../../core/reply.ts';
import { HELP_TEXT } from '../commands.ts';

/**
 * The shared replies name the text commands of the other platforms (`/jobs`, `/prefs set`);
 * Discord has slash commands with subcommands and a form instead, so its replies say those.
 */

export const DISCORD_HELP = [
  'JobPing finds jobs that fit you and sends them here.',
  '',
  '/jobs list — your current matches, best first',
  '/jobs fetch [query] — fetch the latest postings now and show new matches (e.g. query: rust)',
  '/jobs saved — jobs you saved or applied to',
  '/prefs show — your preferences',
  '/prefs edit — change them: keywords, excluded words, locations, remote, salary floor; alerts, threshold, seniority and blocked companies from the button under it',
  '/help — this message',
  '',
  'Each job card has buttons: Save, Dismiss (never show it again), Applied, Undo, and Open (the posting).',
  'Good new matches come as direct messages (set alerts to off in /prefs edit to stop them).',
].join('\n');

const WELCOME = 'Welcome to JobPing! Tell me what you look for with /prefs edit, then try /jobs fetch.';

export function forDiscordText(text: string): string {
  if (text.includes(HELP_TEXT))
    return text.startsWith('Welcome') ? `${WELCOME}\n\n${DISCORD_HELP}` : DISCORD_HELP;
  return text
    .replace(/\/prefs set key=value[^\n]*/g, '/prefs edit or the buttons below')
    .replace(/\/prefs set\b/g, '/prefs edit')
    .replace(/\/jobs\b(?! (?:list|fetch|saved)\b)/g, '/jobs list');
}

export function forDiscord(reply: Reply): Reply {
  const text = forDiscordText(reply.text);
  return text === reply.text ? reply : { ...reply, text };
}
