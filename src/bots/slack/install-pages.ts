import type { ServerResponse } from 'node:http';

/**
 * The pages a person sees at the end of "Add to Slack" (GET /slack/oauth_redirect): a plain
 * "installed" page, or why it did not work. Bolt verifies the state and exchanges the code; these
 * only say how it went.
 */

export const SLACK_INSTALL_PATH = '/slack/install';
export const SLACK_REDIRECT_PATH = '/slack/oauth_redirect';

/** Error codes of Bolt's OAuth module (@slack/oauth ErrorCode) that mean a bad or stale link. */
const BAD_LINK = new Set([
  'slack_oauth_missing_state',
  'slack_oauth_invalid_state',
  'slack_oauth_missing_code',
]);
/** Thrown for `error=access_denied`: the person pressed Cancel on Slack's consent screen. */
const CANCELLED = 'slack_oauth_installer_authorization_error';

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function page(res: ServerResponse, status: number, title: string, body: string) {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5}</style>
</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(html);
}

export function installedPage(
  res: ServerResponse,
  installed: { teamId: string | undefined; teamName: string | undefined; appId: string | undefined },
) {
  const where = installed.teamName
    ? `in <strong>${escapeHtml(installed.teamName)}</strong>`
    : 'in your workspace';
  const open =
    installed.teamId && installed.appId
      ? `<p><a href="slack://app?team=${encodeURIComponent(installed.teamId)}&amp;id=${encodeURIComponent(installed.appId)}">Open JobPing in Slack</a></p>`
      : '';
  page(
    res,
    200,
    'JobPing is installed',
    `<p>JobPing is now installed ${where}.</p>
<p>In Slack, type <code>/prefs</code> to say what jobs you look for and <code>/jobs fetch</code> to look now.
New matches arrive as direct messages from JobPing; its Home tab keeps your saved jobs.</p>${open}`,
  );
}

/** Status and page for a failed install; returns the status for the log line. */
export function installFailedPage(res: ServerResponse, code: string | undefined): number {
  if (code === CANCELLED) {
    page(res, 200, 'Installation cancelled', '<p>JobPing was not installed. You can close this page.</p>');
    return 200;
  }
  if (code && BAD_LINK.has(code)) {
    page(
      res,
      400,
      'This install link has expired',
      `<p>The link was not started here, or is too old. Start again from the <a href="${SLACK_INSTALL_PATH}">install page</a>.</p>`,
    );
    return 400;
  }
  page(
    res,
    502,
    'JobPing could not be installed',
    `<p>Slack did not complete the installation. Try again from the <a href="${SLACK_INSTALL_PATH}">install page</a> in a minute; if it keeps failing, tell the operator of this JobPing.</p>`,
  );
  return 502;
}
