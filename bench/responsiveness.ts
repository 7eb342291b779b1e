import { type FakeSlack, TEAM } from '../test/fakes/slack.ts';

/**
 * Slack slash commands, signed as Slack signs them, sent to a running JobPing: how long the HTTP
 * acknowledgement takes (Slack gives up after 3 s) and how long until the answer reaches the
 * response_url. One request at a time, a pause between them, so the figures are latencies rather
 * than a load of their own.
 */

export interface AckFigures {
  requests: number;
  ackP50: number;
  ackP99: number;
  answerP50: number;
  answerP99: number;
  /** Answers that never came (within a minute). */
  unanswered: number;
}

export const percentile = (xs: number[], p: number) =>
  xs.length ? [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil((p / 100) * xs.length) - 1)]! : Number.NaN;

/** A slash command's form body as Slack sends it; its answer goes to the fake's response_url `id`. */
export function slashCommandBody(
  fake: FakeSlack,
  c: { id: string; user: string; command: string; text: string },
): string {
  return new URLSearchParams({
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    team_id: TEAM,
    team_domain: 'example',
    channel_id: 'C2147483705',
    channel_name: 'test',
    user_id: c.user,
    user_name: c.user.toLowerCase(),
    command: c.command,
    text: c.text,
    api_app_id: 'A123456',
    is_enterprise_install: 'false',
    response_url: fake.responseUrl(c.id),
    trigger_id: `${Date.now()}.${c.id}`,
  }).toString();
}

export function slackProbe(fake: FakeSlack, url: string) {
  let n = 0;
  const ack: number[] = [];
  const answered: Promise<number | null>[] = [];

  async function once(record: boolean) {
    const id = `probe-${++n}`;
    const body = slashCommandBody(fake, { id, user: `UPROBE${n % 5}`, command: '/jobs', text: '' });
    const sentAt = performance.now();
    const answer = fake
      .waitForResponse(id, undefined, 60_000)
      .then(() => performance.now() - sentAt)
      .catch(() => null);
    const res = await fake.send(url, body, 'application/x-www-form-urlencoded');
    if (res.status !== 200) throw new Error(`slash command: HTTP ${res.status}`);
    if (!record) return answer;
    ack.push(res.ms);
    answered.push(answer);
  }

  async function figures(): Promise<AckFigures> {
    const answers = await Promise.all(answered.splice(0));
    const ok = answers.filter((a): a is number => a !== null);
    const acks = ack.splice(0);
    return {
      requests: acks.length,
      ackP50: percentile(acks, 50),
      ackP99: percentile(acks, 99),
      answerP50: percentile(ok, 50),
      answerP99: percentile(ok, 99),
      unanswered: answers.length - ok.length,
    };
  }

  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  return {
    /** First connections and first queries, not counted. */
    async warmUp() {
      for (let i = 0; i < 5; i++) await await once(false);
    },
    /** `count` requests, `gapMs` apart. */
    async measure(count: number, gapMs: number): Promise<AckFigures> {
      for (let i = 0; i < count; i++) {
        await once(true);
        await pause(gapMs);
      }
      return figures();
    },
    /** Requests `gapMs` apart until stopped. */
    during(gapMs: number) {
      let running = true;
      const loop = (async () => {
        while (running) {
          await once(true);
          await pause(gapMs);
        }
      })();
      return {
        async stop(): Promise<AckFigures> {
          running = false;
          await loop;
          return figures();
        },
      };
    },
  };
}
