import { actionsFor, type Card, type Reply } from './reply.ts';
import { formatSalary } from './salary.ts';
import type { MatchDetails } from './types.ts';

/** How a card names its board, and the credit the board asks for. */
export type DescribeSource = (sourceId: string) => {
  name: string;
  attribution: { text: string; url: string } | null;
};

export function buildCard(match: MatchDetails, describe: DescribeSource): Card {
  const source = describe(match.sourceId);
  return {
    matchId: match.id,
    title: match.title,
    url: match.url,
    company: match.company,
    location: match.location,
    remote: match.remote,
    salary: match.salary ? formatSalary(match.salary) : null,
    score: match.score,
    reasons: match.reasons,
    source: source.name,
    attribution: source.attribution,
    postedAt: match.postedAt,
    status: match.status,
    actions: actionsFor(match.status),
  };
}

/** The direct message of one new match. */
export function alertReply(match: MatchDetails, describe: DescribeSource): Reply {
  return {
    text: `New match (${match.score}): ${match.title} at ${match.company}`,
    cards: [buildCard(match, describe)],
  };
}

export const REMOTE_LABELS: Readonly<Record<Card['remote'], string>> = {
  remote: 'Remote',
  hybrid: 'Hybrid',
  onsite: 'On-site',
  unknown: '',
};

/** "Remote · Berlin, Germany", without saying "Remote" twice when the location already does. */
export function describePlace(card: Pick<Card, 'remote' | 'location'>, labels = REMOTE_LABELS): string {
  const label = labels[card.remote];
  const location = card.location?.trim() ?? '';
  if (!location) return label;
  if (label && location.toLowerCase().includes(card.remote === 'onsite' ? 'on-site' : card.remote))
    return location;
  return [label, location].filter(Boolean).join(' · ');
}
