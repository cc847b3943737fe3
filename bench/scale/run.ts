/**
 * Scaling curve (issue 14 item 4): `npm run bench:scale -- --factors 1,3,10 [options]`.
 *
 * For each factor N it makes (once, cached, not timed) an N× archive with ./replay.ts, then in the
 * same run: argmap ingest into a fresh database (wall time, msg/s, peak RSS of the child, database
 * size); notmuch on the same messages (a Maildir written first, not timed; `notmuch new` with a
 * fresh config and database); FTS5 query latency over the judged queries (data/eval/queries.tsv),
 * in process through `searchFts` as `argmap search` runs it, after one warm-up pass; server page
 * latency (`argmap serve --db` in a child: thread pages of about 1, 50 and 500 messages and
 * `api/search`, plus the server's peak RSS); and, for the factors in `--site-factors`, the static
 * site build (time, peak RSS, files, bytes). Raw figures go to OUT/results.json (merged by factor
 * with earlier runs) and a table to stdout. See docs/scaling.md.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { ingestSummary, measure, latencies, ms, quantile, vmHwmMB } from '../measure.ts';
import { DEFAULT_SHIFT, parseShift, replayArchive, type ReplaySummary, type Shift } from './replay.ts';
import { readMbox } from '../../src/mail/mbox.ts';
import { detectSources } from '../../src/ingest/detect.ts';
import { openDb } from '../../src/store/db.ts';
import { parseQuery } from '../../src/search/query.ts';
import { searchFts } from '../../src/search/fts.ts';
import { readRecords } from '../../src/decisions/record.ts';
import { defaultDecisionsDir } from '../../src/decisions/check.ts';
import { urls } from '../../src/site/urls.ts';
import { tsvRows } from '../../src/util/tsv.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'argmap.js');

const HELP = `bench:scale — argmap at N× the shared archive, against notmuch (issue 14 item 4)

Usage:
  npm run bench:scale -- [options]

Options:
      --factors LIST       factors to measure, e.g. 1,3,10 (default 1,3)
      --archive DIR        the archive to replay (default ../shared/archive)
      --out DIR            scratch and results (default /tmp/scale): OUT/xN/… and OUT/results.json
      --shift S            date shift of the copies: interleave[:MIN] (default) or years:Y
      --site-factors LIST  factors whose static site is built too (default 1,3; "none" for none)
      --rounds N           timed passes over the judged queries (default 5)
      --no-notmuch         skip notmuch
      --no-server          skip the server page latency
      --no-data            do not append data/ after the timed ingest (the decision records cite
                           its corpus messages; without them serve and build refuse the records)
      --keep               keep the Maildirs and built sites (they are deleted after measuring)
      --latency-only       measure only FTS5 and server latency, on the archive an earlier run left
                           in OUT/xN/argmap.sqlite (after a change to search or rendering); the
                           figures replace that factor's latency figures in results.json
      --json               print this run's figures as JSON instead of a table
  -h, --help               show this help`;

interface Opts {
  factors: number[];
  archive: string;
  out: string;
  shift: Shift;
  siteFactors: number[];
  rounds: number;
  notmuch: boolean;
  server: boolean;
  data: boolean;
  keep: boolean;
  latencyOnly: boolean;
  json: boolean;
}

function parseOpts(argv: string[]): Opts | null {
  const o: Opts = {
    factors: [1, 3],
    archive: '../shared/archive',
    out: '/tmp/scale',
    shift: DEFAULT_SHIFT,
    siteFactors: [1, 3],
    rounds: 5,
    notmuch: true,
    server: true,
    data: true,
    keep: false,
    latencyOnly: false,
    json: false,
  };
  const list = (s: string | undefined): number[] =>
    s === 'none' ? [] : (s ?? '').split(',').filter(Boolean).map(Number);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h' || a === '--help') return null;
    else if (a === '--factors') o.factors = list(argv[++i]);
    else if (a === '--archive') o.archive = argv[++i]!;
    else if (a === '--out') o.out = argv[++i]!;
    else if (a === '--shift') o.shift = parseShift(argv[++i]!);
    else if (a === '--site-factors') o.siteFactors = list(argv[++i]);
    else if (a === '--rounds') o.rounds = Number(argv[++i]);
    else if (a === '--no-notmuch') o.notmuch = false;
    else if (a === '--no-server') o.server = false;
    else if (a === '--no-data') o.data = false;
    else if (a === '--keep') o.keep = true;
    else if (a === '--latency-only') o.latencyOnly = true;
    else if (a === '--json') o.json = true;
    else throw new Error(`unknown option ${a} (see --help)`);
  }
  if (!o.factors.length || o.factors.some((f) => !Number.isInteger(f) || f < 1))
    throw new Error('--factors: whole numbers ≥ 1, comma-separated');
  return o;
}

function fileBytes(p: string): number {
  return ['', '-wal', '-shm'].reduce((a, x) => a + (existsSync(p + x) ? statSync(p + x).size : 0), 0);
}

function duBytes(dir: string): { bytes: number; files: number } {
  const du = spawnSync('du', ['-sb', dir]).stdout.toString();
  const files = spawnSync('sh', ['-c', `find "${dir}" -type f | wc -l`]).stdout.toString();
  return { bytes: Number(du.split(/\s/)[0]), files: Number(files.trim()) };
}

function judgedQueries(): { qid: string; query: string }[] {
  return tsvRows(join(ROOT, 'data', 'eval', 'queries.tsv')).map(([qid, , query]) => ({
    qid: qid!,
    query: query!,
  }));
}

/** The N× archive, made once per factor and shift (a marker file says it is complete). */
async function ensureReplay(
  o: Opts,
  factor: number,
  dir: string,
): Promise<ReplaySummary & { seconds: number }> {
  const marker = join(dir, 'replay.json');
  if (existsSync(marker)) {
    const s = JSON.parse(readFileSync(marker, 'utf8')) as ReplaySummary & { seconds: number };
    if (
      s.factor === factor &&
      JSON.stringify(s.shift) === JSON.stringify(o.shift) &&
      s.files.every(existsSync)
    )
      return s;
  }
  rmSync(join(dir, 'mbox'), { recursive: true, force: true });
  const sources = detectSources([o.archive], process.cwd())
    .sources.map((s) => s.path)
    .filter((p) => /\.mbox(\.gz)?$/.test(p))
    .sort();
  const t0 = performance.now();
  const s = await replayArchive(sources, factor, join(dir, 'mbox'), o.shift);
  const r = { ...s, seconds: +((performance.now() - t0) / 1000).toFixed(1) };
  writeFileSync(marker, JSON.stringify(r, null, 2));
  return r;
}

/** The replayed messages as a Maildir for notmuch (not timed). */
async function writeMaildir(files: string[], dir: string): Promise<number> {
  rmSync(dir, { recursive: true, force: true });
  for (const d of ['cur', 'new', 'tmp']) mkdirSync(join(dir, d), { recursive: true });
  let n = 0;
  for (const f of files) {
    const input = createReadStream(f).pipe(createGunzip()) as AsyncIterable<Buffer>;
    for await (const it of readMbox(input))
      if (it.kind === 'message') writeFileSync(join(dir, 'new', `${1_700_000_000 + n}.${n++}.bench`), it.raw);
  }
  return n;
}

/** Links whose child and parent come from different copies (the `=rK=` tag differs). */
function crossCopyLinks(dbFile: string): { total: number; byReason: Record<string, number> } {
  const db = openDb(dbFile, { readonly: true });
  try {
    const copy = (id: string): string => /=r(\d+)=(?:@[^@]*)?$/.exec(id)?.[1] ?? '0';
    const byReason: Record<string, number> = {};
    let total = 0;
    const rows = db
      .prepare(
        `SELECT m.message_id AS id, p.message_id AS parent, m.parent_reason AS reason
           FROM messages m JOIN messages p ON p.id = m.parent_id`,
      )
      .iterate() as Iterable<{ id: string; parent: string; reason: string | null }>;
    for (const r of rows)
      if (copy(r.id) !== copy(r.parent)) {
        total++;
        byReason[r.reason ?? 'null'] = (byReason[r.reason ?? 'null'] ?? 0) + 1;
      }
    return { total, byReason };
  } finally {
    db.close();
  }
}

/** FTS5 latency of the judged queries, in process, as `argmap search` runs them (limit 20, records). */
function ftsLatency(dbFile: string, rounds: number): Record<string, unknown> {
  const db = openDb(dbFile, { readonly: true });
  try {
    const dir = defaultDecisionsDir(ROOT);
    const records = dir ? readRecords(dir) : [];
    const qs = judgedQueries();
    const run = (q: string): { ms: number; total: number } => {
      const t0 = performance.now();
      const r = searchFts(db, parseQuery(q), { limit: 20, records });
      return { ms: performance.now() - t0, total: r.total };
    };
    const cold: number[] = [];
    for (const q of qs) cold.push(run(q.query).ms); // the warm-up pass: page cache, statements, V8
    const all: number[] = [];
    const perQuery: Record<string, { query: string; medianMs: number; hits: number }> = {};
    for (const q of qs) {
      const t: number[] = [];
      let total = 0;
      for (let i = 0; i < rounds; i++) {
        const r = run(q.query);
        t.push(r.ms);
        total = r.total;
      }
      all.push(...t);
      perQuery[q.qid] = { query: q.query, medianMs: ms(quantile(t, 0.5)), hits: total };
    }
    return { queries: qs.length, rounds, warm: latencies(all), warmupPass: latencies(cold), perQuery };
  } finally {
    db.close();
  }
}

/** Thread roots whose message count is nearest each target size (up to `per` each). */
function threadsNear(
  dbFile: string,
  targets: number[],
  per: number,
): Record<string, { root: string; messages: number }[]> {
  const db = openDb(dbFile, { readonly: true });
  try {
    const out: Record<string, { root: string; messages: number }[]> = {};
    for (const t of targets)
      out[String(t)] = db
        .prepare(
          `SELECT r.message_id AS root, t.message_count AS messages FROM threads t
             JOIN messages r ON r.id = t.root_message_id
            ORDER BY abs(t.message_count - ?), t.id LIMIT ?`,
        )
        .all(t, per) as { root: string; messages: number }[];
    return out;
  } finally {
    db.close();
  }
}

/**
 * Server page latency: `argmap serve --db` in a child process, thread pages of about 1, 50 and
 * 500 messages (5 threads each: one cold request, then 10 timed ones) and `api/search` over the
 * judged queries (one warm-up pass, then 3), and the server's peak RSS.
 */
async function serverLatency(dbFile: string): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, 'serve', '--db', dbFile, '--port', '0', '--json'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await new Promise<string>((res, rej) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const m = /"url":"([^"]+)"/.exec(buf);
        if (m) res(m[1]!.replace(/\/?$/, '/'));
      });
      child.on('exit', (code) => rej(new Error(`argmap serve exited with ${code} before listening`)));
    });
    const startSeconds = +((performance.now() - t0) / 1000).toFixed(1);
    const get = async (path: string): Promise<{ ms: number; bytes: number }> => {
      const s = performance.now();
      const r = await fetch(url + path);
      const body = await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`GET ${path}: ${r.status}`);
      return { ms: performance.now() - s, bytes: body.byteLength };
    };
    const pages: Record<string, unknown> = {};
    for (const [target, threads] of Object.entries(threadsNear(dbFile, [1, 50, 500], 5))) {
      const cold: number[] = [];
      const warm: number[] = [];
      let bytes = 0;
      for (const t of threads) {
        const p = urls.thread(t.root);
        const c = await get(p);
        cold.push(c.ms);
        bytes = Math.max(bytes, c.bytes);
        for (let i = 0; i < 10; i++) warm.push((await get(p)).ms);
      }
      pages[target] = {
        threads: threads.map((t) => t.messages),
        maxPageKB: Math.round(bytes / 1024),
        cold: latencies(cold),
        warm: latencies(warm),
      };
    }
    const qs = judgedQueries();
    const search = (q: string): Promise<{ ms: number }> => get(`api/search?q=${encodeURIComponent(q)}`);
    for (const q of qs) await search(q.query);
    const st: number[] = [];
    for (let i = 0; i < 3; i++) for (const q of qs) st.push((await search(q.query)).ms);
    return { startSeconds, pages, search: latencies(st), peakRssMB: Math.round(vmHwmMB(child.pid)) };
  } finally {
    child.kill('SIGTERM');
  }
}

async function notmuchRun(
  files: string[],
  dir: string,
  messages: number,
  keep: boolean,
): Promise<Record<string, unknown>> {
  const md = join(dir, 'maildir');
  const t0 = performance.now();
  const written = await writeMaildir(files, md);
  const maildirSeconds = +((performance.now() - t0) / 1000).toFixed(1);
  const cfg = join(dir, 'notmuch-config');
  writeFileSync(
    cfg,
    `[database]\npath=${md}\n[user]\nname=Bench\nprimary_email=bench@example.invalid\n[new]\ntags=new;\n`,
  );
  const env = { ...process.env, NOTMUCH_CONFIG: cfg };
  const load = loadavg()[0]!;
  const nm = await measure('notmuch', ['new', '--quiet'], env);
  const count = Number(spawnSync('notmuch', ['count', '*'], { env }).stdout.toString().trim());
  const dbBytes = duBytes(join(md, '.notmuch')).bytes;
  if (!keep) rmSync(md, { recursive: true, force: true });
  return {
    seconds: +nm.seconds.toFixed(1),
    cpuSeconds: +nm.cpuSeconds.toFixed(1),
    messagesPerSecond: Math.round(messages / nm.seconds),
    peakRssMB: Math.round(nm.peakRssMB),
    databaseMB: +(dbBytes / 1e6).toFixed(1),
    indexed: count,
    maildirFiles: written,
    maildirSeconds,
    loadBefore: +load.toFixed(2),
    meanLoad: nm.meanLoad,
  };
}

/** FTS5 and server latency again on the archive an earlier run of this factor left behind. */
async function measureLatency(o: Opts, factor: number, earlier: unknown): Promise<Record<string, unknown>> {
  const db = join(o.out, `x${factor}`, 'argmap.sqlite');
  if (!existsSync(db)) throw new Error(`--latency-only: no archive at ${db} (run without it first)`);
  const log = (s: string): void => void process.stderr.write(`[${factor}×] ${s}\n`);
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).stdout.toString().trim();
  const r: Record<string, unknown> = { factor, ...(earlier as Record<string, unknown> | undefined) };
  log('FTS5 latency');
  r.fts = ftsLatency(db, o.rounds);
  if (o.server) {
    log('server latency');
    r.server = await serverLatency(db).catch((e: Error) => ({ error: e.message }));
  }
  r.latency = { date: new Date().toISOString(), commit, loadBefore: +loadavg()[0]!.toFixed(2) };
  return r;
}

async function measureFactor(o: Opts, factor: number): Promise<Record<string, unknown>> {
  const dir = join(o.out, `x${factor}`);
  mkdirSync(dir, { recursive: true });
  const log = (s: string): void => void process.stderr.write(`[${factor}×] ${s}\n`);
  log('replay');
  const rep = await ensureReplay(o, factor, dir);
  const db = join(dir, 'argmap.sqlite');
  for (const x of ['', '-wal', '-shm']) rmSync(db + x, { force: true });
  log(`argmap ingest of ${rep.messages} messages`);
  const load = loadavg()[0]!;
  const ing = await measure(process.execPath, [BIN, 'ingest', '--json', '--db', db, ...rep.files]);
  const summary = ingestSummary(ing.stdout);
  const graph = summary.steps.graph ?? 0;
  const argmap = {
    seconds: +ing.seconds.toFixed(1),
    cpuSeconds: +ing.cpuSeconds.toFixed(1),
    messagesPerSecond: Math.round(rep.messages / ing.seconds),
    withoutGraph: {
      seconds: +(ing.seconds - graph).toFixed(1),
      messagesPerSecond: Math.round(rep.messages / (ing.seconds - graph)),
    },
    phases: {
      startup: +(ing.seconds - summary.seconds).toFixed(1),
      reading: summary.readSeconds,
      ...summary.steps,
    },
    peakRssMB: Math.round(ing.peakRssMB),
    databaseMB: +(fileBytes(db) / 1e6).toFixed(1),
    databaseToMbox: +(fileBytes(db) / rep.bytes).toFixed(2),
    added: summary.added,
    loadBefore: +load.toFixed(2),
    meanLoad: ing.meanLoad,
  };
  let append: Record<string, unknown> | string = 'skipped (--no-data)';
  if (o.data) {
    // The bundled decision records cite a few story messages that exist only in data/corpus, and
    // the server and the site refuse records that do not resolve; bench:site ingests data/ for the
    // same reason. Appended after the timed ingest, so that figure is the replay alone, and timed
    // on its own: appending a little mail to a big archive is issue 14 item 5.
    log('append data/');
    const before = loadavg()[0]!;
    const ap = await measure(process.execPath, [BIN, 'ingest', '--json', '--db', db, join(ROOT, 'data')]);
    const sum = JSON.parse(ap.stdout) as { added: number; steps: Record<string, number> };
    append = {
      added: sum.added,
      seconds: +ap.seconds.toFixed(1),
      cpuSeconds: +ap.cpuSeconds.toFixed(1),
      peakRssMB: Math.round(ap.peakRssMB),
      steps: sum.steps,
      loadBefore: +before.toFixed(2),
    };
  }
  const result: Record<string, unknown> = {
    factor,
    date: new Date().toISOString(),
    messages: rep.messages,
    mboxMB: +(rep.bytes / 1e6).toFixed(1),
    mboxGzMB: +(rep.files.reduce((a, f) => a + statSync(f).size, 0) / 1e6).toFixed(1),
    replaySeconds: rep.seconds,
    argmap,
    crossCopyLinks: crossCopyLinks(db),
    appendData: append,
  };
  if (o.notmuch) {
    log('notmuch');
    const nm = await notmuchRun(rep.files, dir, rep.messages, o.keep);
    result.notmuch = nm;
    result.ratio = +((nm.seconds as number) / argmap.seconds).toFixed(2);
    // CPU seconds, not wall: on a shared machine the two ran under different loads.
    result.cpuRatio = +((nm.cpuSeconds as number) / argmap.cpuSeconds).toFixed(2);
    result.ratioWithoutGraph = +((nm.seconds as number) / argmap.withoutGraph.seconds).toFixed(2);
  }
  log('FTS5 latency');
  result.fts = ftsLatency(db, o.rounds);
  if (o.server) {
    log('server latency');
    try {
      result.server = await serverLatency(db);
    } catch (e) {
      result.server = { error: (e as Error).message };
    }
  }
  if (o.siteFactors.includes(factor)) {
    log('static site build');
    const site = join(dir, 'site');
    rmSync(site, { recursive: true, force: true });
    // The bundled decision records cite messages of the shared archive; an archive without them
    // (a test archive) is built without decision pages, as argmap's own hint says.
    let decisions = true;
    const b = await measure(
      process.execPath,
      [BIN, 'build', '--db', db, '--out', site],
      process.env,
      true,
    ).catch(() => {
      decisions = false;
      return measure(process.execPath, [BIN, 'build', '--db', db, '--out', site, '--no-decisions']);
    });
    const size = duBytes(site);
    result.site = {
      decisions,
      seconds: +b.seconds.toFixed(1),
      cpuSeconds: +b.cpuSeconds.toFixed(1),
      peakRssMB: Math.round(b.peakRssMB),
      meanLoad: b.meanLoad,
      files: size.files,
      MB: +(size.bytes / 1e6).toFixed(0),
    };
    if (!o.keep) rmSync(site, { recursive: true, force: true });
  } else result.site = 'skipped (not in --site-factors)';
  return result;
}

function table(rs: Record<string, unknown>[]): string {
  const lines = [
    '| factor | messages | argmap ingest | msg/s | peak RSS | DB | notmuch new | notmuch msg/s | ratio | FTS p50 / p95 | thread page p95 (1 / 50 / 500) | search p95 | site |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of rs) {
    const a = r.argmap as Record<string, number>;
    const n = r.notmuch as Record<string, number> | undefined;
    const f = (r.fts as { warm: Record<string, number> }).warm;
    const s = r.server as
      | { pages?: Record<string, { warm: Record<string, number> }>; search?: Record<string, number> }
      | undefined;
    const site = r.site as Record<string, number> | string;
    lines.push(
      `| ${r.factor}× | ${r.messages} | ${a.seconds} s | ${a.messagesPerSecond} | ${a.peakRssMB} MB | ${a.databaseMB} MB | ${n ? `${n.seconds} s` : '—'} | ${n ? n.messagesPerSecond : '—'} | ${r.ratio ?? '—'}× | ${f.p50} / ${f.p95} ms | ${s?.pages ? ['1', '50', '500'].map((k) => s.pages![k]!.warm.p95).join(' / ') + ' ms' : '—'} | ${s?.search ? `${s.search.p95} ms` : '—'} | ${typeof site === 'string' ? '—' : `${site.seconds} s, ${site.MB} MB, ${site.files} files, ${site.peakRssMB} MB RSS`} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const o = parseOpts(process.argv.slice(2));
  if (!o) {
    console.log(HELP);
    return;
  }
  mkdirSync(o.out, { recursive: true });
  const resultsFile = join(o.out, 'results.json');
  const all = existsSync(resultsFile)
    ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as { runs: Record<string, unknown> })
    : { runs: {} as Record<string, unknown> };
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const nmVersion = spawnSync('notmuch', ['--version']).stdout?.toString().trim() ?? '';
  // say so before the hour of ingesting, not after it (a run was lost to this once)
  if (o.notmuch && !o.latencyOnly && !nmVersion) {
    console.error('bench:scale: notmuch is not installed (apt-get install notmuch), or pass --no-notmuch');
    process.exitCode = 2;
    return;
  }
  const done: Record<string, unknown>[] = [];
  for (const f of o.factors) {
    const r = o.latencyOnly
      ? await measureLatency(o, f, all.runs[String(f)])
      : { machine, notmuchVersion: nmVersion, shift: o.shift, ...(await measureFactor(o, f)) };
    done.push(r);
    all.runs[String(f)] = r;
    writeFileSync(resultsFile, JSON.stringify(all, null, 2));
  }
  if (o.json || (o.latencyOnly && done.some((r) => !r.argmap))) console.log(JSON.stringify(done, null, 2));
  else console.log(`machine: ${machine}\n\n${table(done)}\n\nraw figures: ${resultsFile}`);
}

await main();
