import { describe, expect, it } from 'vitest';
import {
  cleanInline,
  htmlToPlainText,
  isDoubleEscaped,
  looksLikeHtml,
  plainDescription,
  tidyText,
  unescapeOnce,
} from './html-text.ts';

describe('isDoubleEscaped', () => {
  it('is true for escaped tags with no real ones', () => {
    expect(isDoubleEscaped('&lt;p&gt;Hello&lt;/p&gt;')).toBe(true);
    expect(isDoubleEscaped('&lt;div class=&quot;x&quot;&gt;')).toBe(true);
  });

  it('is false for real HTML, even when it shows escaped code', () => {
    expect(isDoubleEscaped('<p>Use &lt;div&gt; wisely</p>')).toBe(false);
    expect(isDoubleEscaped('<p>Hello</p>')).toBe(false);
    expect(isDoubleEscaped('a &lt; b')).toBe(false);
  });
});

describe('unescapeOnce', () => {
  it('undoes exactly one level', () => {
    expect(unescapeOnce('&lt;p&gt;Fish &amp;amp; chips&amp;nbsp;&#39;x&#x27;&lt;/p&gt;')).toBe(
      "<p>Fish &amp; chips&nbsp;'x'</p>",
    );
  });

  it('leaves other named entities and invalid code points alone', () => {
    expect(unescapeOnce('caf&eacute; &#0; &#xD800;')).toBe('caf&eacute; &#0; &#xD800;');
  });
});

describe('htmlToPlainText', () => {
  it('decodes a double-escaped description once, then converts it', () => {
    expect(htmlToPlainText('&lt;p&gt;Fish &amp;amp; chips&lt;/p&gt;&lt;p&gt;caf&amp;eacute;&lt;/p&gt;')).toBe(
      'Fish & chips\n\ncafé',
    );
  });

  it('drops scripts, styles, images, iframes and form controls', () => {
    const html =
      '<p>Text</p><script>alert(1)</script><style>p{}</style><img src=x onerror=alert(1)><iframe src="https://x.example"></iframe><noscript>enable js</noscript><button>Apply</button>';
    expect(htmlToPlainText(html)).toBe('Text');
  });

  it('keeps link text, not the address', () => {
    expect(htmlToPlainText('<p>See <a href="https://x.example/a">our page</a>.</p>')).toBe('See our page.');
  });

  it('writes lists as "- item" lines and keeps ordered numbers', () => {
    expect(htmlToPlainText('<ul><li>a</li><li>b</li></ul><ol><li>c</li><li>d</li></ol>')).toBe(
      '- a\n- b\n\n1. c\n2. d',
    );
  });

  it('keeps headings as written (not upper-cased)', () => {
    expect(htmlToPlainText('<h2>Our Go stack</h2><p>x</p>')).toBe('Our Go stack\n\nx');
  });

  it('collapses whitespace to at most one blank line', () => {
    expect(htmlToPlainText('<p>a   b</p>\n\n\n<br><br><br><br><p>\tc</p>')).toBe('a b\n\nc');
  });

  it('survives markup cut mid-tag and mid-entity', () => {
    expect(htmlToPlainText('<p>Hello</p><div class="x')).toBe('Hello');
    expect(htmlToPlainText('<div>Spotify</div>\n<div>&n')).toBe('Spotify\n&n');
  });

  it('renders a table row by row', () => {
    expect(
      htmlToPlainText('<table><tr><th>Level</th><th>Pay</th></tr><tr><td>L3</td><td>$100k</td></tr></table>'),
    ).toMatch(/Level\s+Pay\nL3\s+\$100k/);
  });
});

describe('tidyText and plainDescription', () => {
  it('normalises line endings, spaces and invisible characters', () => {
    expect(tidyText('a\r\nb\u00a0\u00a0c\u200b\u00ad\n\n\n\n  d  ')).toBe('a\nb c\n\nd');
  });

  it('cuts plain text at 20,000 characters without splitting a surrogate pair', () => {
    const text = `${'a'.repeat(19_999)}😀tail`;
    const out = plainDescription(text);
    expect(out).toBe('a'.repeat(19_999));
  });
});

describe('looksLikeHtml', () => {
  it('spots tags and entities, not comparisons', () => {
    expect(looksLikeHtml('<p>x</p>')).toBe(true);
    expect(looksLikeHtml('Fish &amp; chips')).toBe(true);
    expect(looksLikeHtml('a < b and c > d')).toBe(false);
    expect(looksLikeHtml('<C++> & friends')).toBe(false);
  });
});

describe('cleanInline', () => {
  it.each([
    ['  Senior   Engineer  ', 'Senior Engineer'],
    ['Senior&#x2F;Lead Engineer', 'Senior/Lead Engineer'],
    ['<strong>Lead</strong> Engineer', 'Lead Engineer'],
    ['Market Data & <C++> Systems', 'Market Data & <C++> Systems'],
    ['R&D <C++> &amp; more', 'R&D <C++> & more'],
    ['Line\nbreak\tand\u0000control', 'Line break and control'],
    ['Mec\u00e1nico\u00ad', 'Mecánico'],
    ['&lt;b&gt;Bold&lt;/b&gt; title', 'Bold title'],
  ])('%j → %j', (input, expected) => {
    expect(cleanInline(input)).toBe(expected);
  });
});
