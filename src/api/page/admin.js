// The operator page: plain JavaScript on the admin API, no build step. Every value from the API is
// written with textContent, never as HTML: posting text comes from job boards and is not trusted.

const TOKEN_KEY = 'jobping-admin-token';
const $ = (selector) => document.querySelector(selector);

class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

async function api(method, path, body) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const headers = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError(0, `JobPing did not answer (${err.message}). Is it running?`);
  }
  if (response.ok) return response.status === 204 ? null : response.json();
  let detail = `${response.status} ${response.statusText}`;
  try {
    const problem = await response.json();
    if (problem.detail) detail = problem.detail;
  } catch {
    // not a problem document: keep the status line
  }
  throw new ApiError(response.status, detail);
}

function showError(message) {
  const box = $('#error');
  box.textContent = message;
  box.hidden = !message;
}

function explain(err) {
  if (err.status === 401) return `The token was not accepted (${err.message}). Enter the admin token again.`;
  if (err.status === 429) return `Too many wrong tokens: ${err.message}.`;
  if (err.status === 503) return `The admin API is off: ${err.message}.`;
  return err.message;
}

/** Shows the sign-in form again when the token is refused; any other failure is shown as it is. */
function fail(err) {
  showError(explain(err));
  if (err.status === 401 || err.status === 429 || err.status === 503) signOut(false);
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text ?? '';
  if (className) td.className = className;
  return td;
}

function when(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  return date.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
}

function fill(tableSelector, items, render) {
  const body = $(`${tableSelector} tbody`);
  body.replaceChildren();
  for (const item of items) render(body.insertRow(), item);
  if (items.length === 0) cell(body.insertRow(), 'Nothing yet.', 'muted').colSpan = 9;
}

async function loadSources() {
  const { items } = await api('GET', '/api/sources');
  fill('#sources', items, (row, s) => {
    row.dataset.source = s.id;
    cell(row, s.id);
    cell(row, s.health, `health-${s.health}`);
    cell(
      row,
      s.lastRun ? `${s.lastRun.status} ${when(s.lastRun.finishedAt ?? s.lastRun.createdAt)}` : 'never',
    );
    cell(row, s.lastRun ? `${s.lastRun.found} / ${s.lastRun.new}` : '');
    cell(row, String(s.postings));
    const problem = cell(row, s.pauseReason ?? s.lastRun?.error ?? '');
    // "Found 0 postings" succeeds quietly: the board may have changed its format or blocked us.
    if (s.warning) {
      const warning = document.createElement('span');
      warning.className = 'warning';
      warning.textContent = `⚠ ${s.warning}`;
      if (problem.textContent) problem.append(document.createElement('br'));
      problem.append(warning);
    }
  });
}

async function loadPostings() {
  const q = $('#q').value.trim();
  const params = new URLSearchParams({ limit: '25', sort: q ? 'relevance' : 'newest' });
  if (q) params.set('q', q);
  const { items } = await api('GET', `/api/jobs?${params}`);
  fill('#postings', items, (row, job) => {
    row.dataset.job = String(job.id);
    const title = cell(row, '');
    const link = document.createElement('a');
    link.href = job.url;
    link.rel = 'noopener noreferrer';
    link.target = '_blank';
    link.textContent = job.title;
    title.append(link, document.createElement('br'), `${job.company} · ${job.sourceId}`);
    cell(row, [job.location, job.remote !== 'unknown' ? job.remote : null].filter(Boolean).join(' · '));
    const a = job.analysis;
    if (a?.status !== 'succeeded') {
      cell(row, a ? `analysis ${a.status}${a.error ? `: ${a.error}` : ''}` : 'not analysed', 'muted');
      return;
    }
    const details = [a.seniority, a.skills.slice(0, 6).join(', ')].filter(Boolean).join(' · ');
    const td = cell(row, a.summary ?? '', 'summary');
    td.append(document.createElement('br'), details);
  });
}

async function loadQueues() {
  const { queues } = await api('GET', '/api/queues');
  fill('#queues', queues, (row, q) => {
    row.dataset.queue = q.name;
    for (const v of [q.name, q.queued, q.active, q.failed, q.deadLettered]) cell(row, String(v));
  });
}

async function loadUsage() {
  const stats = await api('GET', '/api/stats');
  const today = stats.model.today;
  const usage = $('#usage');
  usage.replaceChildren();
  const entries = [
    ['Model calls', `${today.calls}${today.failedCalls ? ` (${today.failedCalls} failed)` : ''}`],
    ['Tokens in / out', `${today.inputTokens.toLocaleString()} / ${today.outputTokens.toLocaleString()}`],
    ['Cost today', `$${today.costUsd.toFixed(4)}`],
    ['Cost, 7 days', `$${stats.model.last7Days.costUsd.toFixed(4)}`],
    ['Skipped by pre-filter', String(stats.preFilter.analysesSkipped)],
    ['Postings', String(stats.postings.total)],
    ['Users', String(stats.users.total)],
  ];
  for (const [term, value] of entries) {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = value;
    usage.append(dt, dd);
  }
}

async function refresh() {
  await Promise.all([loadSources(), loadPostings(), loadQueues(), loadUsage()]);
}

async function followRun(runId) {
  const line = $('#fetch-progress');
  for (;;) {
    const { progress } = await api('GET', `/api/runs/${runId}`);
    line.textContent = progress.text;
    if (progress.done) {
      line.textContent = `Done: ${progress.text.replace(/…/, '')}`;
      line.dataset.state = 'done';
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function fetchLatest() {
  const button = $('#fetch-button');
  button.disabled = true;
  $('#fetch-progress').dataset.state = 'running';
  $('#fetch-progress').textContent = 'Starting…';
  try {
    const { runs } = await api('POST', '/api/fetch', {});
    await followRun(runs[0].id);
    await refresh();
  } catch (err) {
    $('#fetch-progress').textContent = '';
    fail(err);
  } finally {
    button.disabled = false;
  }
}

function signOut(clearError = true) {
  sessionStorage.removeItem(TOKEN_KEY);
  $('#dashboard').hidden = true;
  $('#sign-out').hidden = true;
  $('#sign-in').hidden = false;
  if (clearError) showError('');
  $('#token').focus();
}

async function open() {
  try {
    await refresh();
    showError('');
    $('#sign-in').hidden = true;
    $('#dashboard').hidden = false;
    $('#sign-out').hidden = false;
  } catch (err) {
    fail(err);
  }
}

$('#sign-in').addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $('#token').value.trim());
  $('#token').value = '';
  void open();
});
$('#sign-out').addEventListener('click', () => signOut());
$('#fetch-button').addEventListener('click', () => void fetchLatest());
$('#search').addEventListener('submit', (event) => {
  event.preventDefault();
  loadPostings().catch(fail);
});

if (sessionStorage.getItem(TOKEN_KEY)) void open();
else signOut();
