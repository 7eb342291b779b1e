import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, platformStatus, secretValues, telegramPollingWarning } from './config.ts';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  return [];
}

describe('config', () => {
  it('starts with no variables at all: embedded database, heuristic analyzer, no platforms', () => {
    const config = loadConfig({});
    expect(config.db.url).toBeUndefined();
    expect(config.http.port).toBe(8080);
    expect(config.fetch.cron).toBe('*/30 * * * *');
    expect(config.openai.apiKey).toBeUndefined();
    expect(config.admin.token).toBeUndefined();
    expect(config.slack.botToken).toBeUndefined();
    expect(platformStatus(config).telegram).toEqual({
      enabled: false,
      reason: 'TELEGRAM_BOT_TOKEN is not set',
    });
  });

  it('reports every invalid variable at once, each by name and with what is expected', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x',
      LOG_LEVEL: 'loud',
      SLACK_BOT_TOKEN: 'abc',
      TELEGRAM_BOT_TOKEN: 'not-a-token',
      OPENAI_BASE_URL: 'nope',
      FETCH_CRON: 'every day',
    });
    const names = problems.map((p) => p.split(':')[0]);
    expect(names).toEqual(
      expect.arrayContaining([
        'PORT',
        'DATABASE_URL',
        'LOG_LEVEL',
        'SLACK_BOT_TOKEN',
        'TELEGRAM_BOT_TOKEN',
        'OPENAI_BASE_URL',
        'FETCH_CRON',
      ]),
    );
    expect(problems.find((p) => p.startsWith('PORT'))).toMatch(/port number/);
    expect(problems.find((p) => p.startsWith('SLACK_BOT_TOKEN'))).toMatch(/xoxb-/);
  });

  it('never echoes a secret value in its error', () => {
    const problems = problemsOf({ SLACK_BOT_TOKEN: 'secret-looking-value-123' });
    expect(problems.join('\n')).not.toContain('secret-looking-value-123');
  });

  it('refuses a half-configured platform, naming the missing variable', () => {
    expect(problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc' })).toEqual([
      expect.stringMatching(/^SLACK_SIGNING_SECRET:/),
    ]);
    expect(problemsOf({ DISCORD_TOKEN: 'x'.repeat(30) })).toEqual([
      expect.stringMatching(/^DISCORD_APPLICATION_ID:/),
    ]);
  });

  it('reports a bad variable and a half-configured platform in the same round', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      DISCORD_TOKEN: 'x'.repeat(30),
      ADZUNA_APP_KEY: 'short', // invalid itself, and its ADZUNA_APP_ID is missing
    });
    expect(problems).toEqual([
      'PORT: expected a port number (got "eighty")',
      'ADZUNA_APP_KEY: expected an API key of at least 8 characters',
      'DISCORD_APPLICATION_ID: required with DISCORD_TOKEN',
      'ADZUNA_APP_ID: required with ADZUNA_APP_KEY',
    ]);
    // A blank variable counts as unset there too.
    expect(problemsOf({ PORT: 'eighty', DISCORD_TOKEN: '  ' })).toEqual([
      'PORT: expected a port number (got "eighty")',
    ]);
  });

  it('is frozen all the way down', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.openai.pricesPerMillionTokens)).toBe(true);
    expect(() => {
      (config.http as { port: number }).port = 1;
    }).toThrow();
  });

  it('says which platforms are enabled and how', () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
      SLACK_APP_TOKEN: 'xapp-1-abc',
      TELEGRAM_BOT_TOKEN: '123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      TELEGRAM_WEBHOOK_SECRET: 'a'.repeat(20),
      PUBLIC_URL: 'https://jobping.example',
    });
    const status = platformStatus(config);
    expect(status.slack).toEqual({ enabled: true, mode: 'Socket Mode' });
    expect(status.telegram).toEqual({ enabled: true, mode: 'webhook at /telegram/webhook' });
    expect(status.discord.enabled).toBe(false);
  });

  it('says why Telegram polls when PUBLIC_URL is set without TELEGRAM_WEBHOOK_SECRET', () => {
    const token = { TELEGRAM_BOT_TOKEN: '123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAA' };
    const half = loadConfig({ ...token, PUBLIC_URL: 'https://jobping.example' });
    expect(platformStatus(half).telegram).toEqual({
      enabled: true,
      mode: 'long polling, not webhook: PUBLIC_URL is set but TELEGRAM_WEBHOOK_SECRET is not',
    });
    expect(telegramPollingWarning(half)).toMatch(
      /PUBLIC_URL is set, because TELEGRAM_WEBHOOK_SECRET is not\. Only one process may poll a bot token \(others get 409 Conflict/,
    );
    // Polling on purpose (no public address) and webhook mode need no warning.
    const local = loadConfig(token);
    expect(platformStatus(local).telegram).toEqual({ enabled: true, mode: 'long polling' });
    expect(telegramPollingWarning(local)).toBeNull();
    const webhook = loadConfig({
      ...token,
      PUBLIC_URL: 'https://jobping.example',
      TELEGRAM_WEBHOOK_SECRET: 'a'.repeat(20),
    });
    expect(telegramPollingWarning(webhook)).toBeNull();
    expect(telegramPollingWarning(loadConfig({ PUBLIC_URL: 'https://jobping.example' }))).toBeNull();
  });

  it('lists the secrets to scrub from logs, including the database password', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u:hunter2hunter2@db:5432/x',
      ADMIN_TOKEN: 'a'.repeat(20),
    });
    expect(secretValues(config)).toEqual(expect.arrayContaining(['hunter2hunter2', 'a'.repeat(20)]));
  });

  it('enables keyed job APIs only as pairs, and scrubs their keys and the proxy password from logs', () => {
    expect(problemsOf({ ADZUNA_APP_ID: 'abc123' })).toEqual(['ADZUNA_APP_KEY: required with ADZUNA_APP_ID']);
    expect(problemsOf({ USAJOBS_API_KEY: 'k'.repeat(20) })).toEqual([
      'USAJOBS_USER_AGENT: required with USAJOBS_API_KEY',
    ]);
    expect(problemsOf({ USAJOBS_API_KEY: 'k'.repeat(20), USAJOBS_USER_AGENT: 'not an email' })).toEqual([
      expect.stringMatching(/^USAJOBS_USER_AGENT: expected the e-mail address/),
    ]);
    const config = loadConfig({
      ADZUNA_APP_ID: 'abc123',
      ADZUNA_APP_KEY: 'adzuna-key-0001',
      USAJOBS_API_KEY: 'usajobs-key-0001',
      USAJOBS_USER_AGENT: 'ops@jobping.example',
      SCRAPER_PROXY_URL: 'http://scraper:proxy-pass-01@proxy.example:3128',
      PUBLIC_URL: 'https://jobping.example',
    });
    expect(config.sources.adzuna).toEqual({ appId: 'abc123', appKey: 'adzuna-key-0001' });
    expect(config.sources.contactUrl).toBe('https://jobping.example');
    expect(config.sources.chromiumPath).toBe('/usr/bin/chromium');
    expect(secretValues(config)).toEqual(
      expect.arrayContaining(['adzuna-key-0001', 'usajobs-key-0001', 'proxy-pass-01']),
    );
    expect(loadConfig({}).sources.adzuna).toBeUndefined();
  });

  it('Slack multi-workspace mode: all three OAuth variables, the signing secret, HTTP only', () => {
    const oauth = {
      SLACK_CLIENT_ID: '4916855695380.4918062468275',
      SLACK_CLIENT_SECRET: '3a1f9c0b2d4e5f60718293a4b5c6d7e8',
      SLACK_STATE_SECRET: 'state-secret-of-the-operator',
    };
    expect(
      problemsOf({ SLACK_CLIENT_ID: oauth.SLACK_CLIENT_ID, SLACK_SIGNING_SECRET: 's'.repeat(32) }),
    ).toEqual([
      expect.stringMatching(/^SLACK_CLIENT_SECRET: required with SLACK_CLIENT_ID/),
      expect.stringMatching(/^SLACK_STATE_SECRET: required with SLACK_CLIENT_ID/),
    ]);
    expect(problemsOf(oauth)).toEqual([
      expect.stringMatching(/^SLACK_SIGNING_SECRET: required in multi-workspace/),
    ]);
    expect(
      problemsOf({ ...oauth, SLACK_SIGNING_SECRET: 's'.repeat(32), SLACK_APP_TOKEN: 'xapp-1-abc' }),
    ).toEqual([expect.stringMatching(/^SLACK_APP_TOKEN: multi-workspace mode runs over HTTP/)]);
    expect(problemsOf({ ...oauth, SLACK_CLIENT_ID: 'client' })[0]).toMatch(
      /^SLACK_CLIENT_ID: expected a client id/,
    );

    // No SLACK_BOT_TOKEN needed; the secrets are scrubbed from logs.
    const config = loadConfig({ ...oauth, SLACK_SIGNING_SECRET: 's'.repeat(32) });
    expect(config.slack.botToken).toBeUndefined();
    expect(config.slack.oauth).toEqual({
      clientId: oauth.SLACK_CLIENT_ID,
      clientSecret: oauth.SLACK_CLIENT_SECRET,
      stateSecret: oauth.SLACK_STATE_SECRET,
    });
    expect(platformStatus(config).slack).toEqual({
      enabled: true,
      mode: 'HTTP events at /slack/events, every workspace that installs at /slack/install',
    });
    expect(secretValues(config)).toEqual(
      expect.arrayContaining([oauth.SLACK_CLIENT_SECRET, oauth.SLACK_STATE_SECRET]),
    );
    expect(loadConfig({}).slack.oauth).toBeUndefined();
  });
});
