import fs from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SLASH_COMMANDS } from '../../src/bots/slack/slash-commands.ts';
import { SLACK_EVENTS_PATH, SLACK_REDIRECT_PATH, SLACK_SCOPES } from '../../src/bots/slack/start.ts';

/** The manifests an operator pastes into Slack must match what the app serves. */

const commandsOf = (manifest: string) => [...manifest.matchAll(/^\s*- command: (\S+)$/gm)].map((m) => m[1]);
const scopesOf = (manifest: string) =>
  [...manifest.matchAll(/^\s*- ([a-z:.]+)(?:\s+#.*)?$/gm)].map((m) => m[1]);

describe('slack/manifest*.yml', () => {
  it('HTTP mode: every command, interactivity and the events go to /slack/events', async () => {
    const manifest = await fs.readFile('slack/manifest.yml', 'utf8');
    expect(commandsOf(manifest)).toEqual([...SLASH_COMMANDS]);
    const urls = [...manifest.matchAll(/^\s*(?:url|request_url): (\S+)$/gm)].map((m) => m[1]);
    expect(urls).toHaveLength(SLASH_COMMANDS.length + 2);
    for (const url of urls) expect(url).toBe(`https://YOUR_HOST${SLACK_EVENTS_PATH}`);
    expect(manifest).toMatch(/bot_events:\n\s+- app_home_opened\n/);
    expect(manifest).toMatch(/interactivity:\n\s+is_enabled: true/);
    expect(manifest).toMatch(/home_tab_enabled: true/);
    expect(manifest).toMatch(/socket_mode_enabled: false/);
    expect(scopesOf(manifest)).toEqual(expect.arrayContaining(['commands', 'chat:write', 'im:write']));
  });

  it('distribution: the OAuth redirect URL, the scopes the install flow asks for, the uninstall events', async () => {
    const manifest = await fs.readFile('slack/manifest.yml', 'utf8');
    expect(manifest).toMatch(new RegExp(`redirect_urls:\\n\\s+- https://YOUR_HOST${SLACK_REDIRECT_PATH}\\n`));
    expect(scopesOf(manifest)).toEqual(SLACK_SCOPES);
    for (const file of ['slack/manifest.yml', 'slack/manifest.socket-mode.yml']) {
      const text = await fs.readFile(file, 'utf8');
      expect(text).toMatch(/bot_events:\n\s+- app_home_opened\n\s+- app_uninstalled\n\s+- tokens_revoked\n/);
    }
  });

  it('Socket Mode: the same app without URLs', async () => {
    const http = await fs.readFile('slack/manifest.yml', 'utf8');
    const socket = await fs.readFile('slack/manifest.socket-mode.yml', 'utf8');
    expect(socket).toMatch(/socket_mode_enabled: true/);
    expect(socket).not.toMatch(/url:/);
    const body = (m: string) =>
      m
        .replace(/^#.*\n/gm, '')
        .replace(/^\s*(url|request_url): .*\n/gm, '')
        .replace(/^\s*redirect_urls:\n\s*- .*\n/m, '')
        .replace('socket_mode_enabled: false', 'socket_mode_enabled: true');
    expect(body(socket)).toBe(body(http));
  });
});
