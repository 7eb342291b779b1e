import fs from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';

/**
 * GET /admin: the operator page, one HTML file and one plain script, no build step. The page holds
 * no data: it asks for the token (kept in sessionStorage, so for this tab only) and calls /api.
 * The strict CSP allows only this origin's own script and API, so posting text from job boards
 * can never run as code here.
 */

const DIR = new URL('./page/', import.meta.url);

const HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

export async function registerAdminPage(app: FastifyInstance): Promise<void> {
  const [html, script, style] = await Promise.all(
    ['admin.html', 'admin.js', 'admin.css'].map((f) => fs.readFile(new URL(f, DIR), 'utf8')),
  );
  const serve = (type: string, body: string) => ({
    schema: { hide: true },
    handler: async (_req: unknown, reply: import('fastify').FastifyReply) =>
      reply.headers(HEADERS).type(type).send(body),
  });
  app.get('/admin', serve('text/html; charset=utf-8', html!));
  app.get('/admin/admin.js', serve('text/javascript; charset=utf-8', script!));
  app.get('/admin/admin.css', serve('text/css; charset=utf-8', style!));
}
