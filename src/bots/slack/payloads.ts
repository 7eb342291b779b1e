import { z } from 'zod';
import { viewStateSchema } from './views.ts';

/**
 * The parts of Slack's payloads JobPing reads, validated before use. Bolt has checked the
 * signature; these schemas check the shape, so a payload we do not understand is refused with a
 * log line instead of failing somewhere deeper.
 */

const id = z.string().min(1).max(100);

export const commandPayload = z.object({
  team_id: id,
  user_id: id,
  user_name: z.string().max(200).optional(),
  command: z.string().max(100),
  text: z.string().max(4000).default(''),
  trigger_id: z.string().min(1).max(300),
  response_url: z.url().max(2000),
  channel_id: z.string().max(100).optional(),
});
export type CommandPayload = z.infer<typeof commandPayload>;

const user = z.object({
  id,
  team_id: id.optional(),
  username: z.string().max(200).optional(),
  name: z.string().max(200).optional(),
});
const team = z.object({ id }).nullish();

export const blockActionsPayload = z.object({
  type: z.literal('block_actions'),
  user,
  team,
  trigger_id: z.string().min(1).max(300),
  response_url: z.url().max(2000).optional(),
  container: z.object({
    type: z.string(),
    is_ephemeral: z.boolean().optional(),
    channel_id: z.string().optional(),
    message_ts: z.string().optional(),
  }),
  message: z
    .object({
      ts: z.string(),
      text: z.string().max(40_000).optional(),
      blocks: z.array(z.unknown()).max(100).optional(),
    })
    .optional(),
  view: z.object({ id: z.string(), type: z.string(), private_metadata: z.string().optional() }).optional(),
  actions: z
    .array(z.object({ action_id: z.string().max(255), value: z.string().max(2000).optional() }))
    .min(1),
});
export type BlockActionsPayload = z.infer<typeof blockActionsPayload>;

export const viewSubmissionPayload = z.object({
  type: z.literal('view_submission'),
  user,
  team,
  trigger_id: z.string().min(1).max(300),
  view: z.object({
    id: z.string(),
    callback_id: z.string(),
    private_metadata: z.string().max(3000).default(''),
    state: z.object({ values: viewStateSchema }),
  }),
});
export type ViewSubmissionPayload = z.infer<typeof viewSubmissionPayload>;

export const appHomeOpenedPayload = z.object({
  team_id: id,
  event_id: z.string().min(1).max(200),
  event: z.object({
    type: z.literal('app_home_opened'),
    user: id,
    channel: z.string().max(100).optional(),
    tab: z.string().optional(),
  }),
});

export const homeMetadata = z.object({ page: z.number().int().min(1).max(100_000) });

export function teamOf(payload: { user: { team_id?: string | undefined }; team?: { id: string } | null }) {
  return payload.user.team_id ?? payload.team?.id ?? null;
}

/** app_uninstalled, and tokens_revoked (which names the revoked bot users), of one workspace. */
export const workspaceGonePayload = z.object({
  team_id: id,
  enterprise_id: id.nullish(),
  event_id: z.string().min(1).max(200),
  event_time: z.number().int().positive(),
  event: z.discriminatedUnion('type', [
    z.object({ type: z.literal('app_uninstalled') }),
    z.object({
      type: z.literal('tokens_revoked'),
      tokens: z.object({
        oauth: z.array(z.string()).max(10_000).nullish(),
        bot: z.array(z.string()).max(10_000).nullish(),
      }),
    }),
  ]),
});
