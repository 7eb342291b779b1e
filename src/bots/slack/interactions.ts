import type { App, RespondFn } from '@slack/bolt';
import { decodeAction } from '../../core/actions.ts';
import type { Command } from '../../core/commands.ts';
import type { Actor } from '../../core/types.ts';
import { firstDelivery } from '../../db/events.ts';
import { errorReply, handleSafely } from '../handlers.ts';
import { parsePreferenceChanges } from '../prefs.ts';
import { decodeMessageContext, renderRedrawn, renderReply, replaceCard } from './blocks.ts';
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
  openPrefsModal,
  postToResponseUrl,
  publishHome,
  refreshOtherCopies,
  type SlackDeps,
} from './surfaces.ts';
import { EDIT_PREFS_ACTION, modalOriginSchema, PREFS_CALLBACK_ID, readPrefsSubmission } from './views.ts';

/**
 * Buttons, the /prefs modal and App Home. A click is acknowledged first, then applied through the
 * shared handlers; the card changes in place where it was clicked (an ephemeral list, a DM alert,
 * App Home) and the user alone is told what happened. Each interaction is handled once, however
 * often Slack delivers it.
 */

function homePage(payload: BlockActionsPayload): number {
  try {
    const parsed = homeMetadata.safeParse(JSON.parse(payload.view?.private_metadata || '{}'));
    return parsed.success ? parsed.data.page : 1;
  } catch {
    return 1;
  }
}

async function onCardOrPage(deps: SlackDeps, payload: BlockActionsPayload, respond: RespondFn | undefined) {
  const team = teamOf(payload);
  const action = payload.actions[0]!;
  const command = decodeAction(action.action_id);
  if (!team || !command) return;
  if (!(await firstDelivery(deps.bot.pool, 'slack', `ia:${payload.trigger_id}`))) return;
  const actor = slackActor(team, payload.user.id, payload.user.username ?? payload.user.name);
  const reply = await handleSafely(deps.bot, actor, command);
  const onHome = payload.container.type === 'view' && payload.view?.type === 'home';

  if (onHome) {
    const page = command.name === 'jobs.saved' ? command.page : homePage(payload);
    await publishHome(deps, actor, payload.user.id, {
      page,
      ...(command.name === 'match.action' ? { notice: reply } : {}),
    });
    return;
  }
  if (!respond) return;
  const card = reply.cards?.[0];
  if (command.name !== 'match.action') {
    // A page button: the list message becomes the next page.
    await respond(ephemeral(renderReply(reply), true));
    return;
  }
  if (reply.tone === 'error' || !card) {
    // Refused (someone else's card, a job that is gone): said privately, nothing changes.
    await respond(ephemeral(renderReply(reply), false));
    return;
  }
  const context = decodeMessageContext(action.value) ?? { ids: [card.matchId], nav: [] };
  const clicked = { channel: payload.container.channel_id, ts: payload.message?.ts };
  if (payload.message?.blocks && !payload.container.is_ephemeral && clicked.channel && clicked.ts) {
    // A message everyone in the conversation sees (a DM alert): edit that card only, confirm aside.
    const blocks = replaceCard(payload.message.blocks, card, context);
    if (blocks) {
      try {
        await deps.client.chat.update({
          channel: clicked.channel,
          ts: clicked.ts,
          text: payload.message.text ?? reply.text,
          blocks,
        });
      } catch (err) {
        throw slackError(err);
      }
    }
    await respond(ephemeral(renderReply({ text: reply.text }), false));
  } else {
    // An ephemeral message can only be replaced whole, through the response_url.
    const cards = await currentCards(deps, card.matchId, context.ids.length ? context.ids : [card.matchId]);
    await respond(ephemeral(renderRedrawn({ text: `✅ ${reply.text}` }, cards, context), true));
  }
  await refreshOtherCopies(deps, card, clicked);
}

async function onPrefsSubmitted(
  deps: SlackDeps,
  actor: Actor,
  slackUserId: string,
  metadata: string,
  changes: Command & { name: 'prefs.set' },
) {
  const reply = await handleSafely(deps.bot, actor, changes);
  const origin = modalOriginSchema.safeParse(safeJson(metadata));
  const from = origin.success ? origin.data : {};
  if (from.responseUrl) await postToResponseUrl(deps, from.responseUrl, ephemeral(renderReply(reply)));
  if (from.home || reply.tone === 'error') {
    await publishHome(deps, actor, slackUserId, {
      notice: reply.tone === 'error' ? reply : { text: 'Preferences saved.' },
    });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text || '{}');
  } catch {
    return {};
  }
}

export function registerInteractions(app: App, deps: SlackDeps) {
  app.action(/^(m|p):/, async ({ ack, body, respond }) => {
    await ack();
    const parsed = blockActionsPayload.safeParse(body);
    if (!parsed.success) {
      deps.logger.warn({ issues: parsed.error.issues.slice(0, 5) }, 'slack: unreadable block action');
      return;
    }
    await deps.run('block_actions', () => onCardOrPage(deps, parsed.data, respond));
  });

  // Open is a link: Slack opens it and still tells us; there is nothing to do.
  app.action(/^open:/, async ({ ack }) => {
    await ack();
  });

  app.action(EDIT_PREFS_ACTION, async ({ ack, body }) => {
    await ack();
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

  app.view(PREFS_CALLBACK_ID, async ({ ack, body }) => {
    const parsed = viewSubmissionPayload.safeParse(body);
    const team = parsed.success ? teamOf(parsed.data) : null;
    if (!parsed.success || !team) {
      deps.logger.warn({}, 'slack: unreadable view submission');
      await ack();
      return;
    }
    const payload = parsed.data;
    const read = readPrefsSubmission(payload.view.state.values);
    if (!read.ok) {
      await ack({ response_action: 'errors', errors: read.errors });
      return;
    }
    let changes: Command & { name: 'prefs.set' };
    try {
      changes = { name: 'prefs.set', changes: parsePreferenceChanges(read.pairs) };
    } catch (err) {
      const message = errorReply(err)?.text ?? 'These preferences cannot be saved.';
      await ack({ response_action: 'errors', errors: { keywords: message.slice(0, 2000) } });
      return;
    }
    if (!(await firstDelivery(deps.bot.pool, 'slack', `ia:${payload.trigger_id}`))) {
      await ack();
      return;
    }
    // Every field is valid: the modal closes now and the save (one transaction) follows.
    await ack();
    const actor = slackActor(team, payload.user.id, payload.user.username ?? payload.user.name);
    await deps.run('view_submission', () =>
      onPrefsSubmitted(deps, actor, payload.user.id, payload.view.private_metadata, changes),
    );
  });

  app.event('app_home_opened', async ({ body }) => {
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
