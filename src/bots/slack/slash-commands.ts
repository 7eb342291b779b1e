import type { App, RespondFn } from '@slack/bolt';
import type { Command } from '../../core/commands.ts';
import type { Reply } from '../../core/reply.ts';
import { firstDelivery } from '../../db/events.ts';
import { parseCommand } from '../commands.ts';
import { errorReply, handleSafely } from '../handlers.ts';
import { renderReply } from './blocks.ts';
import { slackActor } from './messenger.ts';
import { type CommandPayload, commandPayload } from './payloads.ts';
import { throttledProgress } from './progress.ts';
import { ephemeral, forRequest, openPrefsModal, type SlackDeps } from './surfaces.ts';

/**
 * /jobs, /prefs, /link and /help, through the shared parser and handlers. Every command is
 * acknowledged first (Slack waits 3 seconds at most), then answered privately through its
 * response_url: one message, which `/jobs fetch` replaces as its run moves on and finally fills
 * with the new matches.
 */

/** In the order the manifests list them (test/slack/manifest.test.ts holds them to it). */
export const SLASH_COMMANDS = ['/jobs', '/prefs', '/link', '/help'] as const;

const FETCHING: Reply = { text: 'Fetching… I will update this message as the run goes.', tone: 'progress' };

function parse(payload: CommandPayload): { command: Command } | { reply: Reply } {
  const text = `${payload.command} ${payload.text}`.trim();
  try {
    return { command: parseCommand(text) };
  } catch (err) {
    return { reply: errorReply(err) ?? { text: 'I did not understand that. Try /help.', tone: 'error' } };
  }
}

async function answer(deps: SlackDeps, payload: CommandPayload, command: Command, respond: RespondFn) {
  const actor = slackActor(payload.team_id, payload.user_id, payload.user_name);
  if (command.name !== 'jobs.fetch') {
    const reply = await handleSafely(deps.bot, actor, command);
    await respond(ephemeral(renderReply(reply)));
    return;
  }
  const progress = throttledProgress(
    (message) => respond(ephemeral(message, true)).then(() => undefined),
    (text) => renderReply({ text, tone: 'progress' }),
    {
      intervalMs: deps.progressIntervalMs,
      onError: (err) => deps.logger.info({ err }, 'could not update the progress message'),
    },
  );
  const reply = await handleSafely(deps.bot, actor, command, progress);
  await progress.finish(renderReply(reply));
}

export function registerSlashCommands(app: App, shared: SlackDeps) {
  for (const name of SLASH_COMMANDS) {
    app.command(name, async ({ command: raw, ack, respond, client }) => {
      const deps = forRequest(shared, client);
      const parsed = commandPayload.safeParse(raw);
      if (!parsed.success) {
        deps.logger.warn({ issues: parsed.error.issues.slice(0, 5) }, 'slack: unreadable slash command');
        await ack({ response_type: 'ephemeral', text: 'Sorry, I could not read that command.' });
        return;
      }
      const payload = parsed.data;
      const actor = slackActor(payload.team_id, payload.user_id, payload.user_name);

      if (name === '/prefs' && payload.text.trim() === '') {
        await ack();
        await deps.run('/prefs', async () => {
          if (!(await firstDelivery(deps.bot.pool, 'slack', `cmd:${payload.trigger_id}`))) return;
          const failed = await openPrefsModal(deps, actor, payload.trigger_id, {
            responseUrl: payload.response_url,
          });
          if (failed) await respond(ephemeral(renderReply(failed)));
        });
        return;
      }

      const result = parse(payload);
      if ('reply' in result) {
        await ack(ephemeral(renderReply(result.reply)));
        return;
      }
      const { command } = result;
      await ack(command.name === 'jobs.fetch' ? ephemeral(renderReply(FETCHING)) : undefined);
      await deps.run(name, async () => {
        if (!(await firstDelivery(deps.bot.pool, 'slack', `cmd:${payload.trigger_id}`))) return;
        await answer(deps, payload, command, respond);
      });
    });
  }
}
