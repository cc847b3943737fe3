/**
 * `argmap serve --db`: the site rendered on request from the SQLite archive, for archives too big
 * to build as files (public-inbox's HTTP front end is the model). Every URL of the static site
 * answers with the same bytes, rendered by the same {@link SiteRenderer}; search is answered by the
 * server from FTS5 (`api/search`, the CLI's parser and ranking) instead of the static lunr shards.
 *
 * Caching: one ETag for the whole archive state (a fingerprint of the archive's meta rows and row
 * counters, the decision records and the bundled scripts), recomputed when SQLite's data_version
 * says another connection committed (an ingest). A request that carries that ETag gets 304
 * without rendering anything.
 *
 * Bound to 127.0.0.1 only; raw messages are `message/rfc822` downloads with nosniff, never
 * rendered; search queries are capped ({@link MAX_QUERY_CHARS}).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { Db } from '../store/db.ts';
import { archiveFingerprint, dataVersion } from '../store/archive-stats.ts';
import { FacetQuery } from '../search/facets.ts';
import { hitSnippet, searchFts, searchIndexReady } from '../search/fts.ts';
import { markTerms } from '../search/engine.ts';
import { parseQuery } from '../search/query.ts';
import { SEARCH_API_VERSION, SEARCH_HEADER, type SearchApiResult } from '../search/api.ts';
import { SiteRenderer, type BuildOptions } from './renderer.ts';
import { TYPES, type Served } from './serve.ts';
import { urls } from './urls.ts';

/** Longest search query accepted (characters): a query is parsed and run, so its size is bounded. */
export const MAX_QUERY_CHARS = 2000;
/** Most results one search request returns (a page of results is 20). */
export const MAX_SEARCH_LIMIT = 200;
/**
 * Rendered pages kept for repeated requests (bytes of content): a long thread is read many times
 * by many people, and rendering 500 messages takes a few hundred milliseconds. Emptied whenever
 * the archive changes.
 */
export const PAGE_CACHE_BYTES = 64 * 1024 * 1024;

/** Responses larger than this are sent gzip-compressed to clients that accept it. */
const GZIP_OVER_BYTES = 1024;

/** How long an idle keep-alive connection stays open. */
export const KEEP_ALIVE_MS = 65_000;

export interface ServeDbOptions extends Pick<BuildOptions, 'decisionsDir' | 'minify' | 'mainDecision'> {
  port?: number;
  /** One line per request (method, path, status, milliseconds). */
  log?: (line: string) => void;
}

interface State {
  version: number;
  renderer: SiteRenderer;
  etag: string;
  facets: FacetQuery | null;
  /** Rendered pages by path, least recently used first, and their total size. */
  pages: Map<string, Buffer>;
  pageBytes: number;
}

/** Keep `buf` under `key` in the state's cache, dropping the least recently used over the budget. */
function keep(st: State, key: string, buf: Buffer): void {
  if (buf.length > PAGE_CACHE_BYTES / 4) return;
  st.pages.set(key, buf);
  st.pageBytes += buf.length;
  for (const [k, v] of st.pages) {
    if (st.pageBytes <= PAGE_CACHE_BYTES) break;
    st.pages.delete(k);
    st.pageBytes -= v.length;
  }
}

/** A cached buffer, marked as just used. */
function recall(st: State, key: string): Buffer | undefined {
  const hit = st.pages.get(key);
  if (hit) {
    st.pages.delete(key);
    st.pages.set(key, hit);
  }
  return hit;
}

/** A page from the state's cache, or rendered and kept. */
function cachedPage(st: State, path: string): Buffer | null {
  const hit = recall(st, path);
  if (hit) return hit;
  const page = st.renderer.render(path);
  if (!page) return null;
  const buf = typeof page.content === 'string' ? Buffer.from(page.content) : page.content;
  keep(st, path, buf);
  return buf;
}

/** The gzip of a cached page (compressing 3 MB of thread page costs more than sending it). */
function cachedGzip(st: State, path: string, buf: Buffer): Buffer {
  const key = `\u0000gz:${path}`;
  const hit = recall(st, key);
  if (hit) return hit;
  const gz = gzipSync(buf, { level: 4 });
  keep(st, key, gz);
  return gz;
}

/** Serve the archive `db` (opened read-only by the caller) on 127.0.0.1. */
export async function serveDb(db: Db, opts: ServeDbOptions = {}): Promise<Served> {
  if (!searchIndexReady(db))
    throw new Error('the archive has no current search index (run argmap ingest on it first)');
  const buildOpts: BuildOptions = {
    decisionsDir: opts.decisionsDir,
    minify: opts.minify,
    mainDecision: opts.mainDecision,
  };
  const load = async (): Promise<State> => {
    const version = dataVersion(db);
    const renderer = await SiteRenderer.open(db, buildOpts);
    const h = createHash('sha1').update(archiveFingerprint(db));
    for (const r of renderer.ctx.records) h.update(r.slug).update(JSON.stringify(r.meta)).update(r.body);
    for (const a of renderer.assets()) h.update(a.path).update(a.content);
    return {
      version,
      renderer,
      etag: `"${h.digest('hex').slice(0, 20)}"`,
      facets: null,
      pages: new Map(),
      pageBytes: 0,
    };
  };
  let state = await load();
  let reloading: Promise<State> | null = null;
  /** The current state, reloaded first when another connection has committed since. */
  const current = async (): Promise<State> => {
    if (dataVersion(db) === state.version) return state;
    reloading ??= load().finally(() => (reloading = null));
    state = await reloading;
    return state;
  };

  const send = (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    type: string,
    body: string | Buffer,
    etag?: string,
    gzipped?: () => Buffer,
  ): void => {
    let buf = typeof body === 'string' ? Buffer.from(body) : body;
    const headers: Record<string, string | number> = {
      'Content-Type': type,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-cache',
      [SEARCH_HEADER]: SEARCH_API_VERSION,
    };
    if (etag) headers.ETag = etag;
    // Already compressed files (mbox.gz) go as they are.
    if (
      buf.length > GZIP_OVER_BYTES &&
      !type.startsWith('application/gzip') &&
      /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))
    ) {
      buf = gzipped ? gzipped() : gzipSync(buf, { level: 4 });
      headers['Content-Encoding'] = 'gzip';
      headers.Vary = 'Accept-Encoding';
    }
    headers['Content-Length'] = buf.length;
    res.writeHead(status, headers);
    res.end(req.method === 'HEAD' ? undefined : buf);
  };

  const search = (st: State, params: URLSearchParams): SearchApiResult => {
    const t0 = performance.now();
    const query = (params.get('q') ?? '').slice(0, MAX_QUERY_CHARS);
    const byThread = params.get('threads') === '1';
    const offset = Math.max(0, Math.min(10_000, Number(params.get('offset') ?? 0) || 0));
    const limit = Math.max(1, Math.min(MAX_SEARCH_LIMIT, Number(params.get('limit') ?? 20) || 20));
    const q = parseQuery(query);
    st.facets ??= new FacetQuery(db, st.renderer.ctx.records);
    const r = searchFts(db, q, {
      limit: offset + limit,
      records: st.renderer.ctx.records,
      byThread,
      facets: st.facets,
    });
    const marks = markTerms(q);
    return {
      api: SEARCH_API_VERSION,
      query,
      total: r.total,
      threads: byThread ? (r.threads ?? 0) : null,
      errors: r.errors,
      records: offset
        ? []
        : r.records.map((x) => ({
            title: x.title,
            summary: x.summary,
            status: x.status,
            url: urls.decision(x.slug),
          })),
      hits: r.hits.slice(offset).map((h) => ({
        url: h.threadRoot ? urls.inThread(h.threadRoot, h.messageId) : urls.message(h.messageId),
        subject: h.subject ?? '',
        author: h.from,
        date: h.date ?? '',
        thread: h.threadSubject ?? '',
        threadUrl: h.threadRoot ? urls.thread(h.threadRoot) : urls.message(h.messageId),
        count: byThread ? (h.threadHits ?? 1) : 0,
        partial: Boolean(h.partial),
        snippet: hitSnippet(h.body ?? '', marks),
      })),
      ms: Math.round((performance.now() - t0) * 10) / 10,
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<number> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return 405;
    }
    let url: URL;
    let path: string;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
      path = decodeURIComponent(url.pathname).replace(/^\/+/, '');
    } catch {
      send(req, res, 400, 'text/plain; charset=utf-8', 'bad request');
      return 400;
    }
    if (path === '' || path.endsWith('/')) path += 'index.html';
    if (path.split('/').some((seg) => seg === '..' || seg === '.')) {
      send(req, res, 403, 'text/plain; charset=utf-8', 'forbidden');
      return 403;
    }
    const st = await current();
    if (path === 'api/search') {
      send(req, res, 200, TYPES['.json']!, JSON.stringify(search(st, url.searchParams)));
      return 200;
    }
    if (req.headers['if-none-match'] === st.etag) {
      res
        .writeHead(304, { ETag: st.etag, 'Cache-Control': 'no-cache', [SEARCH_HEADER]: SEARCH_API_VERSION })
        .end();
      return 304;
    }
    const page = cachedPage(st, path);
    if (!page) {
      send(
        req,
        res,
        404,
        'text/plain; charset=utf-8',
        path.startsWith('search/')
          ? 'not found: this server answers search at api/search; the search/ data files exist only in a built site\n'
          : 'not found\n',
      );
      return 404;
    }
    const ext = /\.mbox\.gz$/.test(path) ? '.gz' : (/\.[a-z]+$/.exec(path)?.[0] ?? '');
    send(req, res, 200, TYPES[ext] ?? 'application/octet-stream', page, st.etag, () =>
      cachedGzip(st, path, page),
    );
    return 200;
  };

  const server = createServer((req, res) => {
    const t0 = performance.now();
    handle(req, res).then(
      (status) => opts.log?.(`${req.method} ${req.url} ${status} ${(performance.now() - t0).toFixed(1)} ms`),
      (e: unknown) => {
        opts.log?.(`${req.method} ${req.url} 500 ${(e as Error).stack ?? String(e)}`);
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('internal error (the server log has the details)\n');
      },
    );
  });
  // Node's 5 s keep-alive is shorter than one render of a huge thread or a rebuild beside the
  // server: a client reusing a socket the server closes at that moment sees a reset. Idle sockets
  // are kept for a minute (as nginx does), and the headers timeout must exceed it.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1000;
  return new Promise((resolveP, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      const addr = server.address();
      const p = typeof addr === 'object' && addr ? addr.port : (opts.port ?? 0);
      resolveP({
        server,
        url: `http://127.0.0.1:${p}/`,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}
