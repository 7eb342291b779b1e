/// <reference lib="dom" />
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_NAMES } from '../../src/pipeline/queues.ts';
import { ADMIN_TOKEN, type AdminTestApp, startAdminTestApp } from '../helpers/admin.ts';
import { consoleActor } from '../helpers/app.ts';
import { chromiumPath, noChromium } from '../helpers/chromium.ts';

/** The operator page in headless Chromium, against a whole JobPing on a real port. */

const skip = noChromium();
let t: AdminTestApp;
let browser: Browser;

async function signIn(page: Page, token: string) {
  await page.fill('#token', token);
  await page.click('#sign-in button[type=submit]');
}

describe.skipIf(skip)('the operator page', () => {
  beforeAll(async () => {
    t = await startAdminTestApp();
    await t.say(consoleActor('alice'), '/prefs set keywords=rust,typescript');
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('a wrong token shows an error and the sign-in form again, not a blank page', async () => {
    const page = await browser.newPage();
    await page.goto(`${t.app.url}/admin`);
    await page.waitForSelector('#sign-in', { state: 'visible' });
    await signIn(page, 'not-the-token-at-all');
    const error = page.locator('#error');
    await error.waitFor({ state: 'visible' });
    expect(await error.textContent()).toBe(
      'The token was not accepted (wrong token). Enter the admin token again.',
    );
    expect(await page.isVisible('#sign-in')).toBe(true);
    expect(await page.isVisible('#dashboard')).toBe(false);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.close();
  });

  it('with the token: sources and postings; "Fetch latest jobs" shows live progress until the run is done', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    // A board that went quiet (the fetch stage's warning); the next run that finds postings clears it.
    await t.db.pool.query(`update sources set warning = 'found 0 postings where…' where id = 'sample'`);
    await page.goto(`${t.app.url}/admin`);
    await signIn(page, ADMIN_TOKEN);
    await page.waitForSelector('#dashboard', { state: 'visible' });
    expect(await page.isVisible('#sign-in')).toBe(false);
    expect(await page.isVisible('#error')).toBe(false);
    expect(await page.textContent('#sources tbody tr[data-source="sample"]')).toContain('new');
    expect(await page.textContent('#sources tbody tr[data-source="sample"] .warning')).toBe(
      '⚠ found 0 postings where…',
    );
    expect(await page.textContent('#postings tbody')).toBe('Nothing yet.');
    expect(await page.locator('#queues tbody tr').count()).toBe(QUEUE_NAMES.length + 1); // and the dead letters

    const progress: string[] = [];
    await page.exposeFunction('recordProgress', (text: string) => progress.push(text));
    await page.evaluate(() => {
      const line = document.querySelector('#fetch-progress')!;
      const record = (window as unknown as { recordProgress: (t: string) => void }).recordProgress;
      new MutationObserver(() => record(line.textContent ?? '')).observe(line, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });
    await page.click('#fetch-button');
    await page.waitForSelector('#fetch-progress[data-state="done"]', { timeout: 60_000 });
    expect(await page.textContent('#fetch-progress')).toMatch(
      /^Done: Fetching 1 source → 64 postings, 60 new → analysing \d+\/\d+ → matching/,
    );
    expect(progress[0]).toBe('Starting…');
    expect(progress.some((p) => p.startsWith('Fetching 1 source…'))).toBe(true);

    await page.waitForSelector('#postings tbody tr[data-job]');
    expect(await page.locator('#postings tbody tr[data-job]').count()).toBe(25);
    const sample = await page.textContent('#sources tbody tr[data-source="sample"]');
    expect(sample).toContain('ok');
    expect(sample).toContain('succeeded');
    expect(sample).toContain('64 / 60');
    expect(sample).not.toContain('⚠');
    const usage = await page.textContent('#usage');
    expect(usage).toMatch(/Model calls\s*[1-9]\d*/);
    expect(usage).toMatch(/Cost today\s*\$0\.\d{4}/);
    // An analysed posting shows its summary; Rust search finds the Rust jobs.
    expect(await page.locator('#postings .summary').count()).toBeGreaterThan(0);
    await page.fill('#q', 'rust');
    await page.click('#search button');
    const expected = (await t.api('GET', '/api/jobs?q=rust&sort=relevance&limit=25'))
      .json()
      .items.map((j: { id: number }) => String(j.id));
    await page.waitForFunction(
      (ids) =>
        [...document.querySelectorAll('#postings tbody tr[data-job]')]
          .map((r) => (r as HTMLElement).dataset.job)
          .join() === ids.join(),
      expected,
    );
    expect(await page.locator('#postings tbody tr[data-job] a').first().textContent()).toMatch(/Rust/);
    await page.screenshot({ path: '/tmp/admin-page.png', fullPage: true });

    // The token lives for this tab: a reload keeps it, a new browser context does not have it.
    await page.reload();
    await page.waitForSelector('#dashboard', { state: 'visible' });
    const other = await (await browser.newContext()).newPage();
    await other.goto(`${t.app.url}/admin`);
    await other.waitForSelector('#sign-in', { state: 'visible' });
    expect(await other.isVisible('#dashboard')).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  });
});
