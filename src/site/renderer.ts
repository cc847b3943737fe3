/**
 * One renderer, two hosts. `SiteRenderer` holds what pages share across threads (people and their
 * slugs, decision records, series, which thread links which decision, the thread order for the
 * older/newer links) and renders any page of the site by its path. The static build
 * (src/site/build.ts) walks every path through it; `argmap serve --db` (src/site/serve-db.ts)
 * renders one path per request. Both call the same page functions with the same context, so a page
 * is byte for byte the same from either host (test/site/renderer.test.ts checks every page).
 *
 * What only the static build has: the lunr search data under `search/` (the server answers search
 * from FTS5 instead, src/site/serve-db.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Db } from '../store/db.ts';
import { RawReader } from '../store/raw.ts';
import { ThreadMbox } from '../store/export-mbox.ts';
import { checkRecords, CitationResolver, defaultDecisionsDir, MODEL_SCENARIOS } from '../decisions/check.ts';
import type { DecisionRecord } from '../decisions/record.ts';
import { personClaims, topicMessages } from '../graph/query.ts';
import { isUnsure } from '../graph/stance-summary.ts';
import { scenarioCatalog } from '../model/scenarios.ts';
import { SiteData, type MessageRow, type ThreadRow } from '../store/site-data.ts';
import { bundleWeb, PROJECT_ROOT } from './bundle.ts';
import { peopleWithSlugs, type PersonRow, type SiteContext } from './context.ts';
import { decisionPages } from './pages/decision.ts';
import {
  decisionsPage,
  indexPage,
  peoplePage,
  personPages,
  threadsPage,
  type PersonGraph,
} from './pages/lists.ts';
import {
  feed,
  modelPage,
  searchPage,
  seriesListPages,
  seriesPage,
  topicListPages,
  topicPage,
  type Series,
  type TopicStats,
} from './pages/more.ts';
import { messagePages, threadPages, type ThreadLink } from './pages/thread.ts';
import { hasThreadMap, threadMapPages } from './pages/threadmap.ts';
import type { Page } from './page.ts';
import { loadSeries } from './series.ts';
import { loadThread, type ThreadView } from './thread.ts';
import { encodeId, urls } from './urls.ts';

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
  /**
   * The build time the feed and the search manifest carry (ISO, default now); fixed by tests that
   * compare two builds byte for byte.
   */
  builtAt?: string;
  /** Progress lines. */
  log?: (line: string) => void;
}

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

/**
 * Thread views kept by the server: a reader walks the message pages of one thread, and each of them
 * needs the whole thread's view (a 500-message view is a few MB).
 */
const THREAD_VIEWS_KEPT = 4;

/** gzip level of the per-thread mbox files: 6 is zlib's default balance of size and time. */
const MBOX_GZIP_LEVEL = 6;

/** The decision this project is about; the home page leads with it. */
export const MAIN_DECISION = 'memory-reclaim';

/** Scenario ids, titles, expected outcomes and the messages each tests, from the reference model. */
function modelScenarios(): SiteContext['scenarios'] {
  return scenarioCatalog(urls.model()).map((s) => ({
    id: s.id,
    title: s.title,
    expected: s.expected,
    messageIds: s.messageIds,
  }));
}

/**
 * Decode a file-name identifier made by {@link encodeId}. Returns null for a long identifier that
 * was cut and hashed (its prefix is returned in `prefix`, so a caller can look it up).
 */
export function decodeId(enc: string): { id: string | null; prefix: string } {
  const hashed = enc.indexOf('~~');
  const body = hashed >= 0 ? enc.slice(0, hashed) : enc;
  const bytes: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '~' && i + 2 < body.length + 1 && /^[0-9A-F]{2}$/.test(body.slice(i + 1, i + 3))) {
      bytes.push(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c === '~') {
      // A `~` with no full escape after it: only a cut (hashed) name ends like that, or the lone
      // `~` that stands for the empty identifier.
      break;
    } else bytes.push(c.charCodeAt(0));
  }
  let s = Buffer.from(bytes).toString('utf8');
  // The cut may split a character: its bytes decode to U+FFFD, which the real id does not have.
  if (hashed >= 0) s = s.replace(/\uFFFD+$/, '');
  return hashed >= 0 || enc === '~' ? { id: enc === '~' ? '' : null, prefix: s } : { id: s, prefix: s };
}

/** The neighbours of a thread in start-date order, as the thread page's older/newer links. */
function threadLink(t: ThreadRow | undefined): ThreadLink | null {
  return t ? { subject: t.subject ?? '', path: urls.thread(t.rootMessageId) } : null;
}

/** Split `dir/name.ext` of a site path into the directory, the name and the extension. */
function splitPath(path: string): { dir: string; name: string; ext: string } | null {
  const m = /^(?:(.*)\/)?([^/]+?)(\.html|\.json|\.mbox\.gz|\.eml|\.atom|\.css|\.js|\.svg)$/.exec(path);
  return m ? { dir: m[1] ?? '', name: m[2]!, ext: m[3]! } : null;
}

/** Renders any page of the site from the archive. */
export class SiteRenderer {
  readonly ctx: SiteContext;
  readonly data: SiteData;
  /** Threads in start-date order, and each thread's place in that order. */
  readonly threads: ThreadRow[];
  private threadPos = new Map<number, number>();
  private threadByName = new Map<string, ThreadRow>();
  private personByName = new Map<string, PersonRow>();
  private seriesCache: Series[] | null = null;
  private seriesOfThreadCache: Map<number, string> | null = null;
  private decisionsOfThread = new Map<number, [string, string][]>();
  private topicsCache: TopicStats[] | null = null;
  private decisionCache: Map<string, Page> | null = null;
  private resolver: CitationResolver;
  private threadMbox: ThreadMbox;
  private raw: RawReader;
  private assetPages: Page[] = [];
  private views = new Map<number, ThreadView>();
  private hasModel = false;
  private modelCss = false;

  private constructor(
    readonly db: Db,
    records: DecisionRecord[],
    opts: BuildOptions,
    rawCacheBytes: number,
  ) {
    this.data = new SiteData(db);
    this.ctx = {
      data: this.data,
      people: peopleWithSlugs(this.data.authors()),
      records,
      scenarios: modelScenarios(),
      baseUrl: opts.baseUrl,
      builtAt: opts.builtAt ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    };
    this.threads = this.data.threads();
    for (const [i, t] of this.threads.entries()) {
      this.threadPos.set(t.id, i);
      this.threadByName.set(encodeId(t.rootMessageId), t);
    }
    for (const p of this.ctx.people.values()) this.personByName.set(encodeId(p.slug), p);
    for (const rec of records) {
      const threads = new Set<number>();
      for (const c of rec.citations) {
        if (c.kind !== 'msg' && c.kind !== 'claim') continue;
        const m = this.data.message(c.target);
        if (m?.threadId != null) threads.add(m.threadId);
      }
      for (const t of threads) {
        const l = this.decisionsOfThread.get(t) ?? [];
        l.push([typeof rec.meta.title === 'string' ? rec.meta.title : rec.slug, urls.decision(rec.slug)]);
        this.decisionsOfThread.set(t, l);
      }
    }
    this.resolver = new CitationResolver(db);
    this.raw = new RawReader(db, rawCacheBytes);
    this.threadMbox = new ThreadMbox(db, this.raw);
  }

  /**
   * Load the decision records (a broken citation throws, as `argmap check` reports it), bundle the
   * browser scripts and index the archive's threads and people.
   */
  static async open(
    db: Db,
    opts: BuildOptions = {},
    rawCacheBytes = 16 * 1024 * 1024,
  ): Promise<SiteRenderer> {
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
    const r = new SiteRenderer(db, records, opts, rawCacheBytes);
    await r.bundle(opts.minify ?? true);
    // Every thread page asks which series it belongs to: load the series now, not on the first page.
    r.seriesOfThread();
    return r;
  }

  private async bundle(minify: boolean): Promise<void> {
    const pages: Page[] = [
      { path: urls.asset('site.css'), content: readFileSync(join(PROJECT_ROOT, 'web', 'site.css'), 'utf8') },
      {
        path: urls.asset('favicon.svg'),
        content: readFileSync(join(PROJECT_ROOT, 'web', 'favicon.svg'), 'utf8'),
      },
      { path: urls.asset('site.js'), content: (await bundleWeb('web/site.ts', { minify })).js },
      { path: urls.asset('search.js'), content: (await bundleWeb('web/search.ts', { minify })).js },
    ];
    this.hasModel = existsSync(join(PROJECT_ROOT, 'web', 'model', 'main.ts'));
    if (this.hasModel) {
      const m = await bundleWeb('web/model/main.ts', { minify });
      pages.push({ path: urls.asset('model.js'), content: m.js });
      if (m.css) {
        this.modelCss = true;
        pages.push({ path: urls.asset('model.css'), content: m.css });
      }
    }
    this.assetPages = pages;
  }

  /** Scripts, styles and icons. */
  assets(): Page[] {
    return this.assetPages;
  }

  /** Every patch series of the archive (loaded once). */
  series(): Series[] {
    this.seriesCache ??= loadSeries(this.data);
    return this.seriesCache;
  }

  /** Thread id → the page of its series, for threads that are one posting of a multi-version series. */
  private seriesOfThread(): Map<number, string> {
    if (!this.seriesOfThreadCache) {
      const out = new Map<number, string>();
      for (const s of this.series()) {
        if (s.postings.length < 2) continue;
        for (const p of s.postings) {
          const root = this.data.messageByRow(p.rootRow);
          if (root?.threadId != null) out.set(root.threadId, urls.series(s.firstRootMessageId));
        }
      }
      this.seriesOfThreadCache = out;
    }
    return this.seriesOfThreadCache;
  }

  /** Message and thread counts per topic (from the argument graph's claim topics). */
  topics(): TopicStats[] {
    if (!this.topicsCache) {
      const by = new Map<string, TopicStats>();
      for (const r of topicMessages(this.db)) {
        let s = by.get(r.topic);
        if (!s) by.set(r.topic, (s = { topic: r.topic, messages: 0, threads: new Map() }));
        s.messages++;
        if (r.threadId !== null) s.threads.set(r.threadId, (s.threads.get(r.threadId) ?? 0) + 1);
      }
      this.topicsCache = [...by.values()].sort(
        (a, b) => b.messages - a.messages || a.topic.localeCompare(b.topic),
      );
    }
    return this.topicsCache;
  }

  private personGraph(personId: number): PersonGraph {
    const g: PersonGraph = { objections: [], concessions: [], proposals: [] };
    for (const r of personClaims(this.db, personId)) {
      const m = this.data.message(r.mid);
      const th = m?.threadId != null ? this.data.thread(m.threadId) : undefined;
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

  /** A thread's view, from the few kept (least recently used goes first). */
  private view(t: ThreadRow): ThreadView {
    let v = this.views.get(t.id);
    if (v) this.views.delete(t.id);
    else v = loadThread(this.data, t.id, t.rootMessageId);
    this.views.set(t.id, v);
    if (this.views.size > THREAD_VIEWS_KEPT) this.views.delete(this.views.keys().next().value!);
    return v;
  }

  /** The links a thread page carries (series, decisions, map, mbox, neighbours). */
  private threadExtra(
    t: ThreadRow,
    hasMap: boolean,
    mboxMessages: number,
  ): Parameters<typeof threadPages>[3] {
    const i = this.threadPos.get(t.id) ?? -1;
    return {
      seriesPath: this.seriesOfThread().get(t.id) ?? null,
      decisionLinks: this.decisionsOfThread.get(t.id) ?? [],
      mapPath: hasMap ? urls.threadMap(t.rootMessageId) : null,
      mboxPath: mboxMessages ? urls.threadMbox(t.rootMessageId) : null,
      older: i > 0 ? threadLink(this.threads[i - 1]) : null,
      newer: i >= 0 ? threadLink(this.threads[i + 1]) : null,
    };
  }

  /**
   * Every file of one thread, in the order the static build writes them: its argument map, its
   * mbox.gz, the thread page and, with `messages`, one page per message.
   */
  threadFiles(t: ThreadRow, messages = true): Page[] {
    const out: Page[] = [];
    const view = loadThread(this.data, t.id, t.rootMessageId);
    const map = threadMapPages(this.ctx, t);
    out.push(...map);
    const mbox = this.threadMbox.get(t.id);
    if (mbox.messages)
      out.push({
        path: urls.threadMbox(t.rootMessageId),
        content: gzipSync(mbox.bytes, { level: MBOX_GZIP_LEVEL }),
      });
    out.push(...threadPages(this.ctx, t, view, this.threadExtra(t, map.length > 0, mbox.messages)));
    if (messages)
      for (const m of view.order) if (!m.row.isGhost) out.push(...messagePages(this.ctx, view, m));
    return out;
  }

  /** The decision pages and argument maps of every record (few, so rendered together once). */
  private decisions(): Map<string, Page> {
    if (!this.decisionCache) {
      this.decisionCache = new Map();
      for (const rec of this.ctx.records)
        for (const p of decisionPages(this.ctx, this.resolver, rec)) this.decisionCache.set(p.path, p);
    }
    return this.decisionCache;
  }

  /** The decision pages, in record order (the static build's order). */
  decisionFiles(): Page[] {
    return [...this.decisions().values(), ...decisionsPage(this.ctx)];
  }

  /** People list, each person's page. */
  peopleFiles(): Page[] {
    const out = [...threadsPage(this.ctx), ...peoplePage(this.ctx)];
    for (const p of this.ctx.people.values()) out.push(...personPages(this.ctx, p, this.personGraph(p.id)));
    return out;
  }

  /** Topic list and pages. */
  topicFiles(): Page[] {
    const list = this.topics();
    return [...topicListPages(list), ...list.flatMap((t) => topicPage(this.ctx, t))];
  }

  /** Series list and pages. */
  seriesFiles(): Page[] {
    const multi = this.series().filter((s) => s.postings.length >= 2);
    return [...seriesListPages(multi), ...multi.flatMap((s) => seriesPage(this.ctx, s))];
  }

  /** Search page, model page, home page and feed. */
  frontFiles(): Page[] {
    return [
      ...searchPage(),
      ...modelPage(this.ctx, this.hasModel, this.modelCss),
      ...this.home(),
      feed(this.ctx),
    ];
  }

  private home(): Page[] {
    return indexPage(this.ctx, {
      messages: this.data.messageCount(),
      threads: this.threads.length,
      people: this.ctx.people.size,
    });
  }

  /** A message by the name its page files carry (the tilde-encoded Message-ID). */
  private messageByName(name: string): MessageRow | undefined {
    const d = decodeId(name);
    if (d.id !== null) {
      const m = this.data.message(d.id);
      return m && encodeId(m.messageId) === name ? m : undefined;
    }
    // A long Message-ID was cut and hashed: find it among the ids that start with the prefix.
    for (const id of this.data.messageIdsWithPrefix(d.prefix))
      if (encodeId(id) === name) return this.data.message(id);
    return undefined;
  }

  /** The page at a site path, or null when the site has no such page. */
  render(path: string): Page | null {
    const pick = (pages: Page[]): Page | null => pages.find((p) => p.path === path) ?? null;
    if (path.startsWith('assets/')) return pick(this.assetPages);
    const sp = splitPath(path);
    if (!sp) return null;
    const { dir, name, ext } = sp;
    if (name === 'index' && (ext === '.html' || ext === '.json')) {
      if (dir === '') return pick(this.home());
      if (dir === 't') return pick(threadsPage(this.ctx));
      if (dir === 'p') return pick(peoplePage(this.ctx));
      if (dir === 'd') return pick(decisionsPage(this.ctx));
      if (dir === 'topic') return pick(topicListPages(this.topics()));
      if (dir === 's') return pick(seriesListPages(this.series().filter((s) => s.postings.length >= 2)));
    }
    if (dir === '') {
      if (name === 'search') return pick(searchPage());
      if (name === 'model') return pick(modelPage(this.ctx, this.hasModel, this.modelCss));
      if (name === 'feed') return pick([feed(this.ctx)]);
      return null;
    }
    if (dir === 't') {
      const t = this.threadByName.get(name);
      if (!t) return null;
      if (ext === '.mbox.gz') {
        const mbox = this.threadMbox.get(t.id);
        return mbox.messages ? { path, content: gzipSync(mbox.bytes, { level: MBOX_GZIP_LEVEL }) } : null;
      }
      if (ext !== '.html' && ext !== '.json') return null;
      const view = this.view(t);
      const extra = this.threadExtra(t, hasThreadMap(this.ctx, t), this.threadMbox.count(t.id));
      return pick(threadPages(this.ctx, t, view, extra, ext === '.html' ? 'html' : 'json'));
    }
    if (dir === 'map/t') {
      const t = this.threadByName.get(name);
      return t ? pick(threadMapPages(this.ctx, t)) : null;
    }
    if (dir === 'map' || dir === 'd') return this.decisions().get(path) ?? null;
    if (dir === 'm') {
      const m = this.messageByName(name);
      if (!m || m.isGhost) return null;
      if (ext === '.eml') {
        const raw = this.raw.get(m.id);
        return raw ? { path, content: raw.raw } : null;
      }
      if (m.threadId === null) return null;
      const t = this.data.thread(m.threadId);
      if (!t) return null;
      const view = this.view(t);
      const tm = view.order.find((x) => x.row.id === m.id);
      return tm ? pick(messagePages(this.ctx, view, tm)) : null;
    }
    if (dir === 'p') {
      const p = this.personByName.get(name);
      return p ? pick(personPages(this.ctx, p, this.personGraph(p.id))) : null;
    }
    if (dir === 'topic') {
      const t = this.topics().find((x) => encodeId(x.topic) === name);
      return t ? pick(topicPage(this.ctx, t)) : null;
    }
    if (dir === 's') {
      const s = this.series().find((x) => x.postings.length >= 2 && encodeId(x.firstRootMessageId) === name);
      return s ? pick(seriesPage(this.ctx, s)) : null;
    }
    return null;
  }
}
