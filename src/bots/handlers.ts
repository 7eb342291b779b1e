import type pg from 'pg';
import { pageActionId } from '../core/actions.ts';
import {
  buildCard,
  type DescribeSource,
  DISMISS_QUESTION,
  digestReply,
  dismissReasonButtons,
} from '../core/cards.ts';
import type { Command } from '../core/commands.ts';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../core/errors.ts';
import type { Clock, LogPort } from '../core/ports.ts';
import { DISMISS_REASON_LABELS, type Reply, STATUS_LABELS } from '../core/reply.ts';
import type { Actor, MatchStatus } from '../core/types.ts';
import { digestItems, getDigest } from '../db/digests.ts';
import { applyMatchAction, listMatches, type MatchView, setDismissReason } from '../db/matches.ts';
import { withTransaction } from '../db/pool.ts';
import { ensureUser } from '../db/users.ts';
import { DIGEST_PAGE_SIZE } from '../pipeline/digest.ts';
import { requestFetch } from '../pipeline/fetch.ts';
import type { Queues } from '../pipeline/queues.ts';
import {
  redeemLink,
  resetLearnedPreferences,
  setPreferences,
  showPreferences,
  startLink,
} from './account.ts';
import { HELP_TEXT, parseCommand } from './commands.ts';
import { waitForFetch } from './fetch-progress.ts';

/**
 * Command → Reply, the same for every platform. Adapters turn their SDK's events into an Actor
 * and a Command, and render the Reply; nothing here knows which platform it serves.
 */

export interface BotDeps {
  pool: pg.Pool;
  queues: Queues;
  clock: Clock;
  logger: LogPort;
  describeSource: DescribeSource;
  /** How often `/jobs fetch` looks at its progress, and how long it waits at most. */
  fetchPollMs?: number;
  fetchTimeoutMs?: number;
}

/** What a handler may do while it works: update its one progress message. */
export interface Conversation {
  progress(reply: Reply): Promise<void>;
}

export const PAGE_SIZE = 5;
const WELCOME =
  'Welcome to JobPing! Tell me what you look for, then fetch:\n/prefs set keywords=typescript,node remote=yes\n/jobs fetch';
const DONE = { save: 'Saved', dismiss: 'Dismissed', applied: 'Marked as applied' } as const;
const noProgress: Conversation = { progress: async () => {} };

function pageOf(
  items: MatchView[],
  total: number,
  index: number,
  list: 'jobs' | 'saved',
  deps: BotDeps,
  title: string,
): Reply {
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  if (total === 0) {
    return {
      text:
        list === 'jobs'
          ? 'No matches yet. Try /jobs fetch, or widen your preferences with /prefs set.'
          : 'Nothing saved yet. Press Save on a job card to keep it here.',
    };
  }
  const buttons = [];
  if (index > 1) buttons.push({ label: '◀ Previous', action: pageActionId(list, index - 1) });
  if (index < pages) buttons.push({ label: 'More ▶', action: pageActionId(list, index + 1) });
  return {
    text: `${title}: ${total} in all${pages > 1 ? ` (page ${index} of ${pages})` : ''}`,
    cards: items.map((m) => buildCard(m, deps.describeSource)),
    buttons,
    page: { index, total: pages },
    ephemeral: true,
  };
}

async function listPage(
  deps: BotDeps,
  userId: number,
  list: 'jobs' | 'saved',
  index: number,
): Promise<Reply> {
  const statuses: MatchStatus[] = list === 'jobs' ? ['new'] : ['saved', 'applied'];
  const { items, total } = await listMatches(deps.pool, userId, statuses, {
    offset: (index - 1) * PAGE_SIZE,
    limit: PAGE_SIZE,
  });
  return pageOf(items, total, index, list, deps, list === 'jobs' ? 'Your matches' : 'Saved and applied');
}

export async function handleCommand(
  deps: BotDeps,
  actor: Actor,
  command: Command,
  conversation = noProgress,
): Promise<Reply> {
  const { user, created } = await ensureUser(deps.pool, actor);
  if (user.status === 'blocked')
    return { text: 'This account is blocked. Contact the operator of this JobPing.', tone: 'error' };
  switch (command.name) {
    case 'start':
      return {
        text: `${WELCOME}\n\nNew matches come to you here as they appear. /help lists every command.`,
      };
    case 'help':
      // Someone whose first message is /help gets the two lines that get them started, too.
      return { text: created ? `${WELCOME}\n\n${HELP_TEXT}` : HELP_TEXT };
    case 'jobs.list':
      return listPage(deps, user.id, 'jobs', command.page);
    case 'jobs.saved':
      return listPage(deps, user.id, 'saved', command.page);
    case 'prefs.show':
      return showPreferences(deps, user.id);
    case 'prefs.set':
      return setPreferences(deps, user, command.changes);
    case 'prefs.reset':
      return resetLearnedPreferences(deps, user.id);
    case 'link.start':
      return startLink(deps, user.id);
    case 'link.redeem':
      return redeemLink(deps, actor, user, command.code);
    case 'match.action':
      return matchAction(deps, user.id, command.matchId, command.action);
    case 'match.reason': {
      const match = await withTransaction(deps.pool, (tx) =>
        setDismissReason(tx, user.id, command.matchId, command.reason, deps.clock.now()),
      );
      return {
        text: `Noted: ${DISMISS_REASON_LABELS[command.reason].toLowerCase()} (${match.title} at ${match.company}). Future scores take it into account; /prefs shows what I learned.`,
        cards: [buildCard(match, deps.describeSource)],
        ephemeral: true,
      };
    }
    case 'digest.page':
      return digestPage(deps, user.id, command.digestId, command.page);
    case 'jobs.fetch': {
      const request = await requestFetch(deps, { trigger: 'chat', userId: user.id, query: command.query });
      if (request.runs.length === 0)
        return { text: 'No job source is enabled right now. Ask the operator to add one.', tone: 'error' };
      return waitForFetch(deps, user.id, request, conversation);
    }
  }
}

async function matchAction(
  deps: BotDeps,
  userId: number,
  matchId: number,
  action: Extract<Command, { name: 'match.action' }>['action'],
): Promise<Reply> {
  const match = await withTransaction(deps.pool, (tx) =>
    applyMatchAction(tx, userId, matchId, action, deps.clock.now()),
  );
  const label = action === 'undo' ? `Undone, back to ${STATUS_LABELS[match.status]}` : DONE[action];
  const dismissed = action === 'dismiss' && match.status === 'dismissed';
  return {
    text: `${label}: ${match.title} at ${match.company}${dismissed ? `\n${DISMISS_QUESTION}` : ''}`,
    cards: [buildCard(match, deps.describeSource)],
    ...(dismissed ? { buttons: dismissReasonButtons(match.id) } : {}),
    ephemeral: true,
  };
}

async function digestPage(deps: BotDeps, userId: number, digestId: number, index: number): Promise<Reply> {
  const digest = await getDigest(deps.pool, digestId);
  if (!digest) throw new NotFoundError('That digest is no longer available.');
  if (digest.userId !== userId) throw new ForbiddenError('That digest belongs to someone else.');
  const { items, total } = await digestItems(deps.pool, digestId, {
    offset: (index - 1) * DIGEST_PAGE_SIZE,
    limit: DIGEST_PAGE_SIZE,
  });
  return {
    ...digestReply(
      { digestId, items, total, index, pageSize: DIGEST_PAGE_SIZE, date: digest.localDate },
      deps.describeSource,
    ),
    ephemeral: true,
  };
}

/** An error as the user should see it: short, honest, with the usage line when it helps. */
export function errorReply(err: unknown): Reply | null {
  if (err instanceof InvalidInputError) {
    return {
      text: err.usage ? `${err.message}\nUsage: ${err.usage}` : err.message,
      tone: 'error',
      ephemeral: true,
    };
  }
  if (err instanceof NotFoundError || err instanceof ForbiddenError || err instanceof ConflictError) {
    return { text: err.message, tone: 'error', ephemeral: true };
  }
  return null;
}

/**
 * The error boundary every adapter goes through: parse, handle, and turn any failure into a reply.
 * Unexpected errors are logged with details; the user gets one honest sentence, never a stack.
 */
export async function handleText(
  deps: BotDeps,
  actor: Actor,
  text: string,
  conversation = noProgress,
): Promise<Reply> {
  let command: Command;
  try {
    command = parseCommand(text);
  } catch (err) {
    return handleError(deps, err, { actor: actor.platform, text: text.slice(0, 200) });
  }
  return handleSafely(deps, actor, command, conversation);
}

export async function handleSafely(
  deps: BotDeps,
  actor: Actor,
  command: Command,
  conversation = noProgress,
): Promise<Reply> {
  try {
    return await handleCommand(deps, actor, command, conversation);
  } catch (err) {
    return handleError(deps, err, { actor: actor.platform, command: command.name });
  }
}

function handleError(deps: BotDeps, err: unknown, context: Record<string, unknown>): Reply {
  const known = errorReply(err);
  if (known) return known;
  deps.logger.error({ err, ...context }, 'command failed');
  return {
    text: 'Sorry, something went wrong on my side. Please try again in a minute.',
    tone: 'error',
    ephemeral: true,
  };
}
