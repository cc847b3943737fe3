/**
 * The site build. `generateSite` yields every file of the site one at a time (so the writer can
 * stream a 36k-message site to disk in bounded memory); `buildSite` collects them in memory for
 * tests and small sites; `writeSite` is the thin writer on top. Both share every page function.
 *
 * Every page but the search data comes from {@link SiteRenderer}, which `argmap serve --db` also
 * renders from, so the two hosts give the same bytes.
 *
 * Order: assets, search data (one pass over all messages in date order), thread and message pages
 * (one thread in memory at a time), raw messages, decision pages, lists, people, topics, series,
 * search, model, home, feed.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Db } from '../store/db.ts';
import { RawReader } from '../store/raw.ts';
import { Facets } from '../search/facets.ts';
import { messagePrior } from '../search/rank.ts';
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
import { ownText } from '../mail/owntext.ts';
import type { Page } from './page.ts';
import { displayName } from './thread.ts';
import { urls } from './urls.ts';
import { loadRecords, MAIN_DECISION, SiteBuildError, SiteRenderer, type BuildOptions } from './renderer.ts';

/** Inflated raw packs kept while writing per-thread mbox files (about 32 packs of 512 KB). */
const RAW_CACHE_FOR_THREADS = 16 * 1024 * 1024;

export type { Page, BuildOptions };
export { SiteBuildError, loadRecords, MAIN_DECISION };

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

/** Every file of the site, one at a time. */
export async function* generateSite(db: Db, opts: BuildOptions = {}): AsyncGenerator<Page> {
  const log = opts.log ?? (() => {});
  const renderer = await SiteRenderer.open(db, opts, RAW_CACHE_FOR_THREADS);
  const { ctx, data } = renderer;
  const records = ctx.records;

  // Assets.
  yield* renderer.assets();

  // Search data: one pass over every message in date order.
  log('search index');
  const facets = new Facets(db, records);
  const builder = new IndexBuilder();
  // ranked as the CLI ranks: a reply's inherited subject weighs less, and substance and discussion
  // multiply every score (src/search/rank.ts)
  const rankInputs = data.searchRankInputs();
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
      boost: messagePrior(own, rankInputs.replies.get(m.id) ?? 0),
      reply: rankInputs.replySubject.has(m.id),
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
  }
  if (chunk.length || !chunkFiles.length) yield flushChunk();
  const built = builder.finish();
  const shardInfo: Manifest['shards'] = [];
  for (let i = 0; i < built.shards.length; i++) {
    const file = `s-${String(i).padStart(4, '0')}.js`;
    const content = dataScript('shard', i, built.shards[i]!.terms);
    const posFile = `p-${String(i).padStart(4, '0')}.js`;
    const posContent = dataScript('positions', i, builder.positions(i));
    shardInfo.push({
      first: built.shards[i]!.first,
      file,
      terms: built.shards[i]!.terms.length,
      bytes: content.length,
      positions: posFile,
      positionBytes: posContent.length,
    });
    yield { path: urls.searchData(file), content };
    yield { path: urls.searchData(posFile), content: posContent };
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
    records: records.map((r) => ({
      slug: r.slug,
      url: urls.decision(r.slug),
      title: String(r.meta.title ?? r.slug),
      summary: String(r.meta.summary ?? ''),
      status: String(r.meta.status ?? ''),
    })),
    builtAt: ctx.builtAt,
  };
  yield { path: urls.searchData('manifest.js'), content: dataScript('manifest', 0, manifest) };

  // Threads, messages, raw messages.
  log('threads');
  const withMessagePages = opts.messagePages ?? true;
  for (const t of renderer.threads) yield* renderer.threadFiles(t, withMessagePages);

  // Raw messages, in pack order: each compressed pack is inflated once, not once per message.
  log('raw messages');
  const rawReader = new RawReader(db);
  for (const r of data.rawMessagesInPackOrder()) {
    const raw = rawReader.get(r.id);
    if (raw) yield { path: urls.raw(r.messageId), content: raw.raw };
  }

  log('decisions');
  yield* renderer.decisionFiles();
  log('people');
  yield* renderer.peopleFiles();
  log('topics');
  yield* renderer.topicFiles();
  log('series');
  yield* renderer.seriesFiles();
  log('search, model, home, feed');
  yield* renderer.frontFiles();
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
