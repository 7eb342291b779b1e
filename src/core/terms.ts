import { ALIASES, KNOWN_SKILLS, LANGUAGES, PHRASE_STARTS, STOP_WORDS } from './term-tables.ts';

/**
 * Search terms shared by user keywords and posting text. Both sides go through the same
 * normalisation (case, diacritics, aliases), so "does this posting mention TypeScript?" is an exact
 * join on terms in SQL instead of a text search.
 */

export { KNOWN_SKILLS } from './term-tables.ts';

const SKILLS: ReadonlySet<string> = new Set(KNOWN_SKILLS);

interface Token {
  /** As written, for the case-sensitive rules ("Go", "AI", "Swift"). */
  surface: string;
  lower: string;
  start: number;
  end: number;
}

// Keeps + # . inside and at the end of words (c++, c#, node.js, .net) but never a sentence's full stop.
const TOKEN = /\.?[\p{L}\p{N}](?:[\p{L}\p{N}_+#.-]*[\p{L}\p{N}+#])?/gu;

function foldDiacritics(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '');
}

/** A lower-cased word or phrase → its canonical term, or null for stop words and non-words. */
function canonical(lower: string): string | null {
  const alias = ALIASES.get(lower);
  if (alias) return alias;
  if (STOP_WORDS.has(lower) || lower.length > 60 || !/\p{L}/u.test(lower)) return null;
  return lower;
}

/**
 * One keyword or phrase as a term: lower-case, no surrounding punctuation, aliases mapped
 * ("Node.js" → "node", "Postgres" → "postgresql"). Null for empty input and stop words.
 */
export function normalizeTerm(raw: string): string | null {
  let s = foldDiacritics(raw).toLowerCase().replace(/\s+/g, ' ').trim();
  s = s.replace(/^[^\p{L}\p{N}.]+/u, '').replace(/[^\p{L}\p{N}+#]+$/u, '');
  // A leading dot belongs to ".net"-like names only.
  if (s.startsWith('.') && !ALIASES.has(s)) s = s.replace(/^\.+/, '');
  if (!s) return null;
  return canonical(s) ?? (s.includes('-') ? (ALIASES.get(s.replace(/-/g, ' ')) ?? null) : null);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(TOKEN)) {
    tokens.push({ surface: m[0], lower: m[0].toLowerCase(), start: m.index, end: m.index + m[0].length });
  }
  return tokens;
}

/** Whether the word starts a sentence, a line or a bullet, where any word is capitalised. */
function atSentenceStart(text: string, start: number): boolean {
  let i = start - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t' || text[i] === '"' || text[i] === '(')) i--;
  if (i < 0) return true;
  const ch = text[i] ?? '';
  if ('.!?•*\n\r'.includes(ch)) return true;
  return ch === '-' && (i === 0 || /\s/.test(text[i - 1] ?? ''));
}

const LIST_GAP = /^[\s,/&|()]*(?:(?:and|or)[\s,/&|()]*)?$/i;

/** "Python, Go and Rust", "Python or R": a neighbour in a list is a programming language. */
function inLanguageList(text: string, tokens: readonly Token[], i: number): boolean {
  for (const step of [-1, 1]) {
    let j = i + step;
    const joiner = tokens[j];
    if (joiner && (joiner.lower === 'and' || joiner.lower === 'or')) j += step;
    const other = tokens[j];
    if (!other) continue;
    const gap = step < 0 ? text.slice(other.end, tokens[i]!.start) : text.slice(tokens[i]!.end, other.start);
    if (!LIST_GAP.test(gap) || !/[,/&]|\b(?:and|or)\b/i.test(gap)) continue;
    const term = canonical(other.lower);
    if (term !== null && term !== tokens[i]!.lower && LANGUAGES.has(term)) return true;
  }
  return false;
}

const GO_FOLLOWERS = new Set([
  'engineer',
  'engineers',
  'developer',
  'developers',
  'backend',
  'service',
  'services',
  'microservices',
  'code',
  'programming',
  'programmer',
  'language',
  'modules',
  'runtime',
  'experience',
  'expertise',
  'skills',
]);
const GO_NOT_FOLLOWERS = new Set(['to', 'live', 'ahead', 'beyond', 'back', 'get', 'for']);

function isGoLanguage(text: string, tokens: readonly Token[], i: number): boolean {
  const t = tokens[i]!;
  if (inLanguageList(text, tokens, i)) return true;
  if (t.surface !== 'Go') return false;
  const next = tokens[i + 1]?.lower ?? '';
  if (GO_FOLLOWERS.has(next)) return true;
  return !atSentenceStart(text, t.start) && !GO_NOT_FOLLOWERS.has(next);
}

const hasUpper = (t: Token) => t.surface !== t.lower;

/**
 * Words that are skills only in some spellings: "go", "react", "swift" and friends are ordinary
 * English too, and "AI"/"ML" are only meant in capitals.
 */
const AMBIGUOUS: ReadonlyMap<string, (text: string, tokens: readonly Token[], i: number) => boolean> =
  new Map([
    ['go', isGoLanguage],
    ['ai', (_x, tokens, i) => tokens[i]!.surface === 'AI'],
    ['ml', (_x, tokens, i) => tokens[i]!.surface === 'ML'],
    ['swift', (_x, tokens, i) => tokens[i]!.surface === 'Swift'],
    ['r', (text, tokens, i) => tokens[i]!.surface === 'R' && inLanguageList(text, tokens, i)],
    ['c', (text, tokens, i) => tokens[i]!.surface === 'C' && inLanguageList(text, tokens, i)],
    ['react', (_x, tokens, i) => hasUpper(tokens[i]!)],
    ['node', (_x, tokens, i) => hasUpper(tokens[i]!)],
    ['rails', (_x, tokens, i) => hasUpper(tokens[i]!)],
    ['dart', (_x, tokens, i) => hasUpper(tokens[i]!)],
    ['spark', (_x, tokens, i) => hasUpper(tokens[i]!)],
    ['express', (text, tokens, i) => hasUpper(tokens[i]!) && !atSentenceStart(text, tokens[i]!.start)],
  ]);

function termOf(text: string, tokens: readonly Token[], i: number): string | null {
  const rule = AMBIGUOUS.get(tokens[i]!.lower);
  if (rule && !rule(text, tokens, i)) return null;
  return canonical(tokens[i]!.lower);
}

/** "node.js-based" → "node", "based"; "modash.io" → "modash", "io". Parts keep their positions. */
function splitParts(t: Token, separator: RegExp): Token[] {
  const parts: Token[] = [];
  let offset = 0;
  for (const piece of t.surface.split(separator)) {
    if (piece.length > 0) {
      const start = t.start + offset;
      parts.push({ surface: piece, lower: piece.toLowerCase(), start, end: start + piece.length });
    }
    offset += piece.length + 1;
  }
  return parts;
}

/** Adds a compound word whole and, unless it is a known alias ("front-end"), its parts too. */
function addCompound(text: string, t: Token, out: Set<string>): void {
  const whole = canonical(t.lower);
  if (whole) out.add(whole);
  if (ALIASES.has(t.lower)) return;
  const parts = splitParts(t, t.lower.includes('-') ? /-/ : /\./);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part.lower.includes('.') && !ALIASES.has(part.lower)) addCompound(text, part, out);
    else {
      const term = termOf(text, parts, i);
      if (term) out.add(term);
    }
  }
}

const PHRASE_GAP = /^(?:[ \t]+|\/)$/;

/** Multi-word aliases starting at token i ("machine learning", "ruby on rails"), longest first. */
function phraseAt(text: string, tokens: readonly Token[], i: number): string | null {
  let key = tokens[i]!.lower;
  let found: string | null = null;
  for (let n = 1; n <= 3; n++) {
    const next = tokens[i + n];
    if (!next || !PHRASE_GAP.test(text.slice(tokens[i + n - 1]!.end, next.start))) break;
    key = `${key} ${next.lower}`;
    found = ALIASES.get(key) ?? found;
  }
  return found;
}

/**
 * Every distinct term of a text, sorted: words (c++, c#, node.js and .net kept whole), compound
 * words whole and in parts, and multi-word aliases. Ambiguous words count only where they are
 * clearly the technology. Linear in the text; meant for long descriptions in bulk.
 */
export function extractTerms(text: string): string[] {
  const folded = foldDiacritics(text);
  const tokens = tokenize(folded);
  const out = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (PHRASE_STARTS.has(t.lower)) {
      const phrase = phraseAt(folded, tokens, i);
      if (phrase) out.add(phrase);
    }
    if (t.lower.includes('-') || (t.lower.includes('.') && !ALIASES.has(t.lower)))
      addCompound(folded, t, out);
    else {
      const term = termOf(folded, tokens, i);
      if (term) out.add(term);
    }
  }
  return [...out].sort();
}

/** The known skills a text mentions (canonical names, sorted). */
export function extractSkills(text: string): string[] {
  return extractTerms(text).filter((t) => SKILLS.has(t));
}

/**
 * A user's keyword list ("TypeScript, Node.js; data platform") as terms, in the order typed. A
 * phrase that names one term (an alias such as "machine learning") is that term; any other phrase
 * of up to three words is kept as its words' terms joined by spaces ("data platform"), which
 * matches a posting that has all of those terms; longer phrases are taken word by word.
 */
export function parseTermList(input: string): string[] {
  const out = new Set<string>();
  for (const phrase of input.split(/[,;\n]+/)) {
    const words = phrase.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) continue;
    if (words.length > 3) {
      for (const t of words.map(normalizeTerm)) if (t && !t.includes(' ')) out.add(t);
      continue;
    }
    const whole = normalizeTerm(phrase);
    const parts = extractTerms(phrase);
    if (whole && (words.length === 1 || parts.includes(whole) || !whole.includes(' '))) {
      out.add(whole); // a single word, or a phrase that is a known alias
    } else if (parts.length > 0) {
      out.add(parts.join(' '));
    }
  }
  return [...out];
}
