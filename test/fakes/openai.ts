import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { REMOTE_MODES, type RemoteMode, type Salary } from '../../src/core/types.ts';
import { analyzeHeuristically } from '../../src/pipeline/analyze/heuristic.ts';

/**
 * A local stand-in for OpenAI's chat completions endpoint, speaking the real wire format so the
 * real `openai` client can be pointed at it (`baseURL: fake.url`). Its default answer is the
 * heuristic analysis of the posting in the last user message, so benchmarks get realistic output.
 */

export interface ChatRequestBody {
  model?: string;
  messages?: { role: string; content: unknown }[];
  response_format?: { type: string; json_schema?: { name: string; strict?: boolean; schema: unknown } };
  [key: string]: unknown;
}

export interface FakeOpenAICall {
  method: string;
  path: string;
  /** Request headers, lower-case, without `authorization`. */
  headers: Record<string, string>;
  body: ChatRequestBody;
}

/** One-shot behaviours, consumed in order by the next chat completion requests. */
export type FakeOpenAIStep =
  | { status: number; retryAfter?: number; message?: string }
  | { invalidJson: true }
  | { schemaViolation: true }
  | { refusal: string }
  | { hang: true }
  | { answer: object };

export interface FakeOpenAIOptions {
  latencyMs?: number;
  answer?: (request: ChatRequestBody) => object;
}

export interface FakeOpenAI {
  /** Base URL for the client (`OPENAI_BASE_URL`), ending in `/v1`. */
  url: string;
  calls: FakeOpenAICall[];
  script(...steps: FakeOpenAIStep[]): void;
  setLatency(ms: number): void;
  /** Resolves once at least `count` requests have arrived (no polling). */
  waitForCalls(count: number): Promise<void>;
  close(): Promise<void>;
}

const CHARS_PER_TOKEN = 4;
const CACHE_MIN_TOKENS = 1024;
const CACHE_BLOCK_TOKENS = 128;

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const calls: FakeOpenAICall[] = [];
  const steps: FakeOpenAIStep[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const seenPrefixes = new Set<string>();
  let latencyMs = options.latencyMs ?? 0;
  let requestCounter = 0;

  const record = (call: FakeOpenAICall) => {
    calls.push(call);
    for (const w of waiters.filter((w) => calls.length >= w.count)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, 500, String(err), 'server_error', null);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = (req.url ?? '/').split('?')[0]!;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (k !== 'authorization' && v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    }
    let body: ChatRequestBody = {};
    let bodyIsJson = true;
    try {
      body = raw ? (JSON.parse(raw) as ChatRequestBody) : {};
    } catch {
      bodyIsJson = false;
    }
    record({ method: req.method ?? 'GET', path, headers, body });
    res.setHeader('x-request-id', `req_fake${(++requestCounter).toString(16).padStart(8, '0')}`);

    if (!/^Bearer \S+/.test(req.headers.authorization ?? '')) {
      return sendError(
        res,
        401,
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        'invalid_request_error',
        null,
      );
    }
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      return sendError(res, 404, `Invalid URL (${req.method} ${path})`, 'invalid_request_error', null);
    }
    if (!bodyIsJson) {
      return sendError(
        res,
        400,
        'We could not parse the JSON body of your request.',
        'invalid_request_error',
        null,
      );
    }
    if (typeof body.model !== 'string' || !body.model) {
      return sendError(res, 400, 'you must provide a model parameter', 'invalid_request_error', null);
    }
    if (!Array.isArray(body.messages) || body.messages.length === 0) {
      return sendError(
        res,
        400,
        "Missing required parameter: 'messages'.",
        'invalid_request_error',
        'missing_required_parameter',
      );
    }

    const step = steps.shift();
    if (step && 'hang' in step) return; // answered never; `close()` drops the socket
    if (latencyMs > 0) await delay(latencyMs);

    if (step && 'status' in step) return sendScriptedError(res, step);
    let content: string | null;
    let refusal: string | null = null;
    if (step && 'refusal' in step) {
      content = null;
      refusal = step.refusal;
    } else if (step && 'invalidJson' in step) {
      content = 'Sure! Here is the analysis you asked for: {"seniority": "senior", "skills": [';
    } else if (step && 'schemaViolation' in step) {
      content = JSON.stringify({ seniority: 'wizard', skills: 'typescript', remotePolicy: 'sometimes' });
    } else if (step && 'answer' in step) {
      content = JSON.stringify(step.answer);
    } else {
      content = JSON.stringify(options.answer ? options.answer(body) : defaultAnswer(body));
    }
    sendJson(res, 200, completion(body, content, refusal));
  }

  function completion(body: ChatRequestBody, content: string | null, refusal: string | null) {
    const messages = body.messages ?? [];
    const chars = messages.reduce((n, m) => n + textOf(m.content).length, 0);
    const promptTokens = Math.ceil(chars / CHARS_PER_TOKEN);
    const completionTokens = Math.ceil((content ?? refusal ?? '').length / CHARS_PER_TOKEN);
    return {
      id: `chatcmpl-fake${requestCounter.toString(16).padStart(8, '0')}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content, refusal, annotations: [] },
          finish_reason: 'stop',
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
        prompt_tokens_details: { cached_tokens: cachedTokens(messages), audio_tokens: 0 },
        completion_tokens_details: {
          reasoning_tokens: 0,
          audio_tokens: 0,
          accepted_prediction_tokens: 0,
          rejected_prediction_tokens: 0,
        },
      },
      service_tier: 'default',
      system_fingerprint: 'fp_fake',
    };
  }

  /**
   * Like OpenAI's prompt caching: the system message's share, in 128-token blocks, once that
   * prefix is at least 1,024 tokens and has been seen before (the first request fills the cache).
   */
  function cachedTokens(messages: { role: string; content: unknown }[]): number {
    const first = messages[0];
    if (!first || (first.role !== 'system' && first.role !== 'developer')) return 0;
    const prefix = textOf(first.content);
    const tokens = Math.ceil(prefix.length / CHARS_PER_TOKEN);
    if (tokens < CACHE_MIN_TOKENS) return 0;
    if (!seenPrefixes.has(prefix)) {
      seenPrefixes.add(prefix);
      return 0;
    }
    return Math.floor(tokens / CACHE_BLOCK_TOKENS) * CACHE_BLOCK_TOKENS;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    calls,
    script: (...more) => {
      steps.push(...more);
    },
    setLatency: (ms) => {
      latencyMs = ms;
    },
    waitForCalls: (count) =>
      calls.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve })),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Hanging requests and idle keep-alive sockets would otherwise hold `close` open.
        server.closeAllConnections();
      }),
  };
}

function sendScriptedError(
  res: ServerResponse,
  step: { status: number; retryAfter?: number; message?: string },
) {
  if (step.status === 429) {
    const wait = step.retryAfter ?? 1;
    res.setHeader('retry-after', String(wait));
    res.setHeader('x-ratelimit-reset-requests', `${wait}s`);
    return sendError(
      res,
      429,
      step.message ??
        `Rate limit reached for requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in ${wait}s.`,
      'requests',
      'rate_limit_exceeded',
    );
  }
  if (step.status >= 500) {
    return sendError(
      res,
      step.status,
      step.message ?? 'The server had an error while processing your request. Sorry about that!',
      'server_error',
      null,
    );
  }
  return sendError(res, step.status, step.message ?? 'Scripted error.', 'invalid_request_error', null);
}

function sendError(res: ServerResponse, status: number, message: string, type: string, code: string | null) {
  sendJson(res, status, { error: { message, type, param: null, code } });
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Message content is a string or a list of parts (`{type: 'text', text}`). */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((p) => (p && typeof p === 'object' && 'text' in p ? String(p.text) : '')).join('');
  }
  return '';
}

/** The heuristic analysis of the posting JSON in the last user message (plain text is a description). */
export function defaultAnswer(body: ChatRequestBody): object {
  const lastUser = [...(body.messages ?? [])].reverse().find((m) => m.role === 'user');
  const text = textOf(lastUser?.content);
  let posting: Record<string, unknown> = {};
  try {
    const start = text.indexOf('{');
    const parsed: unknown = JSON.parse(text.slice(start, text.lastIndexOf('}') + 1));
    if (parsed && typeof parsed === 'object') posting = parsed as Record<string, unknown>;
  } catch {
    posting = { description: text };
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const remote = str(posting.remote);
  return analyzeHeuristically({
    title: str(posting.title) ?? '',
    company: str(posting.company) ?? '',
    location: str(posting.location),
    remote: REMOTE_MODES.includes(remote as RemoteMode) ? (remote as RemoteMode) : 'unknown',
    salary: isSalary(posting.salary) ? posting.salary : null,
    description: str(posting.description) ?? '',
    tags: Array.isArray(posting.tags) ? posting.tags.filter((t): t is string => typeof t === 'string') : [],
  });
}

function isSalary(value: unknown): value is Salary {
  if (!value || typeof value !== 'object') return false;
  const s = value as Record<string, unknown>;
  const amount = (v: unknown) => v === null || typeof v === 'number';
  return amount(s.min) && amount(s.max) && typeof s.currency === 'string' && typeof s.interval === 'string';
}
