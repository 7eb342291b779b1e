import type { App, RespondFn } from '@slack/bolt';
import { decodeAction } from '../../core/actions.ts';
import type { Command } from '../../core/commands.ts';
import type { Card, Reply } from '../../core/reply.ts';
import type { Actor, Preferences } from '../../core/types.ts';
import { firstDelivery } from '../../db/events.ts';
import { ensureUser } from '../../db/users.ts';
import { refusedPreferences } from '../account.ts';
import { handleSafely } from '../handlers.ts';
import type { PreferenceField } from '../prefs.ts';
import {
  decodeMessageContext,
  type RenderedMessage,
  renderRedrawn,
  renderReply,
  replaceCard,
} from './blocks.ts';
import { slackActor, slackError } from './messenger.ts';
import {
  appHomeOpenedPayload,
  type BlockActionsPayload,
  blockActionsPayload,
  homeMetadata,
  teamOf,
  viewSubmissionPayload,
} from './payloads.ts';
import {
  currentCards,
  ephemeral,
  forRequest,
  openPrefsModal,
  postToResponseUrl,
  publishHome,
  refreshOtherCopies,
  type SlackDeps,
} from './surfaces.ts';
import {
  EDIT_PREFS_ACTION,
  fieldErrors,
  modalOriginSchema,
  PREFS_CALLBACK_ID,
  readPrefsSubmission,
} from './views.ts';

/**
 * Buttons, the /prefs modal and App Home. A click is acknowledged first, then applied through the
 * shared handlers; the card (or the page of a list or digest) changes in place where it was clicked
 * (an ephemeral list, a DM alert or digest, App Home) and the user alone is told what happened.
 * Each interaction is handled once, however often Slack delivers it.
 */

function homePage(payload: BlockActionsPayload): number {
  const parsed = homeMetadata.safeParse(safeJson(payload.view?.private_metadata ?? ''));
  return parsed.success ? parsed.data.page : 1;
}

/** Where a button was pressed decides how its message is redrawn. */
type Surface =
  | { kind: 'home' }
  | { kind: 'message'; channel: string; ts: string; text: string | undefined; blocks: unknown[] }
  | { kind: 'ephemeral' };

function surfaceOf(payload: BlockActionsPayload): Surface {
  if (payload.container.type === 'view' && payload.view?.type === 'home') return { kind: 'home' };
  const { channel_id: channel, is_ephemeral: ephemeralMessage } = payload.container;
  const message = payload.message;
  // Slack sends the message back only when it is not ephemeral (a DM alert).
  if (message?.blocks && !ephemeralMessage && channel)
    return { kind: 'message', channel, ts: message.ts, text: message.text, blocks: message.blocks };
  return { kind: 'ephemeral' };
}

/**
 * A Save / Dismiss / Applied / Undo that went through: redraw the card where it was pressed. A
 * question that comes with it ("Why?" after Dismiss) is shown with its answer buttons.
 */
async function redrawCard(
  deps: SlackDeps,
  surface: Exclude<Surface, { kind: 'home' }>,
  reply: Reply,
  card: Card,
  value: string | undefined,
  respond: RespondFn,
) {
  const context = decodeMessageContext(value) ?? { ids: [card.matchId], nav: [] };
  const question = reply.buttons ?? [];
  if (surface.kind === 'message') {
    // A DM alert or digest: edit that card only (the message stays), and confirm aside, privately.
    const blocks = replaceCard(surface.blocks, card, context);
    if (blocks) await updateMessage(deps, surface, surface.text ?? reply.text, blocks);
    await respond(ephemeral(renderReply({ text: reply.text }, question), false));
    return;
  }
  // An ephemeral list can only be replaced whole, through the response_url: same cards, fresh state.
  const ids = context.ids.length ? context.ids : [card.matchId];
  const cards = await currentCards(deps, card.matchId, ids);
  await respond(ephemeral(renderRedrawn({ text: `✅ ${reply.text}` }, cards, context, question), true));
}

/**
 * A "Why?" answer that was recorded. Asked on a list, its buttons carry the list's context: the
 * list is redrawn with the answer as its headline. Asked in a confirmation of its own (after a
 * click on a DM card), the confirmation becomes the answer.
 */
async function answerQuestion(
  deps: SlackDeps,
  surface: Exclude<Surface, { kind: 'home' }>,
  reply: Reply,
  matchId: number,
  value: string | undefined,
  respond: RespondFn,
) {
  const headline = { text: `✅ ${reply.text}` };
  const context = decodeMessageContext(value);
  if (surface.kind === 'message') {
    await respond(ephemeral(renderReply({ text: reply.text }), false));
  } else if (context?.ids.length) {
    const cards = await currentCards(deps, matchId, context.ids);
    await respond(ephemeral(renderRedrawn(headline, cards, context), true));
  } else {
    await respond(ephemeral(renderReply(headline), true));
  }
}

/** A page button: the list (or the digest in a DM) becomes that page, in place. */
async function showPage(
  deps: SlackDeps,
  surface: Exclude<Surface, { kind: 'home' }>,
  reply: Reply,
  respond: RespondFn,
) {
  const message = renderReply(reply);
  if (surface.kind === 'message') await updateMessage(deps, surface, message.text, message.blocks);
  else await respond(ephemeral(message, true));
}

async function updateMessage(
  deps: SlackDeps,
  at: { channel: string; ts: string },
  text: string,
  blocks: RenderedMessage['blocks'],
) {
  await deps.client.chat
    .update({ channel: at.channel, ts: at.ts, text, blocks })
    .catch((err: unknown) => Promise.reject(slackError(err)));
}

/** A button of ours (card, page, digest page, dismiss reason) through the shared command core. */
async function onButton(deps: SlackDeps, payload: BlockActionsPayload, respond: RespondFn | undefined) {
  const team = teamOf(payload);
  const action = payload.actions[0]!;
  const command = decodeAction(action.action_id);
  if (!team || !command) return;
  if (!(await firstDelivery(deps.bot.pool, 'slack', `ia:${payload.trigger_id}`))) return;
  const actor = slackActor(team, payload.user.id, payload.user.username ?? payload.user.name);
  const reply = await handleSafely(deps.bot, actor, command);
  const surface = surfaceOf(payload);
  const card = command.name === 'match.action' && reply.tone !== 'error' ? reply.cards?.[0] : undefined;

  if (surface.kind === 'home') {
    const page = command.name === 'jobs.saved' ? command.page : homePage(payload);
    const aboutAJob = command.name === 'match.action' || command.name === 'match.reason';
    await publishHome(deps, actor, payload.user.id, { page, ...(aboutAJob ? { notice: reply } : {}) });
  } else if (!respond) {
    return;
  } else if (reply.tone === 'error') {
    // Refused (someone else's card or digest, a job that is gone): said privately, nothing changes.
    await respond(ephemeral(renderReply(reply), false));
  } else if (command.name === 'match.action') {
    if (card) await redrawCard(deps, surface, reply, card, action.value, respond);
  } else if (command.name === 'match.reason') {
    await answerQuestion(deps, surface, reply, command.matchId, action.value, respond);
  } else {
    await showPage(deps, surface, reply, respond);
  }
  if (card) {
    const clicked = surface.kind === 'message' ? surface : {};
    await refreshOtherCopies(deps, card, clicked);
  }
}

/**
 * The form's rules that need the user's data (which accounts are linked), shared with `/prefs set`:
 * field → why, or null when the changes can be saved.
 */
async function accountRefusals(
  deps: SlackDeps,
  actor: Actor,
  { changes, fields }: { changes: Partial<Preferences>; fields: PreferenceField[] },
): Promise<Record<string, string> | null> {
  if (fields.length === 0) return null;
  try {
    const { user } = await ensureUser(deps.bot.pool, actor);
    const refused = await refusedPreferences(deps.bot.pool, user.id, changes);
    return refused.length ? fieldErrors(refused) : null;
  } catch (err) {
    // Slack waits for the answer: the form stays open with the edits rather than closing on them.
    deps.logger.error({ err }, 'slack: could not check the preferences form');
    return { [fields[0]!]: 'Sorry, something went wrong on my side. Please try again in a minute.' };
  }
}

/** After a valid form: saved in one transaction, then told where the form was opened from. */
async function onPrefsSubmitted(
  deps: SlackDeps,
  actor: Actor,
  slackUserId: string,
  metadata: string,
  command: Command & { name: 'prefs.set' },
) {
  const reply = await handleSafely(deps.bot, actor, command);
  const origin = modalOriginSchema.safeParse(safeJson(metadata));
  const responseUrl = origin.success ? origin.data.responseUrl : undefined;
  if (responseUrl) {
    await postToResponseUrl(deps, responseUrl, ephemeral(renderReply(reply)));
  } else {
    const notice = reply.tone === 'error' ? reply : { text: 'Preferences saved.' };
    await publishHome(deps, actor, slackUserId, { notice });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text || '{}');
  } catch {
    return {};
  }
}

export function registerInteractions(app: App, shared: SlackDeps) {
  app.action(/^(m|p|d|r):/, async ({ ack, body, respond, client }) => {
    await ack();
    const deps = forRequest(shared, client);
    const parsed = blockActionsPayload.safeParse(body);
    if (!parsed.success) {
      deps.logger.warn({ issues: parsed.error.issues.slice(0, 5) }, 'slack: unreadable block action');
      return;
    }
    await deps.run('block_actions', () => onButton(deps, parsed.data, respond));
  });

  // Open is a link: Slack opens it and still tells us; there is nothing to do.
  app.action(/^open:/, async ({ ack }) => {
    await ack();
  });

  app.action(EDIT_PREFS_ACTION, async ({ ack, body, client }) => {
    await ack();
    const deps = forRequest(shared, client);
    const parsed = blockActionsPayload.safeParse(body);
    const team = parsed.success ? teamOf(parsed.data) : null;
    if (!parsed.success || !team) return;
    const payload = parsed.data;
    const actor = slackActor(team, payload.user.id, payload.user.username ?? payload.user.name);
    await deps.run('prefs:edit', async () => {
      if (!(await firstDelivery(deps.bot.pool, 'slack', `ia:${payload.trigger_id}`))) return;
      const failed = await openPrefsModal(deps, actor, payload.trigger_id, { home: true });
      if (failed) await publishHome(deps, actor, payload.user.id, { notice: failed });
    });
  });

  app.view(PREFS_CALLBACK_ID, async ({ ack, body, client }) => {
    const deps = forRequest(shared, client);
    const parsed = viewSubmissionPayload.safeParse(body);
    const team = parsed.success ? teamOf(parsed.data) : null;
    if (!parsed.success || !team) {
      deps.logger.warn({}, 'slack: unreadable view submission');
      await ack();
      return;
    }
    const payload = parsed.data;
    const actor = slackActor(team, payload.user.id, payload.user.username ?? payload.user.name);
    // Everything is checked before Slack is answered: a refusal keeps the modal open with every
    // edit, each reason next to its field, and nothing saved.
    const read = readPrefsSubmission(payload.view.state.values);
    if (!read.ok) {
      await ack({ response_action: 'errors', errors: read.errors });
      return;
    }
    const refused = await accountRefusals(deps, actor, read);
    if (refused) {
      await ack({ response_action: 'errors', errors: refused });
      return;
    }
    if (!(await firstDelivery(deps.bot.pool, 'slack', `ia:${payload.trigger_id}`))) {
      await ack();
      return;
    }
    // The modal closes now and the save (one transaction) follows.
    await ack();
    const command = { name: 'prefs.set', changes: read.changes } as const;
    await deps.run('view_submission', () =>
      onPrefsSubmitted(deps, actor, payload.user.id, payload.view.private_metadata, command),
    );
  });

  app.event('app_home_opened', async ({ body, client }) => {
    const deps = forRequest(shared, client);
    const parsed = appHomeOpenedPayload.safeParse(body);
    if (!parsed.success || parsed.data.event.tab !== 'home') return;
    const { team_id: team, event_id: eventId, event } = parsed.data;
    await deps.run('app_home_opened', async () => {
      // Slack re-sends an event it thinks was lost (X-Slack-Retry-Num); it is drawn once.
      if (!(await firstDelivery(deps.bot.pool, 'slack', `ev:${eventId}`))) return;
      // The event's channel is the user's DM with the app: where alerts will go.
      const actor = {
        ...slackActor(team, event.user),
        dmChannel: event.channel?.startsWith('D') ? event.channel : null,
      };
      await publishHome(deps, actor, event.user);
    });
  });
}
