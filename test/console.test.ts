import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleChat } from '../src/bots/console/adapter.ts';
import { consoleActor, startTestApp, type TestApp } from './helpers/app.ts';

/** The console bot as a user meets it: lines typed in, text out, numbered buttons. */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.stop();
});

function consoleSession() {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (d) => {
    text += d;
  });
  const chat = startConsoleChat({
    deps: t.app.bot,
    actor: consoleActor('carol'),
    input,
    output,
    interactive: false,
  });
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  output.on('data', () => {
    for (const w of [...waiters]) if (w.re.test(text)) waiters.splice(waiters.indexOf(w), 1) && w.resolve();
  });
  return {
    chat,
    output: () => text,
    /** Types a line and resolves once the output matches `until`. */
    async type(line: string, until: RegExp) {
      const done = new Promise<void>((resolve) => waiters.push({ re: until, resolve }));
      input.write(`${line}\n`);
      await done;
    },
    end() {
      input.end();
    },
  };
}

describe('console bot', () => {
  it('fetches, shows cards with numbered actions, and a typed number presses the button', async () => {
    const s = consoleSession();
    await s.type('/prefs set keywords=rust', /Saved\. Your preferences/);
    await s.type('/jobs fetch', /\[4\] Open/);
    expect(s.output()).toMatch(/Fetching 1 source…/);
    expect(s.output()).toMatch(/4 new matches\n\n1\. .*Rust.* — /);
    expect(s.output()).toMatch(/\[1\] Save {2}\[2\] Dismiss {2}\[3\] Applied {2}\[4\] Open/);
    await s.type('1', /Saved: .+ at /);
    expect(s.output()).toMatch(/\[saved\]/);
    await s.type('4', /Open in your browser: https:\/\/\S+\.example\//);
    await s.type('99', /There is no button 99/);
    await s.type('/jobs saved', /Saved and applied: 1 in all/);
    await s.type('/nonsense', /! Unknown command \/nonsense/);
    const closed = s.chat.closed;
    s.end();
    await closed;
  });
});
