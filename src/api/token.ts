import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.ts';
import type { AdminAuth } from './auth.ts';

/**
 * Where the admin token comes from. ADMIN_TOKEN when set. Otherwise, on the embedded database (a
 * local install), a token generated once and kept in the data directory, readable by its owner
 * only, so a new user can open /admin at once. In a deployment (DATABASE_URL set) without a token
 * the admin API stays off rather than guarding production with a file nobody looks at.
 */

export const TOKEN_FILE = 'admin-token';
export const DISABLED_REASON = 'admin API disabled: set ADMIN_TOKEN';

export async function resolveAdminAuth(
  config: Pick<Config, 'admin' | 'db'>,
  random: (bytes: number) => Buffer = randomBytes,
): Promise<AdminAuth> {
  if (config.admin.token) return { mode: 'token', token: config.admin.token, source: 'env' };
  if (config.db.url) return { mode: 'disabled', reason: DISABLED_REASON };
  return { mode: 'token', token: await readOrCreateToken(config.db.dataDir, random), source: 'file' };
}

async function readOrCreateToken(dataDir: string, random: (bytes: number) => Buffer): Promise<string> {
  const file = path.join(dataDir, TOKEN_FILE);
  await fs.mkdir(dataDir, { recursive: true });
  // Written aside, then linked into place: link fails when the file exists, so two processes
  // starting at once agree on one token, and no reader ever sees a half-written file.
  const draft = `${file}.${random(6).toString('hex')}.tmp`;
  await fs.writeFile(draft, `${random(24).toString('base64url')}\n`, { mode: 0o600 });
  try {
    await fs.link(draft, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await fs.rm(draft, { force: true });
  }
  // A copied or restored file may have come back readable by others: tighten it.
  await fs.chmod(file, 0o600);
  const token = (await fs.readFile(file, 'utf8')).trim();
  if (token.length < 16) throw new Error(`${file} holds no usable token; delete it to get a new one`);
  return token;
}

/** The start-up summary's admin line: where the page is and which token opens it. */
export function describeAdmin(url: string, auth: AdminAuth, dataDir: string): string {
  if (auth.mode === 'disabled') return `off: ${auth.reason} (health endpoints stay open)`;
  const where = `${url}/admin  (API ${url}/api, docs ${url}/api/docs)`;
  return auth.source === 'env'
    ? `${where}, token from ADMIN_TOKEN`
    : `${where}\n             token ${auth.token}  (kept in ${path.join(dataDir, TOKEN_FILE)})`;
}
