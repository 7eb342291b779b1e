import { compile } from 'html-to-text';

/**
 * Board HTML → the plain text we store, analyse and show. Conversion is html-to-text's (a real
 * parser), never our own tag stripping; this file only chooses its options and tidies the result.
 */

export const MAX_DESCRIPTION_CHARS = 20_000;
/** Enough HTML for 20,000 characters of text even with heavy inline styling. */
const MAX_HTML_CHARS = 500_000;

const SKIPPED = [
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'svg',
  'img',
  'picture',
  'video',
  'audio',
];
const SKIPPED_FORM_PARTS = ['button', 'input', 'select', 'textarea', 'hr'];

const toText = compile({
  wordwrap: false,
  selectors: [
    ...[...SKIPPED, ...SKIPPED_FORM_PARTS].map((selector) => ({ selector, format: 'skip' })),
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'ul', options: { itemPrefix: '- ' } },
    // Keep headings as written: upper-casing them would hide "Go" or "Swift" from skill detection.
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
  ],
});

const REAL_TAG = /<\/?[a-z][a-z0-9-]*(?:\s[^<>]*)?\/?>/i;
const ESCAPED_TAG = /&lt;\/?[a-z][a-z0-9-]*(?:\s|\/?&gt;)/i;
const ENTITY = /&(?:[a-z][a-z0-9]{1,31}|#\d{1,7}|#x[0-9a-f]{1,6});/i;

/**
 * Greenhouse and Arbeitnow send HTML that was escaped once more (`&lt;p&gt;`). Such text has
 * escaped tags and no real ones; a normal page that merely shows "&lt;div&gt;" as code has both.
 */
export function isDoubleEscaped(html: string): boolean {
  return ESCAPED_TAG.test(html) && !REAL_TAG.test(html);
}

const BASIC_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };

/**
 * Undoes one level of escaping. Other named entities (`&eacute;`) are left for the HTML pass,
 * where they mean the same character.
 */
export function unescapeOnce(s: string): string {
  return s.replace(/&(?:(lt|gt|quot|apos|amp)|#(\d{1,7})|#x([0-9a-f]{1,6}));/gi, (match, name, dec, hex) => {
    if (name) return BASIC_ENTITIES[name.toLowerCase()] ?? match;
    const code = dec ? Number(dec) : Number.parseInt(hex, 16);
    const valid = code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);
    return valid ? String.fromCodePoint(code) : match;
  });
}

/** Spaces collapsed, lines trimmed, at most one blank line in a row, invisible characters dropped. */
export function tidyText(s: string): string {
  return s
    .replace(/\r\n?/g, '\n')
    .replace(/[\u00ad\u200b-\u200d\u2060\ufeff]/g, '')
    .replace(/[^\S\n]+/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Cuts at `max` characters without splitting a surrogate pair. */
function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  const end = /[\ud800-\udbff]/.test(s[max - 1] ?? '') ? max - 1 : max;
  return s.slice(0, end).trimEnd();
}

/** A description as plain text: scripts, styles and images gone, links as their text, lists as "- item". */
export function htmlToPlainText(html: string): string {
  const source = isDoubleEscaped(html) ? unescapeOnce(html) : html;
  return cut(tidyText(toText(source.slice(0, MAX_HTML_CHARS))), MAX_DESCRIPTION_CHARS);
}

/** Plain-text descriptions are kept as written, only tidied and cut. */
export function plainDescription(text: string): string {
  return cut(tidyText(text.slice(0, MAX_HTML_CHARS)), MAX_DESCRIPTION_CHARS);
}

/** Whether a description with no declared format looks like HTML. */
export function looksLikeHtml(s: string): boolean {
  return REAL_TAG.test(s) || ESCAPED_TAG.test(s) || ENTITY.test(s);
}

/**
 * A one-line field (title, company, location). Markup is converted only when the field has some:
 * a plain "Market Data & <C++> Systems" keeps its "&" and "<C++>".
 */
export function cleanInline(s: string): string {
  let out = s;
  if (REAL_TAG.test(out) || isDoubleEscaped(out))
    out = toText(isDoubleEscaped(out) ? unescapeOnce(out) : out);
  else if (ENTITY.test(out)) out = toText(out.replace(/</g, '&lt;').replace(/>/g, '&gt;'));
  return out
    .replace(/[\u00ad\u200b-\u200d\u2060\ufeff]/g, '')
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
