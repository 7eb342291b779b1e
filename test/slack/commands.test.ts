import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseUrlPost } from '../fakes/slack.ts';
import { buttonLabels, cardsIn, expectWithinBlockKitLimits, type LooseBlock } from '../helpers/block-kit.ts';
import { prefsState, type SlackHarness, type SlackUser, startSlackHarness } from '../helpers/slack.ts';

/**
 * The slash commands and the /prefs modal, end to end: signed requests into the real Bolt app,
 * the sample board through the real pipeline, answers read back from the fake Slack.
 */

let h: SlackHarness;
let alice: SlackUser;

beforeAll(async () => {
  h = await startSlackHarness();
  alice = h.user('UALICE', 'alice');
});
afterAll(async () => {
  await h?.stop();
});

const hasCards = (r: ResponseUrlPost) => cardsIn(r.body.blocks).length > 0;

async function prefsOf(externalId: string) {
  const { rows } = await h.t.db.pool.query(
    `select p.keywords, p.remote, p.salary_min::int as "salaryMin", p.salary_currency as currency, p.alert_threshold as threshold,
       p.seniority, p.alert_mode as alerts
     from preferences p join identities i on i.user_id = p.user_id where i.external_id = $1`,
    [externalId],
  );
  return rows[0];
}

describe('/prefs set and /jobs fetch', () => {
  it('/prefs set key=value is the text shortcut and answers privately', async () => {
    const { res, responseId } = await alice.command(
      '/prefs',
      'set keywords=typescript,node remote=yes salary_min=120000 currency=USD',
    );
    expect(res.status).toBe(200);
    const answer = await h.fake.waitForResponse(responseId);
    expect(answer.body.response_type).toBe('ephemeral');
    expect(answer.body.text).toContain('Saved. Your preferences:');
    expect(answer.body.text).toContain('keywords: typescript, node');
    expect(await prefsOf(alice.externalId)).toMatchObject({ remote: 'remote', salaryMin: 120000 });
  });

  it('/jobs fetch acks at once, updates ONE message with progress, then fills it with cards', async () => {
    const { res, responseId } = await alice.command('/jobs', 'fetch');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ response_type: 'ephemeral' });
    expect((res.json as { text: string }).text).toMatch(/^Fetching…/);

    const final = await h.fake.waitForResponse(responseId, hasCards, 30_000);
    const posts = h.fake.responsesTo(responseId);
    // Every later post replaces the acknowledged message; Slack allows 5 posts per response_url.
    expect(posts.every((p) => p.body.replace_original === true && p.body.response_type === 'ephemeral')).toBe(
      true,
    );
    expect(posts.length).toBeLessThanOrEqual(5);
    expect(posts[0]!.body.text).toBe('Fetching 1 source…');
    expect(posts.at(-1)).toBe(final);

    expect(final.body.text).toMatch(/64 postings, \d+ new .*11 new matches/s);
    expect(final.body.text).toContain('Showing the best 10');
    expectWithinBlockKitLimits(final.body);
    const cards = cardsIn(final.body.blocks);
    expect(cards).toHaveLength(10);
    for (const card of cards) {
      expect(card.text).toMatch(/^\*<https:\/\/[^|]+\.example\/[^|]*\|[^>]+>\*\n/); // title linked
      // Remote, said once: as the label, or by the location itself ("Remote (US)").
      expect(card.text).toMatch(/🌍 Remote|Remote/);
      expect(card.text).not.toMatch(/Remote\s+·\s+Remote/);
      expect(card.text).toMatch(/\*Score \d+\* — /);
      expect(card.source).toContain('Sample board');
      expect(buttonLabels(card)).toEqual(['Save', 'Dismiss', 'Applied', 'Open']);
      expect(card.buttons.map((b) => b.action_id)).toEqual([
        `m:save:${card.matchId}`,
        `m:dismiss:${card.matchId}`,
        `m:applied:${card.matchId}`,
        `open:${card.matchId}`,
      ]);
      expect(card.buttons[3]!.url).toMatch(/^https:\/\//);
    }
    const { rows } = await h.t.db.pool.query(
      `select m.id from matches m join identities i on i.user_id = m.user_id where i.external_id = $1`,
      [alice.externalId],
    );
    expect(rows).toHaveLength(11);
  });
});

describe('/jobs, /jobs saved and paging', () => {
  it('/jobs lists page 1 with a More button; pressing it turns the same message into page 2', async () => {
    const { responseId } = await alice.command('/jobs');
    const page1 = await h.fake.waitForResponse(responseId);
    expect(page1.body.text).toMatch(/^Your matches: 11 in all \(page 1 of 3\)\n• /);
    expect(page1.body.replace_original).toBeUndefined();
    expect(cardsIn(page1.body.blocks)).toHaveLength(5);
    expectWithinBlockKitLimits(page1.body);
    const nav = (
      page1.body.blocks as { block_id?: string; elements?: { action_id: string; text: { text: string } }[] }[]
    ).find((b) => b.block_id === 'reply:nav')!;
    expect(nav.elements!.map((e) => [e.text.text, e.action_id])).toEqual([['More ▶', 'p:jobs:2']]);

    const click = await alice.click('p:jobs:2', { ephemeral: { channel: 'C061EG9SL' } });
    expect(click.res.status).toBe(200);
    const page2 = await h.fake.waitForResponse(click.responseId);
    expect(page2.body.replace_original).toBe(true);
    expect(page2.body.text).toMatch(/^Your matches: 11 in all \(page 2 of 3\)/);
    const ids1 = cardsIn(page1.body.blocks).map((c) => c.matchId);
    const ids2 = cardsIn(page2.body.blocks).map((c) => c.matchId);
    expect(ids2).toHaveLength(5);
    expect(ids2.some((id) => ids1.includes(id))).toBe(false);
  });

  it('/jobs saved says how to save when nothing is saved', async () => {
    const { responseId } = await alice.command('/jobs', 'saved');
    const answer = await h.fake.waitForResponse(responseId);
    expect(answer.body.text).toBe('Nothing saved yet. Press Save on a job card to keep it here.');
    expect(cardsIn(answer.body.blocks)).toEqual([]);
  });

  it('/jobs 9 (past the last page) and /help have fallback text and stay within limits', async () => {
    for (const [command, text] of [
      ['/jobs', '9'],
      ['/help', ''],
    ] as const) {
      const { responseId } = await alice.command(command, text);
      const answer = await h.fake.waitForResponse(responseId);
      expectWithinBlockKitLimits(answer.body);
    }
  });
});

describe('/prefs modal', () => {
  it('/prefs opens the modal with every preference prefilled', async () => {
    const { res } = await alice.command('/prefs');
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    const open = await h.fake.waitForCall('views.open', (c) => c.args.trigger_id !== undefined);
    const view = open.args.view as {
      callback_id: string;
      blocks: LooseBlock[];
      private_metadata: string;
    };
    expect(view.callback_id).toBe('prefs');
    const block = (id: string) => view.blocks.find((b) => b.block_id === id)!;
    expect(view.blocks.map((b) => b.block_id)).toEqual([
      'keywords',
      'exclude',
      'locations',
      'remote',
      'salary_min',
      'currency',
      'seniority',
      'blocked',
      'alerts',
      'threshold',
      'digest',
      'digest_days',
      'tz',
      'quiet',
      'cap',
      'alerts_on',
    ]);
    expect(block('keywords').element.initial_value).toBe('typescript, node');
    expect(block('remote').element.initial_option.value).toBe('remote');
    expect(block('salary_min').element.initial_value).toBe('120000');
    expect(block('currency').element.initial_option.value).toBe('USD');
    expect(block('alerts').element.initial_option.value).toBe('instant');
    expect(block('threshold').element.initial_value).toBe('70');
    expect(JSON.parse(view.private_metadata).responseUrl).toMatch(/\/response\//);
  });

  it('invalid fields are shown next to each field and nothing is saved', async () => {
    const before = await prefsOf(alice.externalId);
    const res = await alice.submitPrefs(
      prefsState({
        keywords: 'go',
        remote: 'hybrid',
        salary_min: 'lots',
        threshold: '140',
        seniority: ['senior'],
      }),
    );
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      response_action: 'errors',
      errors: {
        salary_min: 'expected a yearly amount like 120000 or 120k',
        threshold: 'expected a whole number from 0 to 100',
      },
    });
    expect(await prefsOf(alice.externalId)).toEqual(before);
  });

  it('alerts to a platform not linked yet keep the modal open with every edit, the reason next to that field', async () => {
    const before = await prefsOf(alice.externalId);
    const responseId = 'prefs-modal-refused';
    const res = await alice.submitPrefs(
      prefsState({ keywords: 'elixir', remote: 'onsite', threshold: '55', alerts_on: 'telegram' }),
      JSON.stringify({ responseUrl: h.fake.responseUrl(responseId) }),
    );
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      response_action: 'errors',
      errors: {
        alerts_on:
          'You have no telegram account linked yet: send /link here, then the code from your telegram account.',
      },
    });
    // Nothing saved, not even the fields that were fine; no "Saved" note follows.
    expect(await prefsOf(alice.externalId)).toEqual(before);
    const barrier = await alice.command('/help');
    await h.fake.waitForResponse(barrier.responseId);
    expect(h.fake.responsesTo(responseId)).toEqual([]);
  });

  it('a valid form closes the modal, saves every field at once and confirms privately', async () => {
    const responseId = 'prefs-modal-confirm';
    const res = await alice.submitPrefs(
      prefsState({
        keywords: 'rust, go',
        remote: 'remote_or_hybrid',
        salary_min: '90k',
        currency: 'EUR',
        seniority: ['senior', 'staff'],
        alerts: 'digest',
        threshold: '80',
      }),
      JSON.stringify({ responseUrl: h.fake.responseUrl(responseId) }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    const confirm = await h.fake.waitForResponse(responseId);
    expect(confirm.body.response_type).toBe('ephemeral');
    expect(confirm.body.text).toContain('Saved. Your preferences:');
    expect(await prefsOf(alice.externalId)).toEqual({
      keywords: ['rust', 'go'],
      remote: 'remote_or_hybrid',
      salaryMin: 90000,
      currency: 'EUR',
      threshold: 80,
      seniority: ['senior', 'staff'],
      alerts: 'digest',
    });
  });
});
