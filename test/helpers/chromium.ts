import { accessSync, constants } from 'node:fs';
import { loadConfig } from '../../src/config.ts';

/**
 * The Chromium the browser tests drive: CHROMIUM_PATH, as for JobPing itself, else JobPing's
 * default. Without one, a developer's `npm test` skips those tests and says why; CI sets
 * JOBPING_REQUIRE_BROWSER=1 so that a missing browser fails the run instead of hiding tests.
 */

export const chromiumPath = loadConfig({ CHROMIUM_PATH: process.env.CHROMIUM_PATH || undefined }).sources
  .chromiumPath;

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * True when the browser tests cannot run here, after printing why; throws instead when
 * JOBPING_REQUIRE_BROWSER is set. Called by the files that launch Chromium, once each.
 */
export function noChromium(): boolean {
  if (executable(chromiumPath)) return false;
  const reason = `no Chromium at ${chromiumPath} (install it, or set CHROMIUM_PATH to one)`;
  if (/^(1|true|yes)$/i.test(process.env.JOBPING_REQUIRE_BROWSER ?? ''))
    throw new Error(`JOBPING_REQUIRE_BROWSER is set but there is ${reason}`);
  console.warn(`Skipping the browser tests: ${reason}. JOBPING_REQUIRE_BROWSER=1 makes this an error.`);
  return true;
}
