import type { RawPosting } from '../../src/core/types.ts';
import type { SourceKind } from '../../src/pipeline/sources/registry.ts';

/**
 * A job board held in memory, for pipeline tests: the test edits `boards[id]` between fetches
 * (new postings, changed descriptions, removals) or makes a board fail.
 */
export function memoryBoards() {
  const boards = new Map<string, RawPosting[] | Error>();
  const kind: SourceKind = {
    kind: 'memory',
    label: 'Memory board',
    create: (row) => ({
      id: row.id,
      kind: 'memory',
      async *fetch() {
        const board = boards.get(row.id);
        if (board instanceof Error) throw board;
        for (const posting of board ?? []) yield structuredClone(posting);
      },
    }),
  };
  return { boards, kind };
}

let counter = 0;
export function rawPosting(overrides: Partial<RawPosting> = {}): RawPosting {
  counter++;
  return {
    externalId: `ext-${counter}`,
    title: 'Senior TypeScript Engineer',
    company: `Company ${counter}`,
    url: `https://jobs.example/${counter}`,
    location: 'Remote',
    remote: 'remote',
    description: '<p>Build Node.js services with TypeScript and PostgreSQL.</p>',
    descriptionFormat: 'html',
    salary: { min: 140000, max: 170000, currency: 'USD', interval: 'year' },
    postedAt: new Date(Date.now() - 86_400_000).toISOString(),
    tags: ['typescript'],
    ...overrides,
  };
}
