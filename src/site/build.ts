/**
 * The site build. `generateSite` yields every file of the site one at a time (so the writer can
 * stream a 36k-message site to disk in bounded memory); `buildSite` collects them in memory for
 * tests and small sites; `writeSite` is the thin writer on top. Both share every page function.
 *
 * Order: assets, search data (one pass over all messages in date order, which also gathers the
 * topics), thread and message pages (one thread in memory at a time), decision pages, lists,
 * people, topics, series, search, model, home, feed.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Db } from '../store/db.ts';
import { RawReader } from '../store/raw.ts';
import { ThreadMbox } from '../store/export-mbox.ts';
import { gzipSync } from 'node:zlib';
import { checkRecords, CitationResolver, defaultDecisionsDir, MODEL_SCENARIOS } from '../decisions/check.ts';
import type { DecisionRecord } from '../decisions/record.ts';
import { Facets } from '../search/facets.ts';
import {
  CHUNK_SIZE,
  encodeDays,
  encodeThreads,
  IndexBuilder,
  INDEX_TEXT_CAP,
  PIPELINE_LABELS,
  type Manifest,
  type StoredDoc,
} from '../search/index-build.ts';
import { personClaims } from '../graph/query.ts';
import { isUnsure } from '../graph/stance-summary.ts';
import { ownText } from '../mail/owntext.ts';
import { bundleWeb, PROJECT_ROOT } from './bundle.ts';
import { scenarioCatalog } from '../model/scenarios.ts';
import { SiteData } from '../store/site-data.ts';
import { peopleWithSlugs, type SiteContext } from './context.ts';
import { decisionPages } from './pages/decision.ts';
import {
  decisionsPage,
  indexPage,
  peoplePage,
  personPages,
  threadsPage,
  type PersonGraph,
} from './pages/lists.ts';
import { feed, modelPage, searchPage, seriesPages, topicPages, type TopicStats } from './pages/more.ts';
import { messagePages, threadPages, type ThreadLink } from './pages/thread.ts';
import { threadMapPages } from './pages/threadmap.ts';
import type { Page } from './page.ts';
import { loadSeries } from './series.ts';
import { loadThread, displayName } from './thread.ts';
import { urls } from './urls.ts';

/** Inflated raw packs kept while writing per-thread mbox files (about 32 packs of 512 KB). */
const RAW_CACHE_FOR_THREADS = 16 * 1024 * 1024;
/** gzip level of the per-thread mbox files: 6 is zlib's default balance of size and time. */
const MBOX_GZIP_LEVEL = 6;

export type { Page };

export interface BuildOptions {
  /** Directory of decision records; default data/decisions of the project; null for none. */
  decisionsDir?: string | null;
  /** Absolute URL the site will be served from (used only in the Atom feed). */
  baseUrl?: string;
  /** Minify the scripts (default true). */
  minify?: boolean;
  /** Write one page per message (default true). */
  messagePages?: boolean;
  /** Slug of the decision the home page leads with (default: memory-reclaim). */
  mainDecision?: string;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** The decision this project is about; the home page leads with it. */
export const MAIN_DECISION = 'memory-reclaim';

/** A decision record cites something the archive lacks, or breaks the record format. */
export class SiteBuildError extends Error {
  constructor(
    message: string,
    readonly problems: string[] = [],
  ) {
    super(message);
    this.name = 'SiteBuildError';
  }
}

/**
 * A data file for file:// pages: a classic script that queues `[kind, index, data]` on
 * `window.ARGMAP_DATA` (the page's script drains the queue). The JSON is ASCII-only and inside a
 * single-quoted string literal, so no byte of mail text can end the string or the script.
 */
export function dataScript(kind: string, index: number, data: unknown): string {
  const json = JSON.stringify(data).replace(
    /[\u007f-\uffff]/g,
    (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'),
  );
  const lit = json.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
  return `(window.ARGMAP_DATA=window.ARGMAP_DATA||[]).push([${JSON.stringify(kind)},${index},JSON.parse('${lit}')]);\n`;
}

/** Scenario ids, titles, expected outcomes and the messages each tests, from the reference model. */
function modelScenarios(): SiteContext['scenarios'] {
  return scenarioCatalog(urls.model()).map((s) => ({
    id: s.id,
    title: s.title,
    expected: s.expected,
    messageIds: s.messageIds,
  }));
}

/** Read and check the decision records; a broken citation fails the build as `argmap check` does. */
export function loadRecords(db: Db, dir: string | null, scenarios: string[]): DecisionRecord[] {
  if (!dir) return [];
  const r = checkRecords(db, dir, scenarios.length ? scenarios : MODEL_SCENARIOS);
  if (r.problems.length) {
    const lines = r.problems.map((p) => `${p.file}:${p.line}: ${p.reason}`);
    throw new SiteBuildError(
      `decision records do not check out (${r.problems.length} ${r.problems.length === 1 ? 'problem' : 'problems'}); fix them or run argmap check:\n${lines.slice(0, 30).join('\n')}${lines.length > 30 ? `\n… and ${lines.length - 30} more` : ''}`,
      lines,
    );
  }
  return r.records;
}

function personGraph(db: Db, personId: number, ctx: SiteContext): PersonGraph {
  const g: PersonGraph = { objections: [], concessions: [], proposals: [] };
  for (const r of personClaims(db, personId)) {
    const m = ctx.data.message(r.mid);
    const th = m?.threadId != null ? ctx.data.thread(m.threadId) : undefined;
    const link = th ? urls.paragraph(th.rootMessageId, r.mid, r.n) : urls.message(r.mid);
    const text = r.text.replace(/\s+/g, ' ').trim().slice(0, 160);
    if (r.stance === 'objects-to')
      g.objections.push({
        text,
        link,
        date: r.date,
        status: r.status,
        unsureOf: isUnsure(r.confidence, r.alt) ? r.alt : null,
      });
    else if (r.stance === 'concedes') g.concessions.push({ text, link, date: r.date });
    else g.proposals.push({ text, link, date: r.date });
  }
  return g;
}

/** Every file of the site, one at a time. */
export async function* generateSite(db: Db, opts: BuildOptions = {}): AsyncGenerator<Page> {
  const log = opts.log ?? (() => {});
  const data = new SiteData(db);
  const scenarios = modelScenarios();
  const dir = opts.decisionsDir === undefined ? defaultDecisionsDir(PROJECT_ROOT) : opts.decisionsDir;
  const main = opts.mainDecision ?? MAIN_DECISION;
  const records = loadRecords(
    db,
    dir,
    scenarios.map((s) => s.id),
  ).sort((a, b) => {
    if ((a.slug === main) !== (b.slug === main)) return a.slug === main ? -1 : 1;
    const pa = String(a.meta.proposed ?? '');
    const pb = String(b.meta.proposed ?? '');
    return pa < pb ? -1 : pa > pb ? 1 : a.slug < b.slug ? -1 : 1;
  });
  const ctx: SiteContext = {
    data,
    people: peopleWithSlugs(data.authors()),
    records,
    scenarios,
    baseUrl: opts.baseUrl,
    builtAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
  const minify = opts.minify ?? true;

  // Assets.
  yield {
    path: urls.asset('site.css'),
    content: readFileSync(join(PROJECT_ROOT, 'web', 'site.css'), 'utf8'),
  };
  yield {
    path: urls.asset('favicon.svg'),
    content: readFileSync(join(PROJECT_ROOT, 'web', 'favicon.svg'), 'utf8'),
  };
  yield { path: urls.asset('site.js'), content: (await bundleWeb('web/site.ts', { minify })).js };
  yield { path: urls.asset('search.js'), content: (await bundleWeb('web/search.ts', { minify })).js };
  const hasModel = existsSync(join(PROJECT_ROOT, 'web', 'model', 'main.ts'));
  let modelCss = false;
  if (hasModel) {
    const m = await bundleWeb('web/model/main.ts', { minify });
    yield { path: urls.asset('model.js'), content: m.js };
    if (m.css) {
      modelCss = true;
      yield { path: urls.asset('model.css'), content: m.css };
    }
  }

  // Search data: one pass over every message in date order.
  log('search index');
  const facets = new Facets(db, records);
  const builder = new IndexBuilder();
  const topics = new Map<string, TopicStats>();
  let chunk: StoredDoc[] = [];
  const chunkFiles: string[] = [];
  const flushChunk = (): Page => {
    const file = `d-${String(chunkFiles.length).padStart(4, '0')}.js`;
    const page = { path: urls.searchData(file), content: dataScript('chunk', chunkFiles.length, chunk) };
    chunkFiles.push(file);
    chunk = [];
    return page;
  };
  for (const m of data.allMessages()) {
    const own = ownText(m.body ?? '', INDEX_TEXT_CAP);
    const f = facets.of(m.id);
    const th = m.threadId !== null ? data.thread(m.threadId) : undefined;
    const root = th?.rootMessageId ?? m.messageId;
    const doc = {
      url: urls.inThread(root, m.messageId),
      subject: m.subject ?? '',
      author: `${displayName(m)} ${m.fromAddr ?? ''}`,
      body: own,
      facets: f,
      date: m.date,
      thread: th?.subject ?? m.subject ?? '',
      threadUrl: urls.thread(root),
      messageId: m.messageId,
    };
    builder.add(doc);
    chunk.push([
      doc.url,
      doc.subject,
      displayName(m),
      m.date ?? '',
      doc.thread,
      doc.threadUrl,
      own,
      m.messageId,
    ]);
    if (chunk.length === CHUNK_SIZE) yield flushChunk();
    for (const t of f.topic) {
      let s = topics.get(t);
      if (!s) topics.set(t, (s = { topic: t, messages: 0, threads: new Map() }));
      s.messages++;
      if (m.threadId !== null) s.threads.set(m.threadId, (s.threads.get(m.threadId) ?? 0) + 1);
    }
  }
  if (chunk.length || !chunkFiles.length) yield flushChunk();
  const built = builder.finish();
  const shardInfo: Manifest['shards'] = [];
  for (let i = 0; i < built.shards.length; i++) {
    const file = `s-${String(i).padStart(4, '0')}.js`;
    const content = dataScript('shard', i, built.shards[i]!.terms);
    shardInfo.push({
      first: built.shards[i]!.first,
      file,
      terms: built.shards[i]!.terms.length,
      bytes: content.length,
    });
    yield { path: urls.searchData(file), content };
  }
  const manifest: Manifest = {
    version: 1,
    docCount: builder.documentCount,
    fields: built.fields,
    pipeline: PIPELINE_LABELS,
    shards: shardInfo,
    chunkSize: CHUNK_SIZE,
    chunks: chunkFiles,
    days: encodeDays(built.days),
    threads: encodeThreads(built.threads),
    builtAt: ctx.builtAt,
  };
  yield { path: urls.searchData('manifest.js'), content: dataScript('manifest', 0, manifest) };

  // Threads, messages, raw messages.
  log('threads');
  const series = loadSeries(data);
  const seriesOfThread = new Map<number, string>();
  for (const s of series) {
    if (s.postings.length < 2) continue;
    for (const p of s.postings) {
      const root = data.messageByRow(p.rootRow);
      if (root?.threadId != null) seriesOfThread.set(root.threadId, urls.series(s.firstRootMessageId));
    }
  }
  const decisionsOfThread = new Map<number, [string, string][]>();
  for (const rec of records) {
    const threads = new Set<number>();
    for (const c of rec.citations) {
      if (c.kind !== 'msg' && c.kind !== 'claim') continue;
      const m = data.message(c.target);
      if (m?.threadId != null) threads.add(m.threadId);
    }
    for (const t of threads) {
      const l = decisionsOfThread.get(t) ?? [];
      l.push([typeof rec.meta.title === 'string' ? rec.meta.title : rec.slug, urls.decision(rec.slug)]);
      decisionsOfThread.set(t, l);
    }
  }
  const withMessagePages = opts.messagePages ?? true;
  // Threads come in date order and a thread's messages sit in neighbouring packs: with 16 MB of
  // packs kept inflated, the 36k-message archive inflates 800 packs for its 675 (6,095 with one).
  const threadMbox = new ThreadMbox(db, new RawReader(db, RAW_CACHE_FOR_THREADS));
  const allThreads = data.threads();
  const link = (t: (typeof allThreads)[number] | undefined): ThreadLink | null =>
    t ? { subject: t.subject ?? '', path: urls.thread(t.rootMessageId) } : null;
  for (const [i, t] of allThreads.entries()) {
    const view = loadThread(data, t.id, t.rootMessageId);
    const map = threadMapPages(ctx, t);
    yield* map;
    const mbox = threadMbox.get(t.id);
    if (mbox.messages)
      yield {
        path: urls.threadMbox(t.rootMessageId),
        content: gzipSync(mbox.bytes, { level: MBOX_GZIP_LEVEL }),
      };
    yield* threadPages(ctx, t, view, {
      seriesPath: seriesOfThread.get(t.id) ?? null,
      decisionLinks: decisionsOfThread.get(t.id) ?? [],
      mapPath: map.length ? urls.threadMap(t.rootMessageId) : null,
      mboxPath: mbox.messages ? urls.threadMbox(t.rootMessageId) : null,
      older: link(allThreads[i - 1]),
      newer: link(allThreads[i + 1]),
    });
    for (const m of view.order) {
      if (m.row.isGhost) continue;
      if (withMessagePages) yield* messagePages(ctx, view, m);
    }
  }

  // Raw messages, in pack order: each compressed pack is inflated once, not once per message.
  log('raw messages');
  const rawReader = new RawReader(db);
  for (const r of data.rawMessagesInPackOrder()) {
    const raw = rawReader.get(r.id);
    if (raw) yield { path: urls.raw(r.messageId), content: raw.raw };
  }

  // Decisions.
  log('decisions');
  const resolver = new CitationResolver(db);
  for (const rec of records) yield* decisionPages(ctx, resolver, rec);
  yield* decisionsPage(ctx);

  // Lists, people, topics, series, search, model, home, feed.
  log('people');
  yield* threadsPage(ctx);
  yield* peoplePage(ctx);
  for (const p of ctx.people.values()) yield* personPages(ctx, p, personGraph(db, p.id, ctx));
  log('topics');
  yield* topicPages(ctx, [...topics.values()]);
  log('series');
  yield* seriesPages(ctx, series);
  log('search, model, home, feed');
  yield* searchPage();
  yield* modelPage(ctx, hasModel, modelCss);
  yield* indexPage(ctx, {
    messages: builder.documentCount,
    threads: data.threads().length,
    people: ctx.people.size,
  });
  yield feed(ctx);
  log('all pages generated');
}

/** Build the whole site in memory (tests, small archives). */
export async function buildSite(db: Db, opts: BuildOptions = {}): Promise<Page[]> {
  const out: Page[] = [];
  for await (const p of generateSite(db, opts)) out.push(p);
  return out;
}

export interface WriteStats {
  files: number;
  bytes: number;
  seconds: number;
  out: string;
}

/**
 * Write the site to `outDir`, streaming page by page. The site is written to a fresh sibling
 * directory and swapped in at the end, so a failed build never leaves half a site behind.
 */
export async function writeSite(db: Db, outDir: string, opts: BuildOptions = {}): Promise<WriteStats> {
  const t0 = performance.now();
  const out = resolve(outDir);
  const tmp = `${out}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const made = new Set<string>();
  let files = 0;
  let bytes = 0;
  try {
    for await (const p of generateSite(db, opts)) {
      const file = join(tmp, p.path);
      const d = dirname(file);
      if (!made.has(d)) {
        mkdirSync(d, { recursive: true });
        made.add(d);
      }
      writeFileSync(file, p.content);
      files++;
      bytes += typeof p.content === 'string' ? Buffer.byteLength(p.content) : p.content.length;
    }
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  // Keep the previous site's directory name stable for anyone serving it: swap in the new one.
  if (existsSync(out)) {
    opts.log?.('replacing the previous site');
    const old = `${out}.old-${process.pid}`;
    renameSync(out, old);
    renameSync(tmp, out);
    rmSync(old, { recursive: true, force: true });
  } else {
    mkdirSync(dirname(out), { recursive: true });
    renameSync(tmp, out);
  }
  return { files, bytes, seconds: (performance.now() - t0) / 1000, out };
}
