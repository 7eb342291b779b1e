import type { App } from '@slack/bolt';
import { firstDelivery } from '../../db/events.ts';
import { markSlackTeamUndeliverable } from '../../db/slack-installations.ts';
import type { SlackInstallations } from './installations.ts';
import { workspaceGonePayload } from './payloads.ts';
import type { SlackDeps } from './surfaces.ts';

/**
 * A workspace removed JobPing (app_uninstalled, or tokens_revoked naming the bot): its
 * installation is deleted and its people are marked undeliverable, so alerts stop instead of
 * failing one by one. Someone who uses JobPing again after a reinstall is reachable again.
 * Bolt delivers these two events without an authorize step (the token is already gone).
 */

const REASON = 'JobPing was removed from this Slack workspace';

async function workspaceGone(
  deps: SlackDeps,
  installations: SlackInstallations | undefined,
  body: unknown,
): Promise<void> {
  const parsed = workspaceGonePayload.safeParse(body);
  if (!parsed.success) {
    deps.logger.warn({ issues: parsed.error.issues.slice(0, 5) }, 'slack: unreadable uninstall event');
    return;
  }
  const {
    team_id: teamId,
    enterprise_id: enterpriseId,
    event_id: eventId,
    event_time: at,
    event,
  } = parsed.data;
  if (event.type === 'tokens_revoked' && !event.tokens.bot?.length) return; // only user tokens: not ours
  if (!(await firstDelivery(deps.bot.pool, 'slack', `ev:${eventId}`))) return;
  if (installations) {
    // Up to the end of the event's second: an install made after the event (a quick reinstall) stays.
    await installations.remove(
      { teamId, enterpriseId: enterpriseId ?? undefined },
      new Date((at + 1) * 1000),
    );
    if (await installations.hasInstallation(teamId)) return;
  }
  const accounts = await markSlackTeamUndeliverable(deps.bot.pool, teamId, REASON);
  deps.logger.info(
    { team: teamId, event: event.type, accounts },
    'slack: JobPing was removed from a workspace',
  );
}

export function registerLifecycle(app: App, deps: SlackDeps, installations: SlackInstallations | undefined) {
  for (const type of ['app_uninstalled', 'tokens_revoked'] as const) {
    app.event(type, async ({ body }) => {
      await deps.run(type, () => workspaceGone(deps, installations, body));
    });
  }
}
