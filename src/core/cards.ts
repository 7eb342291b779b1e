import { digestPageActionId, reasonActionId } from './actions.ts';
import { actionsFor, type Card, DISMISS_REASON_LABELS, type Reply, type ReplyButton } from './reply.ts';
import { formatSalary } from './salary.ts';
import { DISMISS_REASONS, type JobChange, type MatchDetails } from './types.ts';

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

/** Asked after Dismiss, with the reason buttons below. */
export const DISMISS_QUESTION = 'Why? (optional: it tunes your future scores)';

/** Buttons offered after Dismiss: why, so future scores can learn from it (optional). */
export function dismissReasonButtons(matchId: number): ReplyButton[] {
  return DISMISS_REASONS.map((reason) => ({
    label: DISMISS_REASON_LABELS[reason],
    action: reasonActionId(reason, matchId),
  }));
}

/** One short message about a job the user saved or applied to. */
export function changeReply(match: MatchDetails, change: JobChange, describe: DescribeSource): Reply {
  const job = `${match.title} at ${match.company}`;
  const text =
    change.kind === 'salary'
      ? `Salary changed: ${job} now says ${change.to ?? 'no salary'} (was ${change.from ?? 'not stated'}).`
      : change.kind === 'closed'
        ? `Closed: ${job} is no longer listed on ${describe(match.sourceId).name}.`
        : `Reposted: ${job} was posted again on ${describe(change.sourceId).name}: ${change.url}`;
  return { text, cards: [buildCard(match, describe)], compact: true };
}

export interface DigestPage {
  digestId: number;
  /** Matches on this page, best first. */
  items: MatchDetails[];
  /** Matches in the whole digest. */
  total: number;
  index: number;
  pageSize: number;
  /** The local date it is for, "2025-06-02". */
  date: string;
}

/** A page of a digest: compact cards, and Previous / More buttons that page through the same digest. */
export function digestReply(page: DigestPage, describe: DescribeSource): Reply {
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  const buttons: ReplyButton[] = [];
  if (page.index > 1)
    buttons.push({ label: '◀ Previous', action: digestPageActionId(page.digestId, page.index - 1) });
  if (page.index < pages)
    buttons.push({ label: 'More ▶', action: digestPageActionId(page.digestId, page.index + 1) });
  const count = `${page.total} new match${page.total === 1 ? '' : 'es'}`;
  return {
    text: `Your digest for ${page.date}: ${count}${pages > 1 ? ` (page ${page.index} of ${pages})` : ''}`,
    cards: page.items.map((m) => buildCard(m, describe)),
    buttons,
    page: { index: page.index, total: pages, redraw: digestPageActionId(page.digestId, page.index) },
    compact: true,
  };
}
