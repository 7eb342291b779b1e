import { createHash, randomInt } from 'node:crypto';
import { InvalidInputError } from '../core/errors.ts';
import { describeLearned, hasLearned, learnFrom } from '../core/learning.ts';
import type { Reply } from '../core/reply.ts';
import type { Actor, Preferences } from '../core/types.ts';
import { loadHistory, resetLearned } from '../db/learning.ts';
import { createLinkCode, mergeUsers, takeLinkCode } from '../db/links.ts';
import { type Db, withTransaction } from '../db/pool.ts';
import { getPreferences, listIdentities, type UserRow, updatePreferences } from '../db/users.ts';
import type { BotDeps } from './handlers.ts';
import { describePreferences, MATCHING_PREFERENCES, type PreferenceField } from './prefs.ts';
import { rematchUser } from './rematch.ts';

/** `/prefs` (show, set, reset learned) and `/link`: what belongs to the person, not to one job. */

const bullets = (lines: string[]) => lines.map((l) => `• ${l}`);

async function learnedLines(deps: BotDeps, userId: number, prefs: Preferences): Promise<string[]> {
  const history = (await loadHistory(deps.pool, [userId])).get(userId) ?? [];
  const learned = learnFrom(history, { keywords: prefs.keywords, currency: prefs.salaryCurrency });
  if (!hasLearned(learned)) return [];
  return [
    '',
    'Learned from your Save and Dismiss clicks:',
    ...bullets(describeLearned(learned)),
    'Forget it with /prefs reset learned',
  ];
}

export async function showPreferences(deps: BotDeps, userId: number): Promise<Reply> {
  const prefs = await getPreferences(deps.pool, userId);
  return {
    text: [
      'Your preferences:',
      ...bullets(describePreferences(prefs)),
      ...(await learnedLines(deps, userId, prefs)),
      '',
      'Change them with /prefs set key=value, e.g. /prefs set remote=yes salary_min=120k quiet=22:00-08:00',
    ].join('\n'),
    ephemeral: true,
  };
}

/** A change that is well-formed but cannot be saved for this user, and the field it came from. */
export interface PreferenceRefusal {
  field: PreferenceField;
  message: string;
}

/**
 * The rules that need the user's own data (which accounts are linked). `/prefs set` and every
 * platform's form check them before saving anything, so a form can show each next to its field.
 */
export async function refusedPreferences(
  db: Db,
  userId: number,
  changes: Partial<Preferences>,
): Promise<PreferenceRefusal[]> {
  const refusals: PreferenceRefusal[] = [];
  const platform = changes.alertPlatform;
  if (platform) {
    const platforms = (await listIdentities(db, userId)).map((i) => i.platform);
    if (!platforms.includes(platform))
      refusals.push({
        field: 'alerts_on',
        message: `You have no ${platform} account linked yet: send /link here, then the code from your ${platform} account.`,
      });
  }
  return refusals;
}

export async function setPreferences(
  deps: BotDeps,
  user: UserRow,
  changes: Partial<Preferences>,
): Promise<Reply> {
  const refused = await refusedPreferences(deps.pool, user.id, changes);
  if (refused.length)
    throw new InvalidInputError(`Nothing was saved. ${refused.map((r) => r.message).join(' ')}`, {
      field: refused[0]!.field,
    });
  const rematch = MATCHING_PREFERENCES.some((key) => changes[key] !== undefined);
  const prefs = await withTransaction(deps.pool, async (tx) => {
    const updated = await updatePreferences(tx, user.id, changes);
    if (rematch) await rematchUser(tx, user.id, deps.clock.now());
    return updated;
  });
  return {
    text: [
      'Saved. Your preferences:',
      ...bullets(describePreferences(prefs)),
      '',
      rematch
        ? 'See what fits now with /jobs, or /jobs fetch for the latest postings.'
        : 'Your matches stay as they are; this changes when and where you hear from me.',
    ].join('\n'),
    ephemeral: true,
  };
}

export async function resetLearnedPreferences(deps: BotDeps, userId: number): Promise<Reply> {
  await resetLearned(deps.pool, userId, deps.clock.now());
  return {
    text: 'Done: your earlier Save and Dismiss clicks no longer change scores. New clicks teach me again.',
    ephemeral: true,
  };
}

/** Unambiguous letters and digits (no 0/O, 1/I/L). */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 8;
export const LINK_CODE_MINUTES = 10;

const hashCode = (code: string) => createHash('sha256').update(code).digest('hex');

export async function startLink(deps: BotDeps, userId: number): Promise<Reply> {
  const code = Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  const expires = new Date(deps.clock.now().getTime() + LINK_CODE_MINUTES * 60_000);
  await createLinkCode(deps.pool, userId, hashCode(code), expires);
  return {
    text: [
      `Your link code: ${code}`,
      `On your other platform (Slack, Discord, Telegram…), send /link ${code} within ${LINK_CODE_MINUTES} minutes.`,
      'The two accounts then become one JobPing user, with the preferences you have here. The code works once.',
    ].join('\n'),
    ephemeral: true,
  };
}

const WHY: Record<'unknown' | 'used' | 'expired', string> = {
  unknown: 'That link code is not valid.',
  used: 'That link code was already used.',
  expired: `That link code has expired (codes last ${LINK_CODE_MINUTES} minutes).`,
};

export async function redeemLink(deps: BotDeps, actor: Actor, user: UserRow, typed: string): Promise<Reply> {
  const code = typed.toUpperCase().replace(/[^A-Z0-9]/g, '');
  const keeper = await withTransaction(deps.pool, async (tx) => {
    const taken = await takeLinkCode(tx, hashCode(code), deps.clock.now());
    if (!taken.ok) return taken;
    if (taken.userId !== user.id) await mergeUsers(tx, taken.userId, user.id);
    return taken;
  });
  if (!keeper.ok)
    throw new InvalidInputError(`${WHY[keeper.why]} Send /link on your other platform for a new one.`, {
      usage: '/link CODE',
    });
  if (keeper.userId === user.id)
    return { text: 'This account is already part of that JobPing user.', ephemeral: true };
  const [prefs, identities] = await Promise.all([
    getPreferences(deps.pool, keeper.userId),
    listIdentities(deps.pool, keeper.userId),
  ]);
  const others = [
    ...new Set(
      identities
        .filter((i) => i.externalId !== actor.externalId || i.platform !== actor.platform)
        .map((i) => i.platform),
    ),
  ];
  return {
    text: [
      `Linked: this ${actor.platform} account and your ${others.join(', ')} account are now one JobPing user.`,
      'Your preferences, saved jobs and history are shared; the preferences from the account that made the code apply.',
      `Alerts go to ${prefs.alertPlatform ?? 'the platform you used last'}; choose with /prefs set alerts_on=${actor.platform}`,
    ].join('\n'),
    ephemeral: true,
  };
}
