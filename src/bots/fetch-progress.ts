import { buildCard } from '../core/cards.ts';
import type { Reply } from '../core/reply.ts';
import type { FetchRequest } from '../db/fetch-runs.ts';
import { getRequestProgress, type RequestProgress } from '../db/fetch-runs.ts';
import { matchesFromRequest } from '../db/matches.ts';
import type { BotDeps, Conversation } from './handlers.ts';

/**
 * `/jobs fetch` waits for its request to pass through fetch → analyse → match, updating one
 * progress message as the numbers move, then answers with the user's new matches from it.
 * Progress is read from the database, so it works whichever process runs the workers.
 */

const MAX_CARDS = 10;
const plural = (n: number, word: string) =>
  `${n} ${word}${n === 1 ? '' : /(ch|sh|s|x)$/.test(word) ? 'es' : 's'}`;

export function progressText(p: RequestProgress, done: boolean, matches?: number): string {
  const parts = [`Fetching ${plural(p.sources, 'source')}…`];
  if (p.sourcesDone > 0) {
    parts.push(
      `${plural(p.found, 'posting')}, ${p.new} new${p.updated ? `, ${p.updated} updated` : ''}${p.sourcesDone < p.sources ? ` (${p.sourcesDone}/${p.sources} sources)` : ''}`,
    );
  }
  if (p.toProcess > 0) parts.push(`analysing ${p.analysed}/${p.toProcess}`);
  if (p.toProcess > 0 && p.analysed === p.toProcess) parts.push(`matching ${p.matched}/${p.toProcess}`);
  if (done && matches !== undefined) parts.push(plural(matches, 'new match'));
  let text = parts.join(' → ');
  for (const f of p.sourcesFailed) text += `\n⚠ ${f.sourceId} failed: ${f.error.slice(0, 160)}`;
  return text;
}

export function isDone(p: RequestProgress) {
  return p.sourcesDone === p.sources && p.matched >= p.toProcess;
}

/** Polls a request until it is done (or times out), reporting each new progress line. */
export async function followFetch(
  deps: Pick<BotDeps, 'pool' | 'clock' | 'fetchPollMs' | 'fetchTimeoutMs'>,
  requestId: number,
  report: (line: string) => void | Promise<void>,
): Promise<RequestProgress & { done: boolean }> {
  const pollMs = deps.fetchPollMs ?? 500;
  const deadline = deps.clock.now().getTime() + (deps.fetchTimeoutMs ?? 5 * 60_000);
  let last = '';
  for (;;) {
    const progress = await getRequestProgress(deps.pool, requestId);
    const done = isDone(progress);
    const text = progressText(progress, false);
    if (text !== last) {
      last = text;
      await report(text);
    }
    if (done || deps.clock.now().getTime() > deadline) return { ...progress, done };
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

export async function waitForFetch(
  deps: BotDeps,
  userId: number,
  request: FetchRequest,
  conversation: Conversation,
): Promise<Reply> {
  const progress = await followFetch(deps, request.id, (text) =>
    conversation.progress({ text, tone: 'progress' }),
  );
  if (!progress.done) {
    return {
      text: `${progressText(progress, false)}\nThis is taking a while; new matches will show up in /jobs as they come in.`,
      tone: 'progress',
    };
  }
  const matches = await matchesFromRequest(deps.pool, userId, request.id);
  const summary = progressText(progress, true, matches.length);
  await conversation.progress({ text: summary, tone: 'progress' });
  if (matches.length === 0) {
    return { text: `${summary}\nNothing new for you this time. /jobs lists your current matches.` };
  }
  const shown = matches.slice(0, MAX_CARDS);
  return {
    text: `${summary}${matches.length > shown.length ? `\nShowing the best ${shown.length}; /jobs lists them all.` : ''}`,
    cards: shown.map((m) => buildCard(m, deps.describeSource)),
    ephemeral: true,
  };
}
