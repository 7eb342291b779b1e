import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeDiscord, rateLimited, type SentInteraction, startFakeDiscord } from './fakes/discord.ts';
import { APPLICATION_ID, type Json } from './fakes/discord-payloads.ts';
import { consoleActor, startTestApp, type TestApp } from './helpers/app.ts';

/**
 * The Discord bot end to end: the real discord.js Client on the gateway and REST of a local fake
 * Discord, a whole JobPing behind it (real PostgreSQL, pg-boss, the sample board). The tests run
 * in order and build on each other: preferences first, then a fetch, then the cards it produced.
 */

const TOKEN = 'MTI2MjMzNjAzNjI5ODU1NTM5Mg.GhT4aQ.fake-token-for-local-tests-only-0000000000';
const EPHEMERAL = 64;

let fake: FakeDiscord;
let t: TestApp;
const figures: Record<string, number> = {};

beforeAll(async () => {
  fake = await startFakeDiscord({ token: TOKEN, heartbeatIntervalMs: 1000 });
  t = await startTestApp({
    env: { DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APPLICATION_ID, DISCORD_API_URL: fake.apiUrl },
  });
});
afterAll(async () => {
  if (Object.keys(figures).length) console.info(`discord figures (ms): ${JSON.stringify(figures)}`);
  await t?.stop();
  await fake?.close();
});

const mira = () => users.mira;
const users: Record<string, Json> = {};
beforeAll(() => {
  for (const name of ['mira', 'ana', 'cai', 'bob', 'dee', 'eve']) users[name] = fake.user(name);
});

const callbackOf = (sent: SentInteraction) =>
  fake.waitFor((r) => r.path === `/interactions/${sent.id}/${sent.token}/callback`);
const followUp = (sent: SentInteraction, n: number) =>
  fake.waitFor(
    (r) =>
      r.method === 'POST' &&
      r.path === `/webhooks/${APPLICATION_ID}/${sent.token}` &&
      sent.followUpIds.indexOf(r.response?.id) === n - 1,
  );
const buttonsOf = (message: Json): Json[] => message.components.flatMap((row: Json) => row.components);
const idsOf = (message: Json): string[] => buttonsOf(message).map((b) => b.custom_id ?? `link:${b.url}`);

async function prefsOf(user: Json) {
  const { rows } = await t.db.pool.query(
    `select p.* from preferences p join identities i on i.user_id = p.user_id
     where i.platform = 'discord' and i.external_id = $1`,
    [user.id],
  );
  return rows[0];
}

/** Opens a preferences form (command or button) and submits it with these values. */
async function submitForm(
  user: Json,
  where: 'guild' | 'dm',
  values: Record<string, string>,
  form = 'search',
) {
  const open =
    form === 'search'
      ? fake.slash(user, where, 'prefs', 'edit')
      : fake.click(user, where, await prefsMessage(user, where), 'prefs:alerts');
  const shown = await callbackOf(open);
  expect(shown.body.type).toBe(9);
  const submit = fake.submitModal(user, where, shown.body.data, values);
  return { modal: shown.body.data, reply: await callbackOf(submit) };
}

async function prefsMessage(user: Json, where: 'guild' | 'dm') {
  const sent = fake.slash(user, where, 'prefs', 'show');
  await callbackOf(sent);
  return sent.originalMessageId!;
}

describe('commands', () => {
  it('/help answers in a server, publicly, naming the Discord commands', async () => {
    const cb = await callbackOf(fake.slash(mira(), 'guild', 'help'));
    expect(cb.status).toBe(204);
    expect(cb.body.type).toBe(4);
    expect(cb.body.data.flags ?? 0).toBe(0);
    const text: string = cb.body.data.content;
    for (const command of ['/jobs list', '/prefs show', '/prefs edit', '/prefs set values:', '/link [code]'])
      expect(text).toContain(command);
    expect(text).toContain('/prefs reset learned');
    expect(text).toMatch(/keys: .*tz, quiet, cap, alerts_on/);
    // Not the bare /jobs and /prefs of the other platforms: Discord cannot run those.
    expect(text).not.toMatch(/^\/(jobs|prefs) —/m);
    expect(cb.body.data.allowed_mentions).toEqual({ parse: [] });
  });

  it('/prefs set changes any preference, delivery times too, with the words of every platform', async () => {
    const values = 'tz=Europe/Berlin digest=07:45 digest_days=weekdays quiet=22:00-07:00 cap=3 alerts=digest';
    const cb = await callbackOf(fake.slash(users.dee, 'guild', 'prefs', 'set', { values }));
    expect(cb.body.type).toBe(4);
    expect(cb.body.data.flags).toBe(EPHEMERAL);
    const text: string = cb.body.data.content;
    expect(text).toMatch(/^Saved\. Your preferences:/);
    expect(text).toContain('• digest: 07:45 on weekdays');
    expect(text).toContain('• quiet hours: 22:00–07:00');
    expect(text).toContain('• time zone: Europe/Berlin');
    expect(text).toContain('Your matches stay as they are');
    expect(idsOf(cb.body.data)).toEqual(['prefs:search', 'prefs:alerts']);
    expect(await prefsOf(users.dee)).toMatchObject({
      digest_time: '07:45:00',
      digest_days: 'weekdays',
      quiet_start: '22:00:00',
      quiet_end: '07:00:00',
      daily_cap: 3,
      alert_mode: 'digest',
    });
  });

  it('/prefs set with bad values names each, with the usage line, and saves nothing', async () => {
    const before = await prefsOf(users.dee);
    const values = 'tz=Mars/Olympus cap=lots digest=07:50';
    const cb = await callbackOf(fake.slash(users.dee, 'guild', 'prefs', 'set', { values }));
    expect(cb.body.data.flags).toBe(EPHEMERAL);
    const text: string = cb.body.data.content;
    expect(text).toMatch(/^⚠️ Nothing was saved\. tz: unknown time zone/);
    expect(text).toContain('cap: expected a whole number from 1 to 100, or none');
    expect(text).toMatch(/\nUsage: \/prefs set key=value … \(keys: .*\); \/prefs reset learned$/);
    expect(await prefsOf(users.dee)).toEqual(before);
  });

  it('/prefs edit opens a filled-in form; a valid one saves and answers only to the user', async () => {
    const { modal, reply } = await submitForm(mira(), 'guild', {
      keywords: 'typescript, node',
      remote: 'yes',
      salary: '120k USD',
    });
    expect(modal.components.map((c: Json) => c.component.custom_id)).toEqual([
      'keywords',
      'exclude',
      'locations',
      'remote',
      'salary',
    ]);
    expect(modal.components.find((c: Json) => c.component.custom_id === 'remote').component.value).toBe(
      'any',
    );
    expect(reply.body.type).toBe(4);
    expect(reply.body.data.flags).toBe(EPHEMERAL);
    expect(reply.body.data.content).toContain('keywords: typescript, node');
    expect(reply.body.data.content).toContain('remote: remote only');
    expect(idsOf(reply.body.data)).toEqual(['prefs:search', 'prefs:alerts']);
    expect(await prefsOf(mira())).toMatchObject({
      keywords: ['typescript', 'node'],
      remote: 'remote',
      salary_min: 120000,
      salary_currency: 'USD',
    });
  });

  it('an invalid form names every bad field and saves nothing', async () => {
    const before = await prefsOf(mira());
    const { reply } = await submitForm(mira(), 'guild', {
      keywords: 'go',
      remote: 'sometimes',
      salary: 'lots',
    });
    expect(reply.body.type).toBe(4);
    expect(reply.body.data.flags).toBe(EPHEMERAL);
    const text: string = reply.body.data.content;
    expect(text).toMatch(/Nothing was saved/);
    expect(text).toMatch(/remote: expected yes, hybrid, onsite, flexible or any/);
    expect(text).toMatch(/salary_min: expected a yearly amount/);
    expect(text).not.toContain('/prefs set');
    expect(await prefsOf(mira())).toEqual(before);
  });

  it('the alerts form opens from the button under /prefs show, in a DM too', async () => {
    for (const name of ['ana', 'cai']) {
      const where = name === 'ana' ? 'dm' : 'guild';
      await submitForm(users[name], where, { keywords: 'rust' });
      const { modal, reply } = await submitForm(users[name], where, { threshold: '60' }, 'alerts');
      expect(modal.components.map((c: Json) => c.component.custom_id)).toEqual([
        'alerts',
        'threshold',
        'seniority',
        'blocked',
      ]);
      expect(reply.body.data.content).toContain('alerts: instant, score ≥ 60');
      // In the bot's DM nobody else can see the answer: no ephemeral flag needed.
      expect(reply.body.data.flags ?? 0).toBe(where === 'dm' ? 0 : EPHEMERAL);
    }
    expect(await prefsOf(users.ana)).toMatchObject({ keywords: ['rust'], alert_threshold: 60 });
  });
});

/** Waits until every notify job for the deliveries made so far has run. */
async function waitForAlerts() {
  const { rows } = await t.db.pool.query<{ id: number }>('select id from deliveries order by id');
  const spy = t.app.queues.boss.getSpy<{ deliveryId: number }>('notify');
  await Promise.all(rows.map((r) => spy.waitForJob((d) => d.deliveryId === r.id, 'completed')));
  return rows.length;
}

let fetchResult: SentInteraction;

describe('/jobs fetch', () => {
  it('defers within 3 s, edits its reply with progress, then shows the matches as cards', async () => {
    t.app.queues.boss.getSpy('notify');
    // Ana's alerts: the first DM is rate limited once (discord.js waits and sends it again).
    const anaDm = fake.dmChannelOf(users.ana);
    fake.failNext((r) => r.method === 'POST' && r.path === `/channels/${anaDm}/messages`, rateLimited(1));
    fake.closedDms.add(users.cai.id);

    const sent = fake.slash(mira(), 'guild', 'jobs', 'fetch');
    fetchResult = sent;
    const defer = await callbackOf(sent);
    expect(defer.body).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    figures.deferMs = Math.round(defer.at - sent.at);
    expect(figures.deferMs).toBeLessThan(3000);

    const more = await followUp(sent, 1);
    const edits = fake.callsOf(sent).filter((r) => r.method === 'PATCH' && r.path.endsWith('/@original'));
    const final = edits.at(-1)!;
    figures.fetchToFinalEditMs = Math.round(final.at - sent.at);
    expect(edits[0]!.body.content).toBe('⏳ Fetching 1 source…');
    expect(edits.some((e) => /⏳ .*64 postings, \d+ new → analysing/.test(e.body.content))).toBe(true);
    expect(final.body.content).toMatch(/11 new matches\nShowing the best 10; \/jobs list lists them all\.$/);

    // Ten cards: five on the reply, five on an ephemeral follow-up (five action rows per message).
    expect(more.body.flags).toBe(EPHEMERAL);
    const cards = [...final.body.embeds, ...more.body.embeds];
    expect(final.body.embeds).toHaveLength(5);
    expect(final.body.components).toHaveLength(5);
    expect(cards).toHaveLength(10);
    for (const [i, embed] of cards.entries()) {
      const row = [...final.body.components, ...more.body.components][i];
      expect(embed.title).toBeTruthy();
      expect(embed.url).toMatch(/^https:\/\/.*\.example\//);
      expect(embed.fields.map((f: Json) => f.name)).toEqual([
        'Company',
        'Location',
        'Salary',
        'Score',
        'Why',
        'Source',
      ]);
      expect(embed.fields[1].value).toMatch(/^Remote/);
      expect(embed.fields[3].value).toMatch(/^\d+\/100$/);
      const matchId = /^m:save:(\d+)$/.exec(row.components[0].custom_id)![1];
      expect(row.components.map((b: Json) => b.custom_id ?? b.style)).toEqual([
        `m:save:${matchId}`,
        `m:dismiss:${matchId}`,
        `m:applied:${matchId}`,
        5,
      ]);
      expect(row.components[3]).toMatchObject({ label: 'Open', url: embed.url });
    }
    expect(fake.callsOf(sent).every((r) => r.status < 300)).toBe(true);
  });

  it('sends instant alerts as DMs; a 429 is waited out; closed DMs mark the account undeliverable', async () => {
    await waitForAlerts();
    const anaDm = fake.dmChannelOf(users.ana);
    const posts = fake.requests.filter(
      (r) => r.method === 'POST' && r.path === `/channels/${anaDm}/messages`,
    );
    const limited = posts.findIndex((r) => r.status === 429);
    expect(limited).toBeGreaterThanOrEqual(0);
    const same = JSON.stringify(posts[limited]!.body);
    const retried = posts.slice(limited + 1).find((r) => JSON.stringify(r.body) === same)!;
    expect(retried.status).toBe(200);
    figures.rateLimitWaitMs = Math.round(retried.at - posts[limited]!.at);
    expect(figures.rateLimitWaitMs).toBeGreaterThanOrEqual(1000);
    const delivered = posts.filter((r) => r.status === 200);
    expect(delivered).toHaveLength(4);
    for (const dm of delivered) {
      expect(dm.body.content).toMatch(/^New match \(\d+\): .* at /);
      expect(dm.body.embeds).toHaveLength(1);
      expect(`${dm.body.embeds[0].title} ${dm.body.embeds[0].fields[4].value}`.toLowerCase()).toContain(
        'rust',
      );
      expect(dm.body.allowed_mentions).toEqual({ parse: [] });
    }
    // Ana's DM channel was known from her DM with the bot; Cai's was opened (once per alert sent
    // before the first refusal was recorded), and refused.
    const opened = fake.requests
      .filter((r) => r.path === '/users/@me/channels')
      .map((r) => r.body.recipient_id);
    expect(new Set(opened)).toEqual(new Set([users.cai.id]));
    const { rows } = await t.db.pool.query(
      `select i.deliverable, array_agg(distinct d.status) as statuses from identities i
       join deliveries d on d.identity_id = i.id where i.external_id = $1 group by i.deliverable`,
      [users.cai.id],
    );
    expect(rows).toEqual([{ deliverable: false, statuses: ['undeliverable'] }]);
  });
});

async function statusOf(matchId: string | number) {
  const { rows } = await t.db.pool.query('select status from matches where id = $1', [matchId]);
  return rows[0]?.status;
}
const matchIdAt = (message: Json, i: number) =>
  /^m:\w+:(\d+)$/.exec(message.components[i].components[0].custom_id)![1]!;

describe('card buttons', () => {
  it('Save, Undo, Dismiss and Applied update the card in place and show its new state', async () => {
    const messageId = fetchResult.originalMessageId!;
    const before = fake.messages.get(messageId);
    const matchId = matchIdAt(before, 1);
    const steps = [
      { action: 'save', status: 'saved', shown: 'Saved', next: ['applied', 'dismiss', 'undo'] },
      { action: 'undo', status: 'new', shown: null, next: ['save', 'dismiss', 'applied'] },
      { action: 'dismiss', status: 'dismissed', shown: 'Dismissed', next: ['undo'] },
      { action: 'undo', status: 'new', shown: null, next: ['save', 'dismiss', 'applied'] },
      { action: 'applied', status: 'applied', shown: 'Applied', next: ['undo'] },
    ];
    for (const step of steps) {
      const cb = await callbackOf(fake.click(mira(), 'guild', messageId, `m:${step.action}:${matchId}`));
      expect(cb.body.type).toBe(7);
      const { embeds, components, content } = cb.body.data;
      expect(content).toBe(before.content);
      const status = embeds[1].fields.find((f: Json) => f.name === 'Status');
      expect(status?.value ?? null).toBe(step.shown);
      expect(components[1].components.map((b: Json) => b.custom_id ?? 'open')).toEqual([
        ...step.next.map((a) => `m:${a}:${matchId}`),
        'open',
      ]);
      // The other cards on the message are left as they were.
      expect(embeds[0]).toMatchObject({ title: before.embeds[0].title, fields: before.embeds[0].fields });
      expect(components[0].components.map((b: Json) => b.custom_id)).toEqual(
        before.components[0].components.map((b: Json) => b.custom_id),
      );
      expect(await statusOf(matchId)).toBe(step.status);
    }
  });

  it('an alert in a DM is updated in place too', async () => {
    const anaDm = fake.dmChannelOf(users.ana);
    const alert = [...fake.messages.values()].find((m) => m.channel_id === anaDm && m.embeds.length === 1);
    const matchId = matchIdAt(alert, 0);
    const cb = await callbackOf(fake.click(users.ana, 'dm', alert.id, `m:save:${matchId}`));
    expect(cb.body.type).toBe(7);
    expect(cb.body.data.embeds[0].fields.find((f: Json) => f.name === 'Status')?.value).toBe('Saved');
    expect(await statusOf(matchId)).toBe('saved');
  });

  it("a click on a job in a list updates that job's earlier alert DM too", async () => {
    const anaDm = fake.dmChannelOf(users.ana);
    const { rows } = await t.db.pool.query<{ matchId: number; messageId: string }>(
      `select d.match_id as "matchId", d.message_ref->>'messageId' as "messageId"
       from deliveries d join matches m on m.id = d.match_id
       where d.kind = 'alert' and d.status = 'sent' and m.status = 'new' and d.message_ref->>'channelId' = $1`,
      [anaDm],
    );
    const alerts = new Map(rows.map((r) => [String(r.matchId), r.messageId]));
    const list = fake.slash(users.ana, 'guild', 'jobs', 'list');
    await callbackOf(list);
    const listed = fake.messages.get(list.originalMessageId!);
    const index = listed.components.findIndex((_: Json, i: number) => alerts.has(matchIdAt(listed, i)));
    expect(index).toBeGreaterThanOrEqual(0);
    const matchId = matchIdAt(listed, index);
    const alertId = alerts.get(matchId)!;
    const before = structuredClone(fake.messages.get(alertId));

    const click = await callbackOf(fake.click(users.ana, 'guild', listed.id, `m:save:${matchId}`));
    expect(click.body.type).toBe(7);
    const edit = await fake.waitFor(
      (r) => r.method === 'PATCH' && r.path === `/channels/${anaDm}/messages/${alertId}`,
    );
    expect(edit.status).toBe(200);
    const alert = fake.messages.get(alertId);
    expect(alert.content).toBe(before.content);
    expect(alert.embeds[0].fields.find((f: Json) => f.name === 'Status')?.value).toBe('Saved');
    expect(idsOf(alert)).toEqual([
      `m:applied:${matchId}`,
      `m:dismiss:${matchId}`,
      `m:undo:${matchId}`,
      `link:${before.embeds[0].url}`,
    ]);
  });

  it("a click on someone else's card is refused, only to them, and changes nothing", async () => {
    const messageId = fetchResult.originalMessageId!;
    const before = structuredClone(fake.messages.get(messageId));
    const matchId = matchIdAt(before, 2);
    const cb = await callbackOf(fake.click(users.bob, 'guild', messageId, `m:dismiss:${matchId}`));
    expect(cb.body).toMatchObject({
      type: 4,
      data: { content: '⚠️ That card belongs to someone else.', flags: EPHEMERAL },
    });
    expect(await statusOf(matchId)).toBe('new');
    expect(fake.messages.get(messageId)).toEqual(before);
  });

  it('a card that is gone, or a button JobPing never made, is answered "no longer available"', async () => {
    const messageId = fetchResult.originalMessageId!;
    const gone = await callbackOf(fake.click(mira(), 'guild', messageId, 'm:save:999999'));
    expect(gone.body).toMatchObject({
      type: 4,
      data: { content: '⚠️ That job is no longer available.', flags: EPHEMERAL },
    });
    const foreign = await callbackOf(fake.click(mira(), 'guild', messageId, 'job:save:8f3a21'));
    expect(foreign.body.data).toMatchObject({
      content: '⚠️ That button is no longer available.',
      flags: EPHEMERAL,
    });
  });

  it('the same interaction delivered twice has one effect', async () => {
    const messageId = fetchResult.originalMessageId!;
    const matchId = matchIdAt(fake.messages.get(messageId), 3);
    const sent = fake.click(mira(), 'guild', messageId, `m:save:${matchId}`);
    fake.redeliver(sent);
    expect((await callbackOf(sent)).body.type).toBe(7);
    // A later interaction has been answered: the duplicate, dispatched before it, is long done.
    await callbackOf(fake.slash(mira(), 'guild', 'help'));
    expect(fake.callsOf(sent)).toHaveLength(1);
    expect(await statusOf(matchId)).toBe('saved');
    const { rows } = await t.db.pool.query(
      'select count(*)::int as n from processed_events where event_id = $1',
      [sent.id],
    );
    expect(rows[0].n).toBe(1);
  });
  it('Dismiss asks why, privately; a reason is recorded and the question makes way for the answer', async () => {
    const messageId = fetchResult.originalMessageId!;
    const matchId = matchIdAt(fake.messages.get(messageId), 4);
    const dismiss = fake.click(mira(), 'guild', messageId, `m:dismiss:${matchId}`);
    expect((await callbackOf(dismiss)).body.type).toBe(7);
    const question = await followUp(dismiss, 1);
    expect(question.body.flags).toBe(EPHEMERAL);
    expect(question.body.content).toMatch(
      /^Dismissed: .+ at .+\nWhy\? \(optional: it tunes your future scores\)$/,
    );
    expect(question.body.components).toHaveLength(2); // six reasons, five buttons to a row
    expect(buttonsOf(question.body).map((b) => b.label)).toEqual([
      'Not relevant',
      'Too junior',
      'Too senior',
      'Location',
      'Salary',
      'Company',
    ]);
    expect(idsOf(question.body)).toContain(`r:too_senior:${matchId}`);

    const answer = await callbackOf(
      fake.click(mira(), 'guild', question.response.id, `r:too_senior:${matchId}`),
    );
    expect(answer.body.type).toBe(7);
    expect(answer.body.data.content).toMatch(
      /^Noted: too senior \(.+ at .+\)\. Future scores take it into account; \/prefs show shows what I learned\.$/,
    );
    expect(answer.body.data.components).toEqual([]);
    const { rows } = await t.db.pool.query('select status, dismiss_reason from matches where id = $1', [
      matchId,
    ]);
    expect(rows[0]).toEqual({ status: 'dismissed', dismiss_reason: 'too_senior' });
  });
});

describe('lists', () => {
  it('/jobs list pages by five: four cards, then one with the paging buttons; More ▶ posts the next page', async () => {
    const { rows } = await t.db.pool.query(
      `select count(*)::int as n from matches m join identities i on i.user_id = m.user_id
       where i.external_id = $1 and m.status = 'new'`,
      [mira().id],
    );
    const total: number = rows[0].n;
    expect(total).toBeGreaterThan(5);
    const sent = fake.slash(mira(), 'dm', 'jobs', 'list');
    const cb = await callbackOf(sent);
    expect(cb.body.type).toBe(4);
    expect(cb.body.data.flags ?? 0).toBe(0); // a DM with the bot is private already
    expect(cb.body.data.content).toBe(`Your matches: ${total} in all (page 1 of ${Math.ceil(total / 5)})`);
    expect(cb.body.data.embeds).toHaveLength(4);
    const rest = await followUp(sent, 1);
    expect(rest.body.embeds).toHaveLength(1);
    expect(idsOf(rest.body).slice(-1)).toEqual(['p:jobs:2']);

    const more = fake.click(mira(), 'dm', rest.response.id, 'p:jobs:2');
    const update = await callbackOf(more);
    expect(update.body.type).toBe(7);
    expect(update.body.data.components).toHaveLength(1); // the card stays, the used paging row goes
    const page2 = await followUp(more, 1);
    expect(page2.body.content).toMatch(/^Your matches: \d+ in all \(page 2 of \d+\)$/);
    const shown = [...cb.body.data.embeds, ...rest.body.embeds].map((e: Json) => e.title);
    expect(page2.body.embeds.map((e: Json) => e.title)).not.toContain(shown[0]);
  });

  it('/jobs saved shows saved and applied jobs, only to the user in a server', async () => {
    const cb = await callbackOf(fake.slash(mira(), 'guild', 'jobs', 'saved'));
    expect(cb.body.data.flags).toBe(EPHEMERAL);
    expect(cb.body.data.content).toBe('Saved and applied: 2 in all');
    const statuses = cb.body.data.embeds.map(
      (e: Json) => e.fields.find((f: Json) => f.name === 'Status')?.value,
    );
    expect(statuses.sort()).toEqual(['Applied', 'Saved']);
  });

  it('/prefs show answers only to the user, with buttons to edit', async () => {
    const sent = fake.slash(mira(), 'guild', 'prefs', 'show');
    const cb = await callbackOf(sent);
    expect(cb.body.data.flags).toBe(EPHEMERAL);
    expect(cb.body.data.content).toMatch(/^Your preferences:\n• keywords: typescript, node/);
    expect(cb.body.data.content).toContain(
      'Change them with /prefs set key=value, e.g. /prefs set remote=yes salary_min=120k quiet=22:00-08:00 (or use the form: /prefs edit, or the buttons below)',
    );
    expect(idsOf(cb.body.data)).toEqual(['prefs:search', 'prefs:alerts']);
    const edit = await callbackOf(fake.click(mira(), 'guild', sent.originalMessageId!, 'prefs:search'));
    expect(edit.body.type).toBe(9);
    expect(edit.body.data.components[0].component.value).toBe('typescript, node');
  });
});

describe('/prefs reset learned', () => {
  it('forgets what the clicks taught, and says so only to the user', async () => {
    const show = async () => (await callbackOf(fake.slash(mira(), 'guild', 'prefs', 'show'))).body.data;
    const before = await show();
    expect(before.content).toContain('Learned from your Save and Dismiss clicks:');
    expect(before.content).toContain('Forget it with /prefs reset learned');
    const reset = await callbackOf(fake.slash(mira(), 'guild', 'prefs', 'reset learned'));
    expect(reset.body.data).toMatchObject({
      content:
        'Done: your earlier Save and Dismiss clicks no longer change scores. New clicks teach me again.',
      flags: EPHEMERAL,
    });
    expect((await show()).content).not.toContain('Learned from');
  });
});

describe('/link', () => {
  it('gives a code only to the user in a server; the code joins their account on another platform', async () => {
    const ask = await callbackOf(fake.slash(users.dee, 'guild', 'link'));
    expect(ask.body.data.flags).toBe(EPHEMERAL);
    const code = /^Your link code: ([A-Z0-9]{8})$/m.exec(ask.body.data.content)![1]!;
    expect(ask.body.data.content).toContain(`send /link ${code} within 10 minutes`);
    const there = await t.say(consoleActor('dee'), `/link ${code}`);
    expect(there.reply.text).toMatch(/^Linked: this console account and your discord account/);
  });

  it('takes a code from another platform as its option', async () => {
    const other = await t.say(consoleActor('eve'), '/link');
    const code = /Your link code: (\w+)/.exec(other.reply.text)![1]!;
    const sent = fake.slash(users.eve, 'guild', 'link', undefined, { code: code.toLowerCase() });
    const cb = await callbackOf(sent);
    expect(cb.body.data.flags).toBe(EPHEMERAL);
    expect(cb.body.data.content).toMatch(
      /^Linked: this discord account and your console account are now one JobPing user\./,
    );
    expect(cb.body.data.content).toContain('/prefs set alerts_on=discord');
    const { rows } = await t.db.pool.query(
      `select count(distinct user_id)::int as users from identities
       where (platform, external_id) in (('discord', $1), ('console', 'eve'))`,
      [users.eve.id],
    );
    expect(rows[0].users).toBe(1);
  });

  it('refuses a wrong or used code, only to the user', async () => {
    const wrong = await callbackOf(fake.slash(users.eve, 'guild', 'link', undefined, { code: 'ZZZZ2222' }));
    expect(wrong.body.data).toMatchObject({
      content:
        '⚠️ That link code is not valid. Send /link on your other platform for a new one.\nUsage: /link CODE',
      flags: EPHEMERAL,
    });
    const garbled = await callbackOf(fake.slash(users.eve, 'guild', 'link', undefined, { code: 'no way!' }));
    expect(garbled.body.data.content).toMatch(/^⚠️ "noway!" is not a link code\nUsage: \/link/);
    expect(garbled.body.data.flags).toBe(EPHEMERAL);
  });
});
