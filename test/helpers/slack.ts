import { randomBytes } from 'node:crypto';
import type { Clock } from '../../src/core/ports.ts';
import {
  type AppResponse,
  BOT_TOKEN,
  CLIENT_ID,
  CLIENT_SECRET,
  TEAM as DEFAULT_TEAM,
  type FakeSlack,
  SIGNING_SECRET,
  type SignedRequestOptions,
  type StoredMessage,
  startFakeSlack,
} from '../fakes/slack.ts';
import blockActionsFixture from '../fixtures/slack/block-actions.json' with { type: 'json' };
import slashCommandFixture from '../fixtures/slack/slash-command.json' with { type: 'json' };
import viewSubmissionFixture from '../fixtures/slack/view-submission.json' with { type: 'json' };
import { startTestApp, type TestApp } from './app.ts';

/**
 * A whole JobPing with Slack on, served over HTTP, and the fake Slack around it. Payloads start
 * from the reference payloads in test/fixtures/slack (Slack's documented shapes) with the fields
 * of each case put in.
 */

export interface SlackHarness {
  t: TestApp;
  fake: FakeSlack;
  /** The app's Request URL. */
  url: string;
  /** The app's base URL (install pages live under it). */
  base: string;
  /** Someone in a workspace (default: the fake's TEAM). */
  user(id: string, name?: string, team?: string): SlackUser;
  /** "Add to Slack" in a browser signed in to `team`: install page → consent → redirect back. */
  install(team?: string): Promise<InstallSteps>;
  /** Slack's side: an Events API event of a workspace, signed. */
  event(team: string, event: Record<string, unknown>, eventId?: string): Promise<AppResponse>;
  stop(): Promise<void>;
}

export interface InstallSteps {
  /** GET /slack/install: the redirect to Slack's consent screen, and its state cookie. */
  start: Response;
  /** Slack's consent screen, allowed: the redirect back with a code and the state. */
  consent: Response;
  /** GET /slack/oauth_redirect, with the browser's cookie: the page the person ends on. */
  callback: Response;
  html: string;
}

export const STATE_SECRET = 'jobping-test-state-secret-0001';
/** Multi-workspace mode: the OAuth variables set, SLACK_BOT_TOKEN not. */
export const MULTI_WORKSPACE_ENV = {
  SLACK_BOT_TOKEN: '',
  SLACK_CLIENT_ID: CLIENT_ID,
  SLACK_CLIENT_SECRET: CLIENT_SECRET,
  SLACK_STATE_SECRET: STATE_SECRET,
};

export interface SentCommand {
  res: AppResponse;
  /** The id of this command's response_url at the fake. */
  responseId: string;
}

export interface ClickOptions {
  value?: string;
  /** A bot message everyone in the conversation sees (the payload then carries it). */
  message?: StoredMessage;
  /** An ephemeral message (no message in the payload). */
  ephemeral?: { channel: string };
  /** A click on App Home. */
  home?: { privateMetadata?: string };
  triggerId?: string;
  signed?: SignedRequestOptions;
}

export interface SlackUser {
  id: string;
  externalId: string;
  command(command: string, text?: string, options?: SignedRequestOptions): Promise<SentCommand>;
  click(actionId: string, options?: ClickOptions): Promise<SentCommand>;
  submitPrefs(
    values: Record<string, unknown>,
    privateMetadata?: string,
    triggerId?: string,
  ): Promise<AppResponse>;
  openHome(eventId?: string, options?: SignedRequestOptions): Promise<AppResponse>;
}

const uid = () => randomBytes(6).toString('hex');
export const triggerId = () => `${Date.now()}.${uid()}`;
const FORM = 'application/x-www-form-urlencoded';

export async function startSlackHarness(
  env: Record<string, string> = {},
  options: { clock?: Clock } = {},
): Promise<SlackHarness> {
  const fake = await startFakeSlack();
  const t = await startTestApp({
    http: true,
    ...options,
    env: {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      ...env,
    },
  });
  const base = t.app.url!.replace('localhost', '127.0.0.1');
  const url = `${base}/slack/events`;
  fake.redirectUrl = `${base}/slack/oauth_redirect`;

  const user = (id: string, name = id.toLowerCase(), team = DEFAULT_TEAM): SlackUser => ({
    id,
    externalId: `${team}:${id}`,
    async command(command, text = '', options) {
      const responseId = uid();
      const fields = {
        ...slashCommandFixture,
        team_id: team,
        team_domain: 'example',
        user_id: id,
        user_name: name,
        command,
        text,
        response_url: fake.responseUrl(responseId),
        trigger_id: triggerId(),
      };
      const res = await fake.send(url, new URLSearchParams(fields).toString(), FORM, options);
      return { res, responseId };
    },
    async click(actionId, options = {}) {
      const responseId = uid();
      const base = structuredClone(blockActionsFixture) as Record<string, unknown>;
      const payload: Record<string, unknown> = {
        ...base,
        user: { id, username: name, name, team_id: team },
        team: { id: team, domain: 'example' },
        trigger_id: options.triggerId ?? triggerId(),
        response_url: fake.responseUrl(responseId),
        actions: [
          {
            action_id: actionId,
            block_id: 'b',
            type: 'button',
            value: options.value ?? actionId,
            text: { type: 'plain_text', text: actionId },
            action_ts: `${Date.now() / 1000}`,
          },
        ],
      };
      if (options.home) {
        delete payload.message;
        delete payload.channel;
        delete payload.response_url;
        payload.container = { type: 'view', view_id: 'VHOME' };
        payload.view = { id: 'VHOME', type: 'home', private_metadata: options.home.privateMetadata ?? '' };
      } else if (options.message) {
        const m = options.message;
        payload.container = { type: 'message', message_ts: m.ts, channel_id: m.channel, is_ephemeral: false };
        payload.channel = { id: m.channel, name: 'directmessage' };
        payload.message = { type: 'message', ts: m.ts, text: m.text, blocks: m.blocks, bot_id: 'B0L1A3P3R' };
      } else {
        const channel = options.ephemeral?.channel ?? 'C061EG9SL';
        delete payload.message;
        payload.container = {
          type: 'message',
          message_ts: `${Date.now() / 1000}`,
          channel_id: channel,
          is_ephemeral: true,
        };
        payload.channel = { id: channel, name: 'jobs' };
      }
      const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
      return { res: await fake.send(url, body, FORM, options.signed), responseId };
    },
    async submitPrefs(values, privateMetadata = '{}', trigger = triggerId()) {
      const base = structuredClone(viewSubmissionFixture) as Record<string, unknown> & {
        view: Record<string, unknown>;
      };
      const payload = {
        ...base,
        user: { id, username: name, name, team_id: team },
        team: { id: team, domain: 'example' },
        trigger_id: trigger,
        view: { ...base.view, callback_id: 'prefs', private_metadata: privateMetadata, state: { values } },
      };
      return fake.send(url, `payload=${encodeURIComponent(JSON.stringify(payload))}`, FORM);
    },
    async openHome(eventId = `Ev${uid()}`, options) {
      // Assembled from the Events API envelope and app_home_opened docs (no reference payload).
      const body = {
        token: 'gIkuvaNzQIHg97ATvDxqgjtO',
        team_id: team,
        api_app_id: 'A0KRD7HC3',
        event: {
          type: 'app_home_opened',
          user: id,
          channel: `D${id.replace(/^U/, '')}`,
          tab: 'home',
          event_ts: `${Date.now() / 1000}`,
        },
        type: 'event_callback',
        event_id: eventId,
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [
          {
            enterprise_id: null,
            team_id: team,
            user_id: 'U0L1A3P3Q',
            is_bot: true,
            is_enterprise_install: false,
          },
        ],
        is_ext_shared_channel: false,
      };
      return fake.send(url, JSON.stringify(body), 'application/json', options);
    },
  });

  async function install(team = DEFAULT_TEAM): Promise<InstallSteps> {
    const start = await fetch(`${base}/slack/install`, { redirect: 'manual' });
    const cookie = start.headers.get('set-cookie')?.split(';')[0];
    const consentUrl = new URL(start.headers.get('location') ?? fake.authorizeUrl);
    consentUrl.searchParams.set('team', team);
    const consent = await fetch(consentUrl, { redirect: 'manual' });
    const callback = await fetch(consent.headers.get('location') ?? `${base}/slack/oauth_redirect`, {
      redirect: 'manual',
      headers: cookie ? { cookie } : {},
    });
    return { start, consent, callback, html: await callback.text() };
  }

  async function event(team: string, body: Record<string, unknown>, eventId = `Ev${uid()}`) {
    // The Events API envelope (see openHome), around any event.
    const envelope = {
      token: 'gIkuvaNzQIHg97ATvDxqgjtO',
      team_id: team,
      api_app_id: 'A0KRD7HC3',
      event: body,
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
    };
    return fake.send(url, JSON.stringify(envelope), 'application/json');
  }

  return {
    t,
    fake,
    url,
    base,
    user,
    install,
    event,
    async stop() {
      await t.stop();
      await fake.close();
    },
  };
}

/** Modal state values as Slack sends them for the /prefs form. */
export function prefsState(fields: {
  keywords?: string;
  exclude?: string;
  locations?: string;
  remote?: string;
  salary_min?: string;
  currency?: string;
  seniority?: string[];
  blocked?: string;
  alerts?: string;
  threshold?: string;
  /** Left out of the form unless given (as in a modal opened before the field existed). */
  alerts_on?: string;
}): Record<string, unknown> {
  const text = (v: string | undefined) => ({ value: { type: 'plain_text_input', value: v ?? null } });
  const select = (v: string | undefined) => ({
    value: {
      type: 'static_select',
      selected_option: v ? { text: { type: 'plain_text', text: v }, value: v } : null,
    },
  });
  return {
    keywords: text(fields.keywords),
    exclude: text(fields.exclude),
    locations: text(fields.locations),
    remote: select(fields.remote ?? 'any'),
    salary_min: text(fields.salary_min),
    currency: select(fields.currency ?? 'USD'),
    seniority: {
      value: {
        type: 'multi_static_select',
        selected_options: (fields.seniority ?? []).map((s) => ({
          text: { type: 'plain_text', text: s },
          value: s,
        })),
      },
    },
    blocked: text(fields.blocked),
    alerts: select(fields.alerts ?? 'instant'),
    threshold: text(fields.threshold ?? '70'),
    ...(fields.alerts_on ? { alerts_on: select(fields.alerts_on) } : {}),
  };
}
