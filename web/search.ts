/**
 * The search page. Data files are classic scripts that queue `[kind, index, data]` on
 * `window.ARGMAP_DATA` (file:// allows no fetch); this module drains that queue, loads the term
 * shards a query needs and the document chunks of the results it shows, and renders results with
 * DOM text nodes only (mail text never becomes markup). The query lives in the URL
 * (`search.html?q=…`) so a search can be linked.
 *
 * Served by `argmap serve --db`, the same page asks the server instead (`api/search`, answered from
 * the archive's FTS5 index with the CLI's parser and ranking), since that host has no lunr data.
 */
import { parseQuery } from '../src/search/query.ts';
import { markTerms, snippet, SearchEngine, type SnippetPart, type ThreadHit } from '../src/search/engine.ts';
import type {
  Manifest,
  ManifestRecord,
  PositionTerm,
  ShardTerm,
  StoredDoc,
} from '../src/search/index-build.ts';
import type { SearchTiming } from '../src/search/timing.ts';
import {
  SEARCH_API_VERSION,
  SEARCH_HEADER,
  type SearchApiHit,
  type SearchApiResult,
} from '../src/search/api.ts';

type Item = [kind: string, index: number, data: unknown];

declare global {
  interface Window {
    ARGMAP_DATA?: Item[] | { push: (item: Item) => void };
    /** Timings of every search, for the benchmark and the curious. */
    argmapSearchTimings?: SearchTiming[];
  }
}

/** Results per page, and how many are shown before the rest of the page is fetched. */
const PAGE = 20;
const FIRST = 3;
const waiting = new Map<string, (data: unknown) => void>();
const arrived = new Map<string, unknown>();

function receive(item: Item): void {
  const key = `${item[0]}:${item[1]}`;
  const w = waiting.get(key);
  if (w) {
    waiting.delete(key);
    w(item[2]);
  } else arrived.set(key, item[2]);
}

const queued = Array.isArray(window.ARGMAP_DATA) ? window.ARGMAP_DATA : [];
window.ARGMAP_DATA = { push: receive };
for (const item of queued) receive(item);

/** Load one data file by inserting a script tag; resolves with the data it queues. */
function load(kind: string, index: number, file: string): Promise<unknown> {
  const key = `${kind}:${index}`;
  if (arrived.has(key)) {
    const d = arrived.get(key);
    arrived.delete(key);
    return Promise.resolve(d);
  }
  return new Promise((resolve, reject) => {
    waiting.set(key, resolve);
    const s = document.createElement('script');
    s.src = 'search/' + file;
    s.async = true;
    s.onerror = () => {
      waiting.delete(key);
      reject(new Error(`could not load search/${file}`));
    };
    document.head.appendChild(s);
  });
}

const form = document.getElementById('search-form') as HTMLFormElement | null;
const input = document.getElementById('search-q') as HTMLInputElement | null;
const status = document.getElementById('search-status');
const list = document.getElementById('search-results') as HTMLOListElement | null;
const more = document.getElementById('search-more') as HTMLButtonElement | null;
/** "One result per thread" (lore's threads view): the state is in the URL as `threads=1`. */
const byThread = document.getElementById('search-threads') as HTMLInputElement | null;

let engine: SearchEngine | null = null;
let enginePromise: Promise<SearchEngine> | null = null;

function getEngine(): Promise<SearchEngine> {
  if (engine) return Promise.resolve(engine);
  enginePromise ??= load('manifest', 0, 'manifest.js').then((m) => {
    const manifest = m as Manifest;
    engine = new SearchEngine(manifest, {
      shard: (i) => load('shard', i, manifest.shards[i]!.file) as Promise<ShardTerm[]>,
      chunk: (i) => load('chunk', i, manifest.chunks[i]!) as Promise<StoredDoc[]>,
      positions: (i) => load('positions', i, manifest.shards[i]!.positions!) as Promise<PositionTerm[]>,
    });
    return engine;
  });
  return enginePromise;
}

function setStatus(text: string): void {
  if (status) status.textContent = text;
}

let generation = 0;
/** Hits in rank order; in the threads view each thread's best hit with its hit count, else count 0. */
let lastHits: ThreadHit[] = [];
let shown = 0;
let lastQuery = '';

/** One result as the list shows it: a hit's fields, with the snippet in `parts`. */
type Shown = Omit<SearchApiHit, 'partial' | 'snippet'> & { parts: SnippetPart[] };

function appendResult(r: Shown): void {
  if (!list) return;
  const { url, subject, author, date, thread, threadUrl, count } = r;
  const li = document.createElement('li');
  const a = document.createElement('a');
  const meta = document.createElement('div');
  meta.className = 'rmeta';
  if (count > 0) {
    // Threads view: the thread, then its best-matching message.
    a.href = threadUrl;
    a.textContent = thread || subject || '(no subject)';
    meta.append(`${count.toLocaleString('en-US')} matching ${count === 1 ? 'message' : 'messages'} · best: `);
    const best = document.createElement('a');
    best.href = url;
    best.textContent = `${author}, ${date.slice(0, 10) || 'undated'}`;
    meta.appendChild(best);
  } else {
    a.href = url;
    a.textContent = subject || '(no subject)';
    meta.append(`${author} · ${date.slice(0, 10) || 'undated'} · in `);
    const ta = document.createElement('a');
    ta.href = threadUrl;
    ta.textContent = thread || 'thread';
    meta.appendChild(ta);
  }
  a.className = 'rtitle';
  li.appendChild(a);
  li.appendChild(meta);
  const sn = document.createElement('div');
  sn.className = 'snip';
  for (const part of r.parts) {
    if (part.mark) {
      const m = document.createElement('mark');
      m.textContent = part.text;
      sn.appendChild(m);
    } else sn.append(part.text);
  }
  li.appendChild(sn);
  list.appendChild(li);
}

async function renderMore(terms: ReturnType<typeof markTerms>, gen: number, count = PAGE): Promise<void> {
  if (!list) return;
  if (server) return serverMore(gen);
  if (!engine) return;
  const slice = lastHits.slice(shown, shown + count);
  const docs = await engine.docs(slice.map((h) => h.ref));
  if (gen !== generation) return;
  docs.forEach((d, i) => {
    const [url, subject, author, date, thread, threadUrl, text] = d;
    const count = slice[i]?.count ?? 0;
    appendResult({ url, subject, author, date, thread, threadUrl, count, parts: snippet(text, terms) });
  });
  shown += slice.length;
  if (more) more.hidden = shown >= lastHits.length;
}

/** Whether this page is served by `argmap serve --db` (asked once: file:// and built sites say no). */
let server = false;
let serverProbe: Promise<boolean> | null = null;
function askServer(): Promise<boolean> {
  if (!location.protocol.startsWith('http')) return Promise.resolve(false);
  // A HEAD of this very page: both hosts answer it, and only the archive server says it searches
  // (probing api/search on a plain file server would log a 404 in the console).
  serverProbe ??= fetch(location.pathname, { method: 'HEAD' })
    .then((r) => (server = r.headers.get(SEARCH_HEADER) === SEARCH_API_VERSION))
    .catch(() => false);
  return serverProbe;
}

/** The server's answer for the current query, and how far the list has got. */
let serverTotal = 0;
async function serverFetch(q: string, offset: number, limit: number): Promise<SearchApiResult> {
  const threads = byThread?.checked ?? false;
  const r = await fetch(
    `api/search?q=${encodeURIComponent(q)}&offset=${offset}&limit=${limit}${threads ? '&threads=1' : ''}`,
  );
  if (!r.ok) throw new Error(`the server answered ${r.status}`);
  return (await r.json()) as SearchApiResult;
}

function showServerHits(res: SearchApiResult): void {
  for (const h of res.hits) appendResult({ ...h, parts: h.snippet });
  shown += res.hits.length;
  if (more) more.hidden = shown >= serverTotal;
}

async function serverMore(gen: number): Promise<void> {
  const res = await serverFetch(lastQuery, shown, PAGE);
  if (gen !== generation) return;
  showServerHits(res);
}

/** Decision records that answer the query, ahead of the messages (the same on both hosts). */
function showRecords(records: readonly Pick<ManifestRecord, 'url' | 'title' | 'status' | 'summary'>[]): void {
  if (!list) return;
  for (const rec of records) {
    const li = document.createElement('li');
    li.className = 'record';
    const a = document.createElement('a');
    a.className = 'rtitle';
    a.href = rec.url;
    a.textContent = `Decision record: ${rec.title}`;
    const meta = document.createElement('div');
    meta.className = 'rmeta';
    meta.textContent = rec.status;
    const sn = document.createElement('div');
    sn.className = 'snip';
    sn.textContent = rec.summary;
    li.append(a, meta, sn);
    list.appendChild(li);
  }
}

/** A search answered by the server: decision records first, then the first page of messages. */
async function runOnServer(q: string, gen: number, t0: number): Promise<void> {
  const res = await serverFetch(q, 0, PAGE);
  if (gen !== generation || !list) return;
  const searchMs = performance.now() - t0;
  list.textContent = '';
  shown = 0;
  const threads = res.threads !== null;
  serverTotal = threads ? (res.threads ?? 0) : res.total;
  showRecords(res.records);
  showServerHits(res);
  const ms = performance.now() - t0;
  const n = res.total;
  const inThreads = threads
    ? ` in ${serverTotal.toLocaleString('en-US')} ${serverTotal === 1 ? 'thread' : 'threads'}`
    : '';
  setStatus(
    `${n.toLocaleString('en-US')} ${n === 1 ? 'message' : 'messages'}${inThreads} (${Math.round(ms)} ms, from the server)` +
      (res.errors.length ? ` — ${res.errors.join('; ')}` : ''),
  );
  (window.argmapSearchTimings ??= []).push({
    q,
    startedAt: t0,
    typedAt: lastInputAt,
    firstMs: ms,
    ms,
    searchMs,
    shards: 0,
    hits: n,
  });
  document.body.dataset.searchDone = String((window.argmapSearchTimings ?? []).length);
}

async function run(q: string, updateUrl: boolean): Promise<void> {
  const gen = ++generation;
  const t0 = performance.now();
  lastQuery = q;
  const threads = byThread?.checked ?? false;
  if (updateUrl) {
    try {
      history.replaceState(
        null,
        '',
        q ? `?q=${encodeURIComponent(q)}${threads ? '&threads=1' : ''}` : location.pathname,
      );
    } catch {
      // Some browsers refuse history changes on file://; the form's GET submit still sets the URL.
    }
  }
  if (!q.trim()) {
    if (list) list.textContent = '';
    setStatus('Type a query.');
    if (more) more.hidden = true;
    return;
  }
  setStatus('Searching…');
  if (await askServer()) return runOnServer(q, gen, t0);
  const parsed = parseQuery(q);
  const eng = await getEngine();
  const res = await eng.search(parsed);
  const searchMs = performance.now() - t0;
  if (gen !== generation) return;
  lastHits = threads ? eng.byThread(res.hits) : res.hits.map((h) => ({ ...h, count: 0 }));
  shown = 0;
  if (list) list.textContent = '';
  showRecords(eng.records(parsed));
  // The first few results first (one or two document chunks), then the rest of the page.
  const marks = markTerms(parsed);
  await renderMore(marks, gen, FIRST);
  if (gen !== generation) return;
  const firstMs = performance.now() - t0;
  await renderMore(marks, gen, PAGE - FIRST);
  if (gen !== generation) return;
  const ms = performance.now() - t0;
  // messages that hold every word; partial matches (one word missing) follow them, uncounted, as in the CLI
  const n = res.hits.filter((h) => !h.partial).length;
  const inThreads = threads
    ? ` in ${lastHits.length.toLocaleString('en-US')} ${lastHits.length === 1 ? 'thread' : 'threads'}`
    : '';
  setStatus(
    `${n.toLocaleString('en-US')} ${n === 1 ? 'message' : 'messages'}${inThreads} (${Math.round(ms)} ms)` +
      (res.errors.length ? ` — ${res.errors.join('; ')}` : ''),
  );
  (window.argmapSearchTimings ??= []).push({
    q,
    startedAt: t0,
    typedAt: lastInputAt,
    firstMs,
    ms,
    searchMs,
    shards: res.shards.length,
    hits: n,
  });
  document.body.dataset.searchDone = String((window.argmapSearchTimings ?? []).length);
}

function runSafely(q: string, updateUrl: boolean): void {
  run(q, updateUrl).catch((e: unknown) =>
    setStatus(`Search failed: ${e instanceof Error ? e.message : String(e)}`),
  );
}

let timer: number | undefined;
/** The last keystroke in the search box, so a benchmark can time from typing to results. */
let lastInputAt: number | null = null;
if (input) {
  input.addEventListener('focus', () => void askServer().then((srv) => (srv ? null : getEngine())), {
    once: true,
  });
  input.addEventListener('input', () => {
    lastInputAt = performance.now();
    // Fetch the index shards for what has been typed so far right away; search when typing pauses.
    const typed = input.value;
    void askServer().then((srv) => (srv ? null : getEngine().then((e) => e.prefetch(parseQuery(typed)))));
    window.clearTimeout(timer);
    timer = window.setTimeout(() => runSafely(input.value, true), 150);
  });
}
if (form && input) {
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    window.clearTimeout(timer);
    runSafely(input.value, true);
  });
}
if (more) more.addEventListener('click', () => void renderMore(markTerms(parseQuery(lastQuery)), generation));

if (byThread && input) byThread.addEventListener('change', () => runSafely(input.value, true));

const params = new URLSearchParams(location.search);
if (byThread) byThread.checked = params.get('threads') === '1';
const initial = params.get('q') ?? '';
if (input && initial) {
  input.value = initial;
  runSafely(initial, false);
}
