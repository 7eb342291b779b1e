import { describe, expect, it } from 'vitest';
import { extractSkills, extractTerms, KNOWN_SKILLS, normalizeTerm, parseTermList } from './terms.ts';

describe('normalizeTerm', () => {
  it.each([
    ['Node.js', 'node'],
    ['nodejs', 'node'],
    ['node js', 'node'],
    ['TypeScript', 'typescript'],
    ['TS', 'typescript'],
    ['JS', 'javascript'],
    ['JavaScript', 'javascript'],
    ['Golang', 'go'],
    ['go', 'go'],
    ['Postgres', 'postgresql'],
    ['PostgreSQL', 'postgresql'],
    ['psql', 'postgresql'],
    ['k8s', 'kubernetes'],
    ['React.js', 'react'],
    ['ReactJS', 'react'],
    ['Vue.js', 'vue'],
    ['vuejs', 'vue'],
    ['Next.js', 'nextjs'],
    ['C++', 'c++'],
    ['cpp', 'c++'],
    ['C#', 'c#'],
    ['csharp', 'c#'],
    ['.NET', '.net'],
    ['dotnet', '.net'],
    ['ML', 'machine learning'],
    ['Machine Learning', 'machine learning'],
    ['AI', 'ai'],
    ['Amazon Web Services', 'aws'],
    ['Google Cloud', 'gcp'],
    ['site reliability', 'sre'],
    ['DevOps', 'devops'],
    ['front-end', 'frontend'],
    ['Front End', 'frontend'],
    ['back-end', 'backend'],
    ['full stack', 'fullstack'],
    ['Full-Stack', 'fullstack'],
    ['Ruby on Rails', 'rails'],
    ['Rails', 'rails'],
    ['Ruby', 'ruby'],
    ['LLM', 'llm'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeTerm(raw)).toBe(expected);
  });

  it('trims, lower-cases and strips surrounding punctuation, keeping + and #', () => {
    expect(normalizeTerm('  Kotlin! ')).toBe('kotlin');
    expect(normalizeTerm('(k8s)')).toBe('kubernetes');
    expect(normalizeTerm('"C++",')).toBe('c++');
    expect(normalizeTerm('...Elixir.')).toBe('elixir');
    expect(normalizeTerm('Remote-First')).toBe('remote-first');
  });

  it('folds accents so "Zürich" and "zurich" are one term', () => {
    expect(normalizeTerm('Zürich')).toBe('zurich');
    expect(normalizeTerm('Café')).toBe('cafe');
  });

  it('returns null for empty input, stop words and numbers', () => {
    for (const raw of ['', '   ', 'the', 'And', 'with', '2026', '!!']) expect(normalizeTerm(raw)).toBeNull();
  });
});

describe('KNOWN_SKILLS', () => {
  it('holds canonical names only, each its own normalisation, sorted and unique', () => {
    for (const skill of KNOWN_SKILLS) expect(normalizeTerm(skill)).toBe(skill);
    expect([...KNOWN_SKILLS].sort()).toEqual(KNOWN_SKILLS);
    expect(new Set(KNOWN_SKILLS).size).toBe(KNOWN_SKILLS.length);
    for (const s of ['typescript', 'node', 'go', 'postgresql', 'kubernetes', 'c++', 'c#', '.net', 'rails'])
      expect(KNOWN_SKILLS).toContain(s);
  });
});

describe('extractTerms', () => {
  it('returns unique, sorted, normalised words without stop words', () => {
    expect(extractTerms('We use Postgres and TypeScript; we love TypeScript.')).toEqual([
      'love',
      'postgresql',
      'typescript',
      'use',
    ]);
  });

  it('keeps c++, c#, node.js and .net whole', () => {
    expect(extractTerms('C++, C#, .NET and Node.js.')).toEqual(['.net', 'c#', 'c++', 'node']);
    expect(extractTerms('modern C++ (C++20)')).toEqual(['c++', 'modern']);
  });

  it('finds multi-word aliases', () => {
    const terms = extractTerms(
      'Machine learning on Google Cloud, Ruby on Rails, site reliability engineering',
    );
    expect(terms).toEqual(expect.arrayContaining(['machine learning', 'gcp', 'rails', 'ruby', 'sre']));
  });

  it('keeps compound words whole and in parts', () => {
    expect(extractTerms('a remote-first, Node.js-based team')).toEqual([
      'based',
      'first',
      'node',
      'node.js-based',
      'remote',
      'remote-first',
      'team',
    ]);
    expect(extractTerms('a front-end role')).toEqual(['frontend', 'role']);
  });

  it('is what user keywords match: the same term on both sides', () => {
    const posting = extractTerms('Senior Backend Engineer (Node.js, Postgres, K8s)');
    for (const keyword of parseTermList('nodejs, PostgreSQL, kubernetes, back-end'))
      expect(posting).toContain(keyword);
  });

  it('does not turn everyday words into skills', () => {
    const terms = extractTerms('Let us go further. We react quickly to incidents on each node.');
    expect(terms).not.toContain('go');
    expect(terms).not.toContain('react');
    expect(terms).not.toContain('node');
  });

  it('handles a 2,000-word description quickly', () => {
    const paragraph =
      'We are hiring a Senior Backend Engineer to build APIs in TypeScript on Node.js, with PostgreSQL, ' +
      'Redis and Kafka on AWS. You will mentor engineers, review code and improve our CI/CD pipelines. ';
    const text = paragraph.repeat(60); // ≈ 2,000 words
    const started = performance.now();
    for (let i = 0; i < 50; i++) extractTerms(text);
    const perCall = (performance.now() - started) / 50;
    expect(perCall).toBeLessThan(20);
  });
});

describe('extractSkills', () => {
  it('finds only known skills, canonical and sorted', () => {
    expect(
      extractSkills('You will own services written in TypeScript on Node.js, backed by PostgreSQL, on AWS.'),
    ).toEqual(['aws', 'node', 'postgresql', 'typescript']);
  });

  describe('"Go" only when it is the language', () => {
    it.each([
      'Senior Go Engineer, Payments Infrastructure',
      'Go Backend Engineer',
      'Write Kubernetes operators and controllers in Go',
      '- Go services for authorisation',
      'We use Golang everywhere',
      'Languages: Python, Go and Rust',
      'python, go, rust',
      'Strong programming skills in Go, or in another backend language',
    ])('%s', (text) => {
      expect(extractSkills(text)).toContain('go');
    });

    it.each([
      "Let's go!",
      'Go beyond what you thought possible.',
      'You will go to conferences',
      'Own our go-to-market tooling',
      'We are on the go',
    ])('not in %j', (text) => {
      expect(extractSkills(text)).not.toContain('go');
    });
  });

  it('"AI" and "ML" only as upper-case words', () => {
    expect(extractSkills('Experience with AI/ML systems')).toEqual(['ai', 'machine learning']);
    expect(extractSkills('ML Engineer')).toEqual(['machine learning']);
    expect(extractSkills('Nous avons ai ml de lait')).toEqual([]);
    expect(extractSkills('He said, with detail, that email is fine')).toEqual([]);
  });

  it('"Swift" only capitalised', () => {
    expect(extractSkills('iOS Engineer (Swift)')).toEqual(['ios', 'swift']);
    expect(extractSkills('We value swift decisions')).toEqual([]);
  });

  it('"Java" never matches JavaScript', () => {
    expect(extractSkills('JavaScript and TypeScript')).toEqual(['javascript', 'typescript']);
    expect(extractSkills('Java and Kotlin')).toEqual(['java', 'kotlin']);
  });

  it('"Rust" counts in any case', () => {
    expect(extractSkills('rust and Rust')).toEqual(['rust']);
  });

  it('"R" only in a list of languages', () => {
    expect(extractSkills('Python or R')).toEqual(['python', 'r']);
    expect(extractSkills('Series R funding')).toEqual([]);
  });

  it('knows the multi-word skills', () => {
    expect(extractSkills('React Native, Spring Boot and GitHub Actions')).toEqual([
      'github actions',
      'react',
      'react native',
      'spring boot',
    ]);
  });
});

describe('parseTermList', () => {
  it('splits on commas and semicolons and normalises each phrase', () => {
    expect(parseTermList('TypeScript, Node.js; remote-first')).toEqual([
      'typescript',
      'node',
      'remote-first',
    ]);
  });

  it('maps multi-word aliases as a whole', () => {
    expect(parseTermList('Ruby on Rails, machine learning, Google Cloud')).toEqual([
      'rails',
      'machine learning',
      'gcp',
    ]);
  });

  it('keeps phrases of up to three words as one term', () => {
    // Kept as all-of terms: a posting must mention every word.
    expect(parseTermList('Data Platform, developer experience team')).toEqual([
      'data platform',
      'developer experience team',
    ]);
    expect(parseTermList('head of engineering')).toEqual(['engineering head']);
  });

  it('takes longer phrases word by word, without stop words', () => {
    expect(parseTermList('I want a remote rust job')).toEqual(['want', 'remote', 'rust', 'job']);
  });

  it('drops empty entries, stop words and duplicates', () => {
    expect(parseTermList(' , ;the; Postgres, postgresql ,,')).toEqual(['postgresql']);
    expect(parseTermList('')).toEqual([]);
  });
});
