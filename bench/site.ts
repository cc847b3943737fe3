/**
 * Site benchmark: `npm run bench:site -- [--archive-db FILE | --archive-site DIR] [--skip-archive]
 * [--judged] [--write-docs] [--json] [--keep]`.
 *
 * 1. Builds the site for the bundled data (data/ ingested into a fresh archive) and for the whole
 *    list archive (../shared/archive plus data/, so the decision records resolve; reuse an
 *    existing archive with --archive-db), each build in a child process: wall time, peak RSS
 *    (getrusage of the child), files and bytes written.
 * 2. In headless Chromium, from file://, for each query of QUERIES on each site:
 *    - first search: a fresh page, focus the box, type the query, time from the last key to the
 *      first result on screen (the 150 ms typing debounce and every index file it loads included),
 *      and the gzip size of the index files (manifest, term shards and, for phrases, position
 *      files) and of the document chunks that query loaded; with --judged, the same for every
 *      query of the judged set (data/eval/queries.tsv) on the archive, summarised;
 *    - later searches: the queries one after another in one page, timed by the page from the
 *      start of the search to the first result and to the whole first page of results.
 * Targets (the issue): bundled data built < 10 s; archive built < 5 min with peak RSS < 1.5 GB;
 * first result < 1.5 s of typing; later searches < 100 ms; ≤ 3 MB gzip of index per query.
 * --write-docs replaces the "## Site" section of docs/benchmarks.md with the report.
 * --archive-site DIR measures an archive site already built (by a run with --keep) instead of
 * building one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { addSearchFile, type KindSize } from './search-sizes.ts';
import { launchBrowser } from '../test/helpers/browser.ts';
import type { SearchTiming } from '../src/search/timing.ts';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'argmap.js');
const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

/** Queries a reader of this archive would type: words, fields, dates, facets, prefixes. */
export const QUERIES = [
  'zswap',
  'memory.high throttling',
  'f:hocko d:2020-09',
  'proactive reclaim',
  'swappiness',
  'type:objection status:open',
  'reclai*',
  'kswapd latency',
  'topic:memory.reclaim',
  'd:2022-04 memcg',
  '"memory high"',
  '"proactive reclaim"',
  's:"memory reclaim"',
  'f:"michal hocko" "high limit"',
  '"reclaim is futile"',
];

/** The judged query set (data/eval/queries.tsv), for --judged. */
function judgedQueries(): string[] {
  return readFileSync(join(ROOT, 'data', 'eval', 'queries.tsv'), 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => l.split('\t')[2]!);
}

/** Size of the search data files of a built site, by kind (raw and gzip bytes, and the largest file's gzip). */
function searchDataSizes(site: string): string {
  const dir = join(site, 'search');
  const kinds = new Map<string, KindSize>();
  for (const f of readdirSync(dir)) addSearchFile(kinds, f, readFileSync(join(dir, f)));
  const name: Record<string, string> = {
    manifest: 'manifest',
    s: 'term shards (s-NNNN.js)',
    p: 'position files (p-NNNN.js)',
    d: 'document chunks (d-NNNN.js)',
  };
  const mb = (n: number): string => (n / 1e6).toFixed(1);
  const lines = ['| search data | files | size | gzip | largest file, gzip |', '|---|---|---|---|---|'];
  for (const [kind, k] of kinds)
    lines.push(
      `| ${name[kind] ?? kind} | ${k.files.toLocaleString('en-US')} | ${mb(k.raw)} MB | ${mb(k.gz)} MB | ${(k.maxGz / 1024).toFixed(0)} KB |`,
    );
  return lines.join('\n');
}

interface BuildResult {
  seconds: number;
  peakRssMB: number;
  files: number;
  megabytes: number;
}

/** `--child-build DB OUT`: build in this process and report; the parent reads the JSON line. */
async function childBuild(db: string, out: string): Promise<void> {
  const { openDb } = await import('../src/store/db.ts');
  const { writeSite } = await import('../src/site/build.ts');
  const d = openDb(db, { readonly: true });
  const s = await writeSite(d, out);
  d.close();
  const r: BuildResult = {
    seconds: s.seconds,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    files: s.files,
    megabytes: s.bytes / 1e6,
  };
  process.stdout.write(JSON.stringify(r) + '\n');
}

function run(argv: string[], what: string): string {
  const r = spawnSync(process.execPath, argv, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${what} failed (${r.status}):\n${r.stderr.slice(-2000)}`);
  return r.stdout;
}

function ingest(db: string, paths: string[]): number {
  const t0 = performance.now();
  run([BIN, 'ingest', '--db', db, ...paths], `ingest ${paths.join(' ')}`);
  return (performance.now() - t0) / 1000;
}

function build(db: string, out: string): BuildResult {
  const line = run(
    ['--import', 'tsx', join(ROOT, 'bench', 'site.ts'), '--child-build', db, out],
    `build ${db}`,
  )
    .trim()
    .split('\n')
    .pop()!;
  return JSON.parse(line) as BuildResult;
}

interface QueryFigures {
  q: string;
  firstMs: number;
  hits: number;
  indexFiles: number;
  indexGzipKB: number;
  docGzipKB: number;
}

interface LaterFigures {
  q: string;
  firstMs: number;
  pageMs: number;
  searchMs: number;
}

declare const window: { argmapSearchTimings?: SearchTiming[] };

async function measureSearch(
  site: string,
  queries: string[] = QUERIES,
): Promise<{ first: QueryFigures[]; later: LaterFigures[] }> {
  const browser = await launchBrowser();
  const gz = new Map<string, number>();
  const gzipKB = (url: string): number => {
    const file = decodeURIComponent(new URL(url).pathname);
    let n = gz.get(file);
    if (n === undefined) gz.set(file, (n = gzipSync(readFileSync(file)).length / 1024));
    return n;
  };
  const first: QueryFigures[] = [];
  try {
    for (const q of queries) {
      const page = await browser.newPage();
      const loaded: string[] = [];
      page.on('request', (r) => {
        if (/\/search\/[a-z]-?\w*\.js$|\/search\/manifest\.js$/.test(r.url())) loaded.push(r.url());
      });
      await page.goto(pathToFileURL(join(site, 'search.html')).href);
      await page.locator('#search-q').focus();
      await page.locator('#search-q').pressSequentially(q, { delay: 15 });
      // The search of the whole query, timed by the page from the last keystroke to the first
      // result on screen. A pause between two keys longer than the typing debounce starts a search
      // for part of the query ("kswapd l", 0 hits); waiting for any result, as this benchmark
      // once did, then timed that one.
      await page.waitForFunction(
        (query) => (window.argmapSearchTimings ?? []).some((t) => t.q === query),
        q,
        { timeout: 30_000 },
      );
      const timing = await page.evaluate(
        (query) => (window.argmapSearchTimings ?? []).filter((t) => t.q === query).at(-1)!,
        q,
      );
      const firstMs = timing.startedAt + timing.firstMs - (timing.typedAt ?? timing.startedAt);
      const hits = timing.hits;
      const index = loaded.filter((u) => /\/(manifest|[sp]-\d+)\.js$/.test(u));
      const docs = loaded.filter((u) => /\/d-\d+\.js$/.test(u));
      first.push({
        q,
        firstMs,
        hits,
        indexFiles: index.length,
        indexGzipKB: index.reduce((a, u) => a + gzipKB(u), 0),
        docGzipKB: docs.reduce((a, u) => a + gzipKB(u), 0),
      });
      await page.close();
    }
    // Later searches: one page, every query after the first.
    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(site, 'search.html')).href);
    for (const q of QUERIES) {
      const n = await page.evaluate(() => (window.argmapSearchTimings ?? []).length);
      await page.locator('#search-q').fill(q);
      await page.waitForFunction((k) => (window.argmapSearchTimings ?? []).length > k, n, {
        timeout: 30_000,
      });
    }
    const t = await page.evaluate(() => window.argmapSearchTimings ?? []);
    const later = t.slice(1).map((x) => ({ q: x.q, firstMs: x.firstMs, pageMs: x.ms, searchMs: x.searchMs }));
    await page.close();
    return { first, later };
  } finally {
    await browser.close();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function table(
  name: string,
  b: BuildResult,
  ingestS: number | null,
  s: { first: QueryFigures[]; later: LaterFigures[] },
): string {
  const f = (n: number, d = 0): string => n.toFixed(d);
  const lines = [
    `### ${name}`,
    '',
    `Build: **${f(b.seconds, 1)} s**, peak RSS **${f(b.peakRssMB)} MB**, ${b.files.toLocaleString('en-US')} files, ${f(b.megabytes)} MB` +
      (ingestS !== null ? ` (ingest before it, not part of the build: ${f(ingestS, 1)} s)` : '') +
      '.',
    '',
    '| query | hits | first result after typing | index loaded (gzip) | document chunks (gzip) | later search: first result / whole page (search part) |',
    '|---|---|---|---|---|---|',
  ];
  for (const x of s.first) {
    const l = s.later.find((y) => y.q === x.q);
    lines.push(
      `| \`${x.q}\` | ${x.hits.toLocaleString('en-US')} | ${f(x.firstMs)} ms | ${f(x.indexGzipKB)} KB in ${x.indexFiles} files | ${f(x.docGzipKB)} KB | ${l ? `${f(l.firstMs)} / ${f(l.pageMs)} ms (${f(l.searchMs)})` : '(first query of the page)'} |`,
    );
  }
  const later = s.later.map((x) => x.firstMs);
  lines.push(
    '',
    `First result after typing: median ${f(median(s.first.map((x) => x.firstMs)))} ms, max ${f(Math.max(...s.first.map((x) => x.firstMs)))} ms. ` +
      `Later searches, first result: median ${f(median(later))} ms, max ${f(Math.max(...later))} ms. ` +
      `Index per query: max ${f(Math.max(...s.first.map((x) => x.indexGzipKB)))} KB gzip.`,
  );
  return lines.join('\n');
}

async function main(): Promise<void> {
  if (args[0] === '--child-build') return childBuild(args[1]!, args[2]!);
  const work = mkdtempSync(join(tmpdir(), 'argmap-bench-site-'));
  const log = (s: string): void => void process.stderr.write(s + '\n');
  try {
    log('bundled data: ingest, build');
    const bundledDb = join(work, 'bundled.sqlite');
    const bundledIngest = ingest(bundledDb, [join(ROOT, 'data')]);
    const bundledSite = join(work, 'bundled-site');
    const bundled = build(bundledDb, bundledSite);
    log(`  ${bundled.seconds.toFixed(1)} s; searching`);
    const bundledSearch = await measureSearch(bundledSite);
    const sections = [table('Bundled data (data/)', bundled, bundledIngest, bundledSearch)];
    if (!args.includes('--skip-archive')) {
      let archiveDb = opt('--archive-db');
      let archiveIngest: number | null = null;
      if (!archiveDb && !opt('--archive-site')) {
        const archive = resolve(ROOT, '..', 'shared', 'archive');
        if (!existsSync(archive))
          throw new Error(`no archive at ${archive}; pass --archive-db or --skip-archive`);
        archiveDb = join(work, 'archive.sqlite');
        log('archive: ingest (a few minutes)');
        archiveIngest = ingest(archiveDb, [archive]) + ingest(archiveDb, [join(ROOT, 'data')]);
      }
      let archiveSite = opt('--archive-site');
      let archive: BuildResult;
      if (archiveSite) {
        const saved = join(archiveSite, '..', 'build.json');
        archive = JSON.parse(readFileSync(saved, 'utf8')) as BuildResult;
      } else {
        log('archive: build');
        archiveSite = join(work, 'archive-site');
        if (!archiveDb) throw new Error('no archive database');
        archive = build(archiveDb, archiveSite);
        writeFileSync(join(work, 'build.json'), JSON.stringify(archive));
      }
      log(`  ${archive.seconds.toFixed(1)} s; searching`);
      const archiveSearch = await measureSearch(archiveSite);
      sections.push(
        table(
          'The whole list archive (../shared/archive + data/, 36k messages)',
          archive,
          archiveIngest,
          archiveSearch,
        ),
        searchDataSizes(archiveSite),
      );
      if (args.includes('--judged')) {
        log('archive: judged queries');
        const j = (await measureSearch(archiveSite, judgedQueries())).first;
        const total = j.map((x) => x.indexGzipKB + x.docGzipKB);
        const worst = j[total.indexOf(Math.max(...total))]!;
        sections.push(
          `The ${j.length} judged queries (data/eval/queries.tsv), each in a fresh page: first result after typing median ${median(j.map((x) => x.firstMs)).toFixed(0)} ms, max ${Math.max(...j.map((x) => x.firstMs)).toFixed(0)} ms; ` +
            `download per query (index + document chunks, gzip) median ${median(total).toFixed(0)} KB, max ${Math.max(...total).toFixed(0)} KB (\`${worst.q}\`: ${worst.indexGzipKB.toFixed(0)} KB index in ${worst.indexFiles} files, ${worst.docGzipKB.toFixed(0)} KB documents).`,
        );
      }
    }
    const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
    const report = [
      `Command: \`npm run bench:site\` (\`bench/site.ts\`). Machine: ${machine}.`,
      '',
      ...sections,
    ].join('\n\n');
    if (args.includes('--json'))
      process.stdout.write(JSON.stringify({ bundled, bundledSearch }, null, 2) + '\n');
    else process.stdout.write(report + '\n');
    if (args.includes('--write-docs')) {
      const file = join(ROOT, 'docs', 'benchmarks.md');
      const doc = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
      const start = doc.indexOf('\n## Site\n');
      const body = `\n## Site\n\n<!-- written by npm run bench:site -- --write-docs; the notes below the tables are by hand -->\n\n${report}\n`;
      let next = start >= 0 ? doc.indexOf('\n## ', start + 1) : -1;
      if (next < 0) next = doc.length;
      writeFileSync(
        file,
        start >= 0 ? doc.slice(0, start) + body + doc.slice(next) : doc.replace(/\n*$/, '\n') + body,
      );
    }
  } finally {
    if (!args.includes('--keep')) rmSync(work, { recursive: true, force: true });
    else process.stderr.write(`kept ${work}\n`);
  }
}

await main();
