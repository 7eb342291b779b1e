import type { webApi } from '@slack/bolt';
import { buildCard } from '../../core/cards.ts';
import type { FetchFn, LogPort, Messenger } from '../../core/ports.ts';
import type { Card, Reply } from '../../core/reply.ts';
import type { Actor } from '../../core/types.ts';
import { sentDeliveriesOf } from '../../db/deliveries.ts';
import { getMatchViews } from '../../db/matches.ts';
import { ensureUser, getPreferences } from '../../db/users.ts';
import { type BotDeps, handleSafely } from '../handlers.ts';
import type { RenderedMessage } from './blocks.ts';
import { slackError } from './messenger.ts';
import { homeView, type ModalOrigin, prefsModal } from './views.ts';

/**
 * What the Slack listeners share: their dependencies and the surfaces they draw on (App Home,
 * the /prefs modal, response_url messages, other copies of a card).
 */

export interface SlackDeps {
  bot: BotDeps;
  client: webApi.WebClient;
  messenger: Messenger;
  logger: LogPort;
  /** Posts to response_urls that Bolt's `respond` does not cover (after a modal is submitted). */
  fetch: FetchFn;
  /** Minimum time between two progress updates of one `/jobs fetch` message. */
  progressIntervalMs: number;
  /** Runs the work of one inbound update after its ack: errors are logged, shutdown waits for it. */
  run(label: string, work: () => Promise<void>): Promise<void>;
}

/**
 * The deps of one inbound request, with Bolt's client for it: authorized with the token of the
 * workspace the request came from (SLACK_BOT_TOKEN, or that workspace's installation).
 */
export function forRequest(deps: SlackDeps, client: webApi.WebClient): SlackDeps {
  return { ...deps, client };
}

/** An ephemeral answer to the user who acted, posted to an interaction's response_url. */
export type EphemeralBody = RenderedMessage & { response_type: 'ephemeral'; replace_original?: boolean };

export function ephemeral(message: RenderedMessage, replaceOriginal?: boolean): EphemeralBody {
  return {
    response_type: 'ephemeral',
    ...message,
    ...(replaceOriginal === undefined ? {} : { replace_original: replaceOriginal }),
  };
}

export async function postToResponseUrl(deps: SlackDeps, url: string, body: EphemeralBody): Promise<void> {
  const res = await deps.fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`response_url answered ${res.status}`);
}

/** Redraws App Home for one user: preferences, a page of saved jobs, and a note after a click. */
export async function publishHome(
  deps: SlackDeps,
  actor: Actor,
  slackUserId: string,
  options: { page?: number; notice?: Reply } = {},
): Promise<void> {
  const { user } = await ensureUser(deps.bot.pool, actor);
  const prefs = await getPreferences(deps.bot.pool, user.id);
  const saved = await handleSafely(deps.bot, actor, { name: 'jobs.saved', page: options.page ?? 1 });
  const view = homeView({ prefs, saved, ...(options.notice ? { notice: options.notice } : {}) });
  try {
    await deps.client.views.publish({ user_id: slackUserId, view });
  } catch (err) {
    throw slackError(err);
  }
}

/**
 * Opens the /prefs modal, prefilled. Returns a reply to show instead when it cannot be opened
 * (blocked account; Slack refused, e.g. the 3-second trigger_id expired).
 */
export async function openPrefsModal(
  deps: SlackDeps,
  actor: Actor,
  triggerId: string,
  origin: ModalOrigin,
): Promise<Reply | null> {
  const { user } = await ensureUser(deps.bot.pool, actor);
  if (user.status === 'blocked') {
    return { text: 'This account is blocked. Contact the operator of this JobPing.', tone: 'error' };
  }
  const prefs = await getPreferences(deps.bot.pool, user.id);
  try {
    await deps.client.views.open({ trigger_id: triggerId, view: prefsModal(prefs, origin) });
    return null;
  } catch (err) {
    deps.logger.warn({ err: slackError(err) }, 'could not open the preferences modal');
    return {
      text: 'I could not open the preferences form just now. Try /prefs again, or /prefs set key=value.',
      tone: 'error',
    };
  }
}

/** The cards of a message as they are now, in the message's order, only the owner's. */
export async function currentCards(deps: SlackDeps, ownerMatchId: number, ids: number[]): Promise<Card[]> {
  const views = await getMatchViews(deps.bot.pool, [...new Set([ownerMatchId, ...ids])]);
  const owner = views.find((v) => v.id === ownerMatchId)?.userId;
  const byId = new Map(views.filter((v) => v.userId === owner).map((v) => [v.id, v]));
  return ids.flatMap((id) => {
    const view = byId.get(id);
    return view ? [buildCard(view, deps.bot.describeSource)] : [];
  });
}

/** Alert copies of a card elsewhere in Slack (a DM alert when the click was in a list) follow its state. */
export async function refreshOtherCopies(
  deps: SlackDeps,
  card: Card,
  except: { channel?: string; ts?: string },
): Promise<void> {
  if (!deps.messenger.updateCard) return;
  const deliveries = await sentDeliveriesOf(deps.bot.pool, card.matchId);
  for (const d of deliveries) {
    if (d.platform !== 'slack' || !d.messageRef) continue;
    if (d.messageRef.channel === except.channel && d.messageRef.ts === except.ts) continue;
    try {
      await deps.messenger.updateCard(d.messageRef, card);
    } catch (err) {
      deps.logger.info({ err, deliveryId: d.id }, 'could not update an earlier alert card');
    }
  }
}
