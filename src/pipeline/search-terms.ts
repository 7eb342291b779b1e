/**
 * Which of the users' keywords search boards (LinkedIn, Indeed, Glassdoor, Adzuna…) look for. A
 * board searches only the first few (3 to 5 requests a run), so the order decides who is served:
 * alphabetical order served whoever wanted "angular" and nobody who wanted "typescript".
 */

/** Users who want exactly these keywords (each user counted once, in one group). */
export interface KeywordGroup {
  keywords: readonly string[];
  users: number;
}

/**
 * Greedy set cover: first the keyword most users want, then each time the one that serves the
 * most users not served yet. Once every user is served, the rest follow by how many users want
 * them. Ties go to the more wanted keyword, then alphabetically, so the order is stable.
 */
export function orderKeywordsByCoverage(groups: readonly KeywordGroup[], limit: number): string[] {
  const sets = groups
    .filter((g) => g.users > 0)
    .map((g) => ({ keywords: [...new Set(g.keywords)], users: g.users }));
  // Users each keyword serves: all of them (`wanted`), and those not served yet (`gain`).
  const wanted = new Map<string, number>();
  const groupsOf = new Map<string, number[]>();
  sets.forEach((g, i) => {
    for (const k of g.keywords) {
      wanted.set(k, (wanted.get(k) ?? 0) + g.users);
      const list = groupsOf.get(k);
      if (list) list.push(i);
      else groupsOf.set(k, [i]);
    }
  });
  const gain = new Map(wanted);
  const served = new Set<number>();
  const before = (a: string, b: string) => {
    const byGain = gain.get(a)! - gain.get(b)!;
    const byWanted = wanted.get(a)! - wanted.get(b)!;
    return byGain !== 0 ? byGain > 0 : byWanted !== 0 ? byWanted > 0 : a < b;
  };

  const order: string[] = [];
  while (order.length < limit && gain.size > 0) {
    let best: string | undefined;
    for (const k of gain.keys()) if (best === undefined || before(k, best)) best = k;
    order.push(best!);
    gain.delete(best!);
    // Its users are served now: the other keywords of their groups gain that much less.
    for (const i of groupsOf.get(best!)!) {
      if (served.has(i)) continue;
      served.add(i);
      for (const k of sets[i]!.keywords) if (gain.has(k)) gain.set(k, gain.get(k)! - sets[i]!.users);
    }
  }
  return order;
}
