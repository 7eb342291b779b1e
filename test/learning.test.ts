import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand, handleSafely } from '../src/bots/handlers.ts';
import { decodeAction } from '../src/core/actions.ts';
import type { RawPosting } from '../src/core/types.ts';
import { memoryBoards, rawPosting } from './fakes/memory-source.ts';
import { fetchAll, watchMessages } from './helpers/alerts.ts';
import { consoleActor, startTestApp, type TestApp } from './helpers/app.ts';
import { manualClock } from './helpers/clock.ts';

/**
 * Learning from clicks, end to end: Dismiss offers reasons; the history moves the scores of the
 * next matches in the expected direction, each card says why, `/prefs` shows what was learned,
 * and `/prefs reset learned` forgets it.
 */

let t: TestApp;
const clock = manualClock('2025-06-02T12:00:00Z');
const { boards, kind } = memoryBoards();
const kim = consoleActor('kim');

function job(id: string, title: string, company: string): RawPosting {
  return rawPosting({
    externalId: id,
    title,
    company,
    tags: [],
    description: `<p>${title}. Java services.</p>`,
    salary: null,
    postedAt: '2025-06-01T12:00:00Z',
  });
}

function add(...jobs: RawPosting[]) {
  boards.set('memory:a', [...((boards.get('memory:a') as RawPosting[]) ?? []), ...jobs]);
}

async function match(title: string, company: string) {
  const { rows } = await t.db.pool.query<{ id: number; score: number; reasons: string[] }>(
    `select m.id, m.score, m.reasons from matches m join postings p on p.id = m.posting_id
     where p.title = $1 and p.company = $2`,
    [title, company],
  );
  return rows[0]!;
}

beforeAll(async () => {
  t = await startTestApp({ clock, sourceKinds: [kind] });
  watchMessages(t);
  await t.db.pool.query(`update sources set enabled = false`);
  await t.db.pool.query(`insert into sources (id, kind) values ('memory:a', 'memory')`);
  await t.say(kim, '/prefs set keywords=java alerts=digest');
  add(
    job('a1', 'Java Engineer', 'Initech'),
    job('a2', 'Java Developer', 'Initech'),
    job('a3', 'Java Engineer', 'Hooli'),
    job('j1', 'Junior Java Developer', 'Acme'),
    job('j2', 'Junior Java Developer', 'Beta'),
  );
  await fetchAll(t);
});
afterAll(async () => {
  await t?.stop();
});

describe('learning from Save and Dismiss', () => {
  it('a company dismissed twice scores 15 lower next time, and the card says why', async () => {
    for (const title of ['Java Engineer', 'Java Developer']) {
      const { id } = await match(title, 'Initech');
      const reply = await handleCommand(t.app.bot, kim, {
        name: 'match.action',
        action: 'dismiss',
        matchId: id,
      });
      expect(reply.buttons?.map((b) => b.label)).toEqual([
        'Not relevant',
        'Too junior',
        'Too senior',
        'Location',
        'Salary',
        'Company',
      ]);
    }
    add(job('a4', 'Senior Java Engineer', 'Initech'), job('a5', 'Senior Java Engineer', 'Globex'));
    await fetchAll(t);
    const initech = await match('Senior Java Engineer', 'Initech');
    const globex = await match('Senior Java Engineer', 'Globex');
    expect(initech.score).toBe(globex.score - 15);
    expect(initech.reasons).toContain('−15: you dismissed 2 jobs at Initech');
    expect(globex.reasons.join(' ')).not.toMatch(/dismissed/);
  });

  it('"too junior" lowers the next junior job by 10', async () => {
    const before = await match('Junior Java Developer', 'Beta');
    const { id } = await match('Junior Java Developer', 'Acme');
    const dismissed = await handleCommand(t.app.bot, kim, {
      name: 'match.action',
      action: 'dismiss',
      matchId: id,
    });
    const tooJunior = dismissed.buttons!.find((b) => b.label === 'Too junior')!;
    const noted = await handleSafely(t.app.bot, kim, decodeAction(tooJunior.action)!);
    expect(noted.text).toMatch(/^Noted: too junior/);
    add(job('j3', 'Junior Java Developer', 'Gamma'));
    await fetchAll(t);
    const after = await match('Junior Java Developer', 'Gamma');
    expect(after.score).toBe(before.score - 10);
    expect(after.reasons).toContain('−10: you found junior jobs too junior');
  });

  it('a reason only applies to a dismissed job', async () => {
    const { id } = await match('Java Engineer', 'Hooli');
    const reply = await handleSafely(t.app.bot, kim, { name: 'match.reason', reason: 'salary', matchId: id });
    expect(reply.tone).toBe('error');
    expect(reply.text).toBe('That job is not dismissed any more.');
  });

  it('/prefs shows what was learned; /prefs reset learned forgets it', async () => {
    const prefs = (await t.say(kim, '/prefs')).reply.text;
    expect(prefs).toContain('Learned from your Save and Dismiss clicks:');
    expect(prefs).toContain('• −15 for Initech (you dismissed 2 of its jobs)');
    expect(prefs).toContain('• −10 for junior level and below (too junior)');
    const reset = await t.say(kim, '/prefs reset learned');
    expect(reset.reply.text).toMatch(/^Done: your earlier Save and Dismiss clicks no longer change scores/);
    expect((await t.say(kim, '/prefs')).reply.text).not.toContain('Learned from');
    clock.set('2025-06-02T13:00:00Z');
    add(job('a6', 'Lead Java Engineer', 'Initech'), job('a7', 'Lead Java Engineer', 'Globex'));
    await fetchAll(t);
    expect((await match('Lead Java Engineer', 'Initech')).score).toBe(
      (await match('Lead Java Engineer', 'Globex')).score,
    );
  });
});
