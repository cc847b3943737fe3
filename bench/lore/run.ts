/**
 * argmap against lore's own software on the same mail: `npm run bench:lore -- [options]`.
 *
 * lore.kernel.org is public-inbox; its HTTP front end renders every page from a git repository of
 * raw mail plus SQLite and Xapian indexes, as `argmap serve --db` renders from one SQLite archive.
 * In one run, on the same machine and the same messages (the shared archive, by default):
 * 1. public-inbox 1.9 (Debian) makes a v2 inbox with Xapian indexlevel full (what lore runs) from
 *    the mboxes through its own importer (./import.pl), timed; then argmap ingests the same files
 *    into a fresh archive, timed (or `--db` reuses an archive of the same mail, untimed);
 * 2. `public-inbox-httpd` and `argmap serve --db` run side by side on 127.0.0.1, and the same
 *    threads (argmap's threads nearest 1, 50 and 500 messages, five each) are fetched from both,
 *    one request at a time: public-inbox's `MID/T/` (the flat thread, every message in full) and
 *    argmap's thread page; each once cold, then `--rounds` more;
 * 3. the judged queries of data/eval/queries.tsv through public-inbox's search page (`?q=`, Xapian)
 *    and argmap's `api/search` (FTS5), one warm-up pass, then `--rounds` passes.
 * Reported: times, p50/p95, bytes, and each as a ratio public-inbox / argmap (above 1: argmap is
 * faster). The two do different work per page (argmap adds stances, quotes traced to their source
 * and the series; public-inbox adds nothing), so the ratio is what a reader waits, not work done.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { measure, latencies, ms, quantile } from '../measure.ts';
import Database from 'better-sqlite3';
import { openDb } from '../../src/store/db.ts';
import { urls } from '../../src/site/urls.ts';
import { tsvRows } from '../../src/util/tsv.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'argmap.js');
const INBOX = 'cgroups';

const HELP = `bench:lore — argmap against public-inbox (lore's software) on the same mail

Usage:
  npm run bench:lore -- [options]

Options:
      --archive DIR   gzip'd mboxrd files to import (default ../shared/archive)
      --out DIR       scratch: the inbox, its config, the argmap archive (default /tmp/lore)
      --db FILE       an argmap archive of the same mail to serve (not timed; default: ingest one)
      --reuse-inbox   keep an inbox an earlier run imported into OUT (its import is not re-timed)
      --rounds N      timed requests per thread page and passes over the queries (default 5)
      --json          print the figures as JSON
  -h, --help          show this help

Needs public-inbox (apt-get install public-inbox) and Xapian's Perl bindings (its dependency).`;

interface Opts {
  archive: string;
  out: string;
  db: string | null;
  reuseInbox: boolean;
  rounds: number;
  json: boolean;
}

function parseOpts(argv: string[]): Opts | null {
  const o: Opts = {
    archive: '../shared/archive',
    out: '/tmp/lore',
    db: null,
    reuseInbox: false,
    rounds: 5,
    json: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h' || a === '--help') return null;
    else if (a === '--archive') o.archive = argv[++i]!;
    else if (a === '--out') o.out = argv[++i]!;
    else if (a === '--db') o.db = argv[++i]!;
    else if (a === '--reuse-inbox') o.reuseInbox = true;
    else if (a === '--rounds') o.rounds = Number(argv[++i]);
    else if (a === '--json') o.json = true;
    else throw new Error(`unknown option ${a} (see --help)`);
  }
  if (!Number.isInteger(o.rounds) || o.rounds < 1) throw new Error('--rounds: a whole number ≥ 1');
  return o;
}

const log = (s: string): void => void process.stderr.write(`[bench:lore] ${s}\n`);

/** Resolves once a server child prints a line matching `re` on stdout or stderr; rejects if it exits first. */
function started(child: ChildProcess, re: RegExp, what: string): Promise<void> {
  return new Promise((res, rej) => {
    let buf = '';
    const on = (d: Buffer): void => {
      buf += d.toString();
      if (re.test(buf)) res();
    };
    child.stdout?.on('data', on);
    child.stderr?.on('data', on);
    child.on('exit', (code) => rej(new Error(`${what} exited with ${code} before listening:\n${buf}`)));
  });
}

async function get(url: string): Promise<{ ms: number; bytes: number; status: number }> {
  const t0 = performance.now();
  const r = await fetch(url);
  const body = await r.arrayBuffer();
  return { ms: performance.now() - t0, bytes: body.byteLength, status: r.status };
}

/** public-inbox's escaping of a Message-ID in a URL path (PublicInbox::MID::mid_escape). */
function midPath(mid: string): string {
  return mid.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@]/g, (c) =>
    [...Buffer.from(c)].map((b) => '%' + b.toString(16).toUpperCase().padStart(2, '0')).join(''),
  );
}

/**
 * argmap's threads nearest each size, each with its earliest real message (public-inbox shows
 * the whole thread of any member; argmap's root may be a ghost), kept when public-inbox holds that
 * message (the bundled data/ adds a few story messages the imported mboxes lack).
 */
function threadsNear(
  dbFile: string,
  inInbox: (mid: string) => boolean,
  targets: number[],
  per: number,
): Record<string, { root: string; messages: number; member: string }[]> {
  const db = openDb(dbFile, { readonly: true });
  try {
    const out: Record<string, { root: string; messages: number; member: string }[]> = {};
    for (const t of targets) {
      const rows = db
        .prepare(
          `SELECT t.id, r.message_id AS root, t.message_count AS messages FROM threads t
             JOIN messages r ON r.id = t.root_message_id
            ORDER BY abs(t.message_count - ?), t.id LIMIT 200`,
        )
        .all(t) as { id: number; root: string; messages: number }[];
      const members = db
        .prepare(
          `SELECT message_id FROM messages WHERE thread_id = ? AND is_ghost = 0 AND id_kind = 'header'
            ORDER BY date, id`,
        )
        .pluck();
      const list: { root: string; messages: number; member: string }[] = [];
      for (const r of rows) {
        if (list.length >= per) break;
        const member = (members.all(r.id) as string[]).find(inInbox);
        if (member) list.push({ root: r.root, messages: r.messages, member });
      }
      out[String(t)] = list;
    }
    return out;
  } finally {
    db.close();
  }
}

async function main(): Promise<void> {
  const o = parseOpts(process.argv.slice(2));
  if (!o) {
    console.log(HELP);
    return;
  }
  if (spawnSync('public-inbox-init', ['--help']).error) {
    console.error('bench:lore: public-inbox is not installed (apt-get install public-inbox)');
    process.exitCode = 2;
    return;
  }
  const files = readdirSync(o.archive)
    .filter((f) => f.endsWith('.mbox.gz'))
    .sort()
    .map((f) => resolve(o.archive, f));
  if (!files.length) throw new Error(`no .mbox.gz files in ${o.archive}`);
  mkdirSync(o.out, { recursive: true });
  const cfg = join(o.out, 'pi-config');
  const inbox = join(o.out, 'inbox');
  const env = { ...process.env, PI_CONFIG: cfg };
  const result: Record<string, unknown> = { date: new Date().toISOString(), files: files.length };
  if (!(o.reuseInbox && existsSync(join(inbox, 'msgmap.sqlite3')))) {
    rmSync(inbox, { recursive: true, force: true });
    rmSync(cfg, { force: true });
    const init = spawnSync(
      'public-inbox-init',
      ['-V2', '-L', 'full', INBOX, inbox, `http://127.0.0.1/${INBOX}`, `${INBOX}@vger.kernel.org`],
      { env, encoding: 'utf8' },
    );
    if (init.status !== 0) throw new Error(`public-inbox-init failed: ${init.stderr}`);
    log(`public-inbox import of ${files.length} files (indexlevel full)`);
    const load = loadavg()[0]!;
    const im = await measure('perl', [join(import.meta.dirname, 'import.pl'), INBOX, ...files], env);
    result.publicInbox = {
      importSeconds: ms(im.seconds),
      loadBefore: +load.toFixed(2),
      meanLoad: im.meanLoad,
    };
  } else result.publicInbox = { importSeconds: null, reused: true };
  let db = o.db;
  if (!db) {
    db = join(o.out, 'argmap.sqlite');
    for (const x of ['', '-wal', '-shm']) rmSync(db + x, { force: true });
    log('argmap ingest of the same files');
    const load = loadavg()[0]!;
    const ing = await measure(
      process.execPath,
      [BIN, 'ingest', '--json', '--db', db, ...files],
      process.env,
      true,
    );
    // The decision records cite story messages that exist only in data/ (as bench:scale does).
    await measure(
      process.execPath,
      [BIN, 'ingest', '--json', '--db', db, join(ROOT, 'data')],
      process.env,
      true,
    );
    result.argmap = { ingestSeconds: ms(ing.seconds), loadBefore: +load.toFixed(2), meanLoad: ing.meanLoad };
  } else result.argmap = { ingestSeconds: null, db };
  const msgmap = new Database(join(inbox, 'msgmap.sqlite3'), { readonly: true });
  const inInbox = msgmap.prepare('SELECT 1 FROM msgmap WHERE mid = ?').pluck();
  (result.publicInbox as Record<string, unknown>).messages = msgmap
    .prepare('SELECT COUNT(*) FROM msgmap')
    .pluck()
    .get();

  log('servers');
  const port = 20000 + Math.floor(Math.random() * 20000);
  const pi = spawn('public-inbox-httpd', ['-l', `http://127.0.0.1:${port}`], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const am = spawn(process.execPath, [BIN, 'serve', '--db', db, '--port', '0', '--json'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    let amUrl = '';
    am.stdout.on('data', (d: Buffer) => {
      const m = /"url":"([^"]+)"/.exec(d.toString());
      if (m) amUrl = m[1]!.replace(/\/?$/, '/');
    });
    await started(am, /"url":"/, 'argmap serve');
    const piUrl = `http://127.0.0.1:${port}/${INBOX}/`;
    for (let i = 0; i < 100 && (await get(piUrl).catch(() => ({ status: 0 }))).status !== 200; i++)
      await new Promise((r) => setTimeout(r, 100));
    const pages: Record<string, unknown> = {};
    for (const [target, threads] of Object.entries(
      threadsNear(db, (mid) => inInbox.get(mid) !== undefined, [1, 50, 500], 5),
    )) {
      const side = {
        argmap: { cold: [] as number[], warm: [] as number[], bytes: 0 },
        publicInbox: { cold: [] as number[], warm: [] as number[], bytes: 0 },
      };
      for (const t of threads) {
        const targets: [keyof typeof side, string][] = [
          ['argmap', amUrl + urls.thread(t.root)],
          ['publicInbox', `${piUrl}${midPath(t.member)}/T/`],
        ];
        for (const [who, url] of targets) {
          const c = await get(url);
          if (c.status !== 200) throw new Error(`${who}: GET ${url}: ${c.status}`);
          side[who].cold.push(c.ms);
          side[who].bytes = Math.max(side[who].bytes, c.bytes);
          for (let i = 0; i < o.rounds; i++) side[who].warm.push((await get(url)).ms);
        }
      }
      const sum = (s: (typeof side)['argmap']): Record<string, unknown> => ({
        cold: latencies(s.cold),
        warm: latencies(s.warm),
        maxPageKB: Math.round(s.bytes / 1024),
      });
      pages[target] = {
        threads: threads.map((t) => t.messages),
        argmap: sum(side.argmap),
        publicInbox: sum(side.publicInbox),
        ratioColdP50: +(quantile(side.publicInbox.cold, 0.5) / quantile(side.argmap.cold, 0.5)).toFixed(2),
        ratioWarmP95: +(quantile(side.publicInbox.warm, 0.95) / quantile(side.argmap.warm, 0.95)).toFixed(2),
      };
    }
    result.pages = pages;
    const qs = tsvRows(join(ROOT, 'data', 'eval', 'queries.tsv')).map(([, , q]) => q!);
    const search = { argmap: [] as number[], publicInbox: [] as number[] };
    const ask = async (who: keyof typeof search, q: string): Promise<number> => {
      const url =
        who === 'argmap'
          ? `${amUrl}api/search?q=${encodeURIComponent(q)}`
          : `${piUrl}?q=${encodeURIComponent(q)}`;
      const r = await get(url);
      if (r.status !== 200 && r.status !== 404) throw new Error(`${who}: GET ${url}: ${r.status}`);
      return r.ms;
    };
    for (const q of qs) for (const who of ['argmap', 'publicInbox'] as const) await ask(who, q);
    for (let i = 0; i < o.rounds; i++)
      for (const q of qs)
        for (const who of ['argmap', 'publicInbox'] as const) search[who].push(await ask(who, q));
    result.search = {
      queries: qs.length,
      argmap: latencies(search.argmap),
      publicInbox: latencies(search.publicInbox),
      ratioP95: +(quantile(search.publicInbox, 0.95) / quantile(search.argmap, 0.95)).toFixed(2),
    };
  } finally {
    am.kill('SIGTERM');
    pi.kill('SIGTERM');
    msgmap.close();
  }
  writeFileSync(join(o.out, 'results.json'), JSON.stringify(result, null, 2));
  if (o.json) console.log(JSON.stringify(result, null, 2));
  else {
    const p = result.pages as Record<string, Record<string, Record<string, Record<string, number>>>>;
    const lines = [
      '| thread size | argmap cold p50 / warm p95 | public-inbox cold p50 / warm p95 | ratio cold / warm | page KB (argmap / p-i) |',
      '|---|---:|---:|---:|---:|',
    ];
    for (const [k, v] of Object.entries(p)) {
      const a = v.argmap!;
      const b = v.publicInbox!;
      lines.push(
        `| ~${k} | ${a.cold!.p50} / ${a.warm!.p95} ms | ${b.cold!.p50} / ${b.warm!.p95} ms | ${v.ratioColdP50}× / ${v.ratioWarmP95}× | ${a.maxPageKB} / ${b.maxPageKB} |`,
      );
    }
    const s = result.search as Record<string, Record<string, number>>;
    lines.push(
      '',
      `search p50 / p95: argmap ${s.argmap!.p50} / ${s.argmap!.p95} ms, public-inbox ${s.publicInbox!.p50} / ${s.publicInbox!.p95} ms (ratio ${s.ratioP95 as unknown as number}×)`,
    );
    console.log(
      `${JSON.stringify({ publicInbox: result.publicInbox, argmap: result.argmap })}\n\n${lines.join('\n')}`,
    );
  }
}

await main();
