/**
 * Telegram's HTML parse mode as the Bot API server applies it (tdlib `parse_html`): only a few tags,
 * every tag closed in order, `<` always starts a tag, the four named entities and numeric ones
 * decoded, an unknown `&…;` left as it is. Returns the text the user sees, or the error the server
 * answers with ("Bad Request: can't parse entities: …").
 */

const TAGS = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'span',
  'tg-spoiler',
  'a',
  'tg-emoji',
  'code',
  'pre',
  'blockquote',
]);
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

export interface ParsedHtml {
  text: string;
  links: string[];
}

function decodeEntity(html: string, at: number): { char: string; end: number } | null {
  const m = /^&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|([a-z]+));/i.exec(html.slice(at, at + 12));
  if (!m) return null;
  const code = m[1] ? Number(m[1]) : m[2] ? Number.parseInt(m[2], 16) : undefined;
  const char = code !== undefined ? String.fromCodePoint(code) : NAMED[m[3]!.toLowerCase()];
  return char === undefined ? null : { char, end: at + m[0].length };
}

function decodeText(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; ) {
    const entity = raw[i] === '&' ? decodeEntity(raw, i) : null;
    if (entity) {
      out += entity.char;
      i = entity.end;
    } else out += raw[i++];
  }
  return out;
}

/** Reads `name="v" name2='v' name3=v` up to `>`; throws on anything else. */
function readAttributes(
  html: string,
  start: number,
  tag: string,
): { attrs: Map<string, string>; end: number } {
  const attrs = new Map<string, string>();
  let i = start;
  for (;;) {
    while (/\s/.test(html[i] ?? '')) i++;
    if (html[i] === '>') return { attrs, end: i + 1 };
    if (i >= html.length) throw new Error(`Unclosed start tag at byte offset ${start}`);
    const name = /^[a-z-]+/i.exec(html.slice(i))?.[0];
    if (!name) throw new Error(`Empty attribute name in the tag "${tag}" at byte offset ${i}`);
    i += name.length;
    if (html[i] !== '=')
      throw new Error(`Expected equal sign in declaration of an attribute of the tag "${tag}"`);
    i++;
    const quote = html[i];
    let value: string;
    if (quote === '"' || quote === "'") {
      const close = html.indexOf(quote, i + 1);
      if (close < 0) throw new Error(`Unclosed end of attribute value at byte offset ${i}`);
      value = html.slice(i + 1, close);
      i = close + 1;
      if (html[i] !== '>' && !/\s/.test(html[i] ?? ''))
        throw new Error(
          `Expected whitespace or '>' after attribute value of the tag "${tag}" at byte offset ${i}`,
        );
    } else {
      value = /^[^\s>]*/.exec(html.slice(i))![0];
      i += value.length;
    }
    attrs.set(name.toLowerCase(), decodeText(value));
  }
}

export function parseTelegramHtml(html: string): ParsedHtml {
  const open: string[] = [];
  const links: string[] = [];
  let text = '';
  let i = 0;
  while (i < html.length) {
    const ch = html[i]!;
    if (ch === '&') {
      const entity = decodeEntity(html, i);
      text += entity ? entity.char : '&';
      i = entity ? entity.end : i + 1;
      continue;
    }
    if (ch === '>') throw new Error(`Unexpected ">" at byte offset ${i}`);
    if (ch !== '<') {
      text += ch;
      i++;
      continue;
    }
    if (html[i + 1] === '/') {
      const m = /^<\/([a-z-]*)\s*>/i.exec(html.slice(i));
      const expected = open.pop();
      if (!m || !expected) throw new Error(`Unexpected end tag at byte offset ${i}`);
      if (m[1]!.toLowerCase() !== expected)
        throw new Error(`Unmatched end tag at byte offset ${i}, expected "</${expected}>", found "${m[0]}"`);
      i += m[0].length;
      continue;
    }
    const name = /^<([a-z-]+)/i.exec(html.slice(i))?.[1]?.toLowerCase();
    if (!name || !TAGS.has(name))
      throw new Error(`Unsupported start tag "${name ?? html.slice(i + 1, i + 10)}" at byte offset ${i}`);
    const { attrs, end } = readAttributes(html, i + 1 + name.length, name);
    if (name === 'a') links.push(attrs.get('href') ?? '');
    open.push(name);
    i = end;
  }
  if (open.length > 0) throw new Error(`Can't find end tag corresponding to start tag "${open.at(-1)}"`);
  return { text, links };
}
