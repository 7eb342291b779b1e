import { describe, expect, it } from 'vitest';
import { orderKeywordsByCoverage } from './search-terms.ts';

describe('orderKeywordsByCoverage', () => {
  it('puts the most wanted keyword first, then the one serving the most users not served yet', () => {
    const order = orderKeywordsByCoverage(
      [
        { keywords: ['node', 'typescript'], users: 40 },
        { keywords: ['typescript'], users: 10 },
        { keywords: ['node'], users: 5 },
        { keywords: ['zig'], users: 8 },
        { keywords: ['angular'], users: 1 },
      ],
      50,
    );
    // node (45 users) is wanted by almost as many as typescript (50), but serves only 5 more.
    expect(order).toEqual(['typescript', 'zig', 'node', 'angular']);
  });

  it('serves users with late-alphabet keywords before early ones wanted by fewer', () => {
    const groups = [
      ...Array.from({ length: 60 }, (_, i) => ({ keywords: [`a${String(i).padStart(2, '0')}`], users: 1 })),
      { keywords: ['zookeeper'], users: 2 },
      { keywords: ['yaml', 'zookeeper'], users: 1 },
    ];
    expect(orderKeywordsByCoverage(groups, 3)).toEqual(['zookeeper', 'a00', 'a01']);
  });

  it('after every user is served, orders the rest by how many want them, then alphabetically', () => {
    const order = orderKeywordsByCoverage(
      [
        { keywords: ['go', 'rust', 'kafka'], users: 3 },
        { keywords: ['rust', 'kafka'], users: 2 },
        { keywords: ['python'], users: 1 },
      ],
      10,
    );
    expect(order).toEqual(['kafka', 'python', 'rust', 'go']);
  });

  it('keeps to the limit and copes with nothing to order', () => {
    const groups = [
      { keywords: ['a'], users: 3 },
      { keywords: ['b'], users: 2 },
      { keywords: ['c'], users: 1 },
    ];
    expect(orderKeywordsByCoverage(groups, 2)).toEqual(['a', 'b']);
    expect(orderKeywordsByCoverage([], 5)).toEqual([]);
    expect(orderKeywordsByCoverage([{ keywords: [], users: 4 }], 5)).toEqual([]);
  });

  it('orders 10,000 combinations of 200 keywords: each pick serves at least as many new users as the next', () => {
    let seed = 7;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const groups = Array.from({ length: 10_000 }, () => ({
      keywords: Array.from({ length: 1 + Math.floor(next() * 5) }, () => `k${Math.floor(next() ** 2 * 200)}`),
      users: 1 + Math.floor(next() * 9),
    }));
    const order = orderKeywordsByCoverage(groups, 50);
    expect(order).toHaveLength(50);
    expect(new Set(order).size).toBe(50);
    // Greedy: the users each pick newly serves never grow along the order.
    const served = new Set<number>();
    const gains = order.map((k) => {
      let gain = 0;
      groups.forEach((g, i) => {
        if (!served.has(i) && g.keywords.includes(k)) {
          served.add(i);
          gain += g.users;
        }
      });
      return gain;
    });
    expect(gains).toEqual([...gains].sort((a, b) => b - a));
    expect(gains[0]).toBeGreaterThan(0);
  });
});
