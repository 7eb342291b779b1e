import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiCall } from '../fakes/slack.ts';
import { buttonLabels, cardsIn, expectWithinBlockKitLimits, type LooseBlock } from '../helpers/block-kit.ts';
import { prefsState, type SlackHarness, type SlackUser, startSlackHarness } from '../helpers/slack.ts';

/**
 * App Home: opening the tab shows the user's preferences (with Edit, which opens the modal) and
 * their saved jobs with working buttons; Slack's retried events draw it once.
 */

let h: SlackHarness;
let alice: SlackUser;
let bob: SlackUser;

type HomeView = { type: string; private_metadata: string; blocks: LooseBlock[] };
const publishedTo = (user: SlackUser) =>
  h.fake.callsOf('views.publish').filter((c) => c.args.user_id === user.id);
const viewOf = (call: ApiCall) => call.args.view as HomeView;
const textOf = (view: HomeView) => JSON.stringify(view.blocks);

async function nextHome(user: SlackUser): Promise<HomeView> {
  const seen = publishedTo(user).length;
  const call = await h.fake.waitForCall(
    'views.publish',
    (c) => c.args.user_id === user.id && publishedTo(user).indexOf(c) >= seen,
  );
  return viewOf(call);
}

beforeAll(async () => {
  h = await startSlackHarness();
  alice = h.user('UALICE', 'alice');
  bob = h.user('UBOB', 'bob');
  const prefs = await alice.command('/prefs', 'set keywords=typescript,node remote=yes');
  await h.fake.waitForResponse(prefs.responseId);
  const fetch = await alice.command('/jobs', 'fetch');
  await h.fake.waitForResponse(fetch.responseId, (r) => cardsIn(r.body.blocks).length > 0, 30_000);
});
afterAll(async () => {
  await h?.stop();
});

describe('App Home', () => {
  it('opening the tab publishes preferences with an Edit button, and remembers the DM channel', async () => {
    const next = nextHome(alice);
    const res = await alice.openHome('Ev01');
    expect(res.status).toBe(200);
    const view = await next;
    expect(view.type).toBe('home');
    expectWithinBlockKitLimits({ text: 'home', blocks: view.blocks }, 100);
    const prefs = view.blocks.find((b) => b.block_id === 'home:prefs')!;
    expect(prefs.text.text).toContain('• keywords: typescript, node');
    expect(prefs.text.text).toContain('• remote: remote only');
    expect(prefs.accessory).toMatchObject({
      type: 'button',
      action_id: 'prefs:edit',
      text: { text: 'Edit' },
    });
    expect(textOf(view)).toContain('Nothing saved yet');
    const { rows } = await h.t.db.pool.query('select dm_channel from identities where external_id = $1', [
      alice.externalId,
    ]);
    expect(rows[0].dm_channel).toBe('DALICE');
  });

  it('a retried event (X-Slack-Retry-Num) is drawn once', async () => {
    const before = publishedTo(alice).length;
    const retry = await alice.openHome('Ev01', { retryNum: 1 });
    expect(retry.status).toBe(200);
    // Bob's later event is handled after the retry was seen.
    const bobs = nextHome(bob);
    await bob.openHome('Ev02');
    await bobs;
    expect(publishedTo(alice).length).toBe(before);
  });

  it('Edit opens the modal; saving from it redraws Home with the new preferences', async () => {
    const click = await alice.click('prefs:edit', { home: {} });
    expect(click.res.status).toBe(200);
    const open = await h.fake.waitForCall(
      'views.open',
      (c) => JSON.parse((c.args.view as HomeView).private_metadata).home,
    );
    expect((open.args.view as { callback_id: string }).callback_id).toBe('prefs');

    const next = nextHome(alice);
    const res = await alice.submitPrefs(
      prefsState({ keywords: 'typescript, node', remote: 'remote', locations: 'berlin' }),
      (open.args.view as HomeView).private_metadata,
    );
    expect(res.status).toBe(200);
    const view = await next;
    expect(textOf(view)).toContain('Preferences saved.');
    expect(view.blocks.find((b) => b.block_id === 'home:prefs')!.text.text).toContain('• locations: berlin');
  });

  it('saved jobs are listed with their buttons, paged; a click there redraws Home with a note', async () => {
    await h.t.db.pool.query(
      `update matches set status = 'saved', previous_status = 'new' where id in (
         select m.id from matches m join identities i on i.user_id = m.user_id
         where i.external_id = $1 order by m.score desc, m.id limit 6)`,
      [alice.externalId],
    );
    const next = nextHome(alice);
    await alice.openHome('Ev03');
    const page1 = await next;
    expect(textOf(page1)).toContain('Saved and applied: 6 in all (page 1 of 2)');
    const cards = cardsIn(page1.blocks);
    expect(cards).toHaveLength(5);
    expect(buttonLabels(cards[0]!)).toEqual(['Applied', 'Dismiss', 'Undo', 'Open']);

    const more = nextHome(alice);
    await alice.click('p:saved:2', { home: { privateMetadata: page1.private_metadata } });
    const page2 = await more;
    expect(cardsIn(page2.blocks)).toHaveLength(1);
    expect(JSON.parse(page2.private_metadata)).toEqual({ page: 2 });

    const undo = cardsIn(page2.blocks)[0]!.buttons.find((b) => b.text.text === 'Undo')!;
    const redrawn = nextHome(alice);
    await alice.click(undo.action_id, {
      value: undo.value!,
      home: { privateMetadata: page2.private_metadata },
    });
    const after = await redrawn;
    expect(textOf(after)).toMatch(/✅ Undone, back to New: /);
    expect(textOf(after)).toContain('Saved and applied: 5 in all');
  });

  it('Dismiss on Home asks why in its note, with buttons; the answer is recorded', async () => {
    const next = nextHome(alice);
    await alice.openHome('Ev04');
    const home = await next;
    const card = cardsIn(home.blocks)[0]!;
    const dismiss = card.buttons.find((b) => b.text.text === 'Dismiss')!;
    const asked = nextHome(alice);
    await alice.click(dismiss.action_id, {
      value: dismiss.value!,
      home: { privateMetadata: home.private_metadata },
    });
    const question = await asked;
    expect(textOf(question)).toMatch(/✅ Dismissed: .+Why\? \(optional/);
    const answers = question.blocks.find((b) => b.block_id === 'home:notice:answers') as unknown as {
      elements: { action_id: string; text: { text: string }; value: string }[];
    };
    expect(answers.elements.map((e) => e.text.text)).toEqual([
      'Not relevant',
      'Too junior',
      'Too senior',
      'Location',
      'Salary',
      'Company',
    ]);

    const company = answers.elements.find((e) => e.text.text === 'Company')!;
    const noted = nextHome(alice);
    await alice.click(company.action_id, {
      value: company.value,
      home: { privateMetadata: question.private_metadata },
    });
    const after = await noted;
    expect(textOf(after)).toMatch(/✅ Noted: company \(/);
    expect(after.blocks.some((b) => b.block_id === 'home:notice:answers')).toBe(false);
    const { rows } = await h.t.db.pool.query('select dismiss_reason from matches where id = $1', [
      card.matchId,
    ]);
    expect(rows[0].dismiss_reason).toBe('company');
  });
});
