/**
 * Hypermail page benchmark (issue 12): `npm run bench:hypermail -- [--seed N] [--out DIR] [--cli PATH]
 * [--whole-threads] [--json]`. See bench/hypermail/README.md for what is measured and the exact rules.
 *
 * From the bundled raw mail it draws (seeded) replies whose In-Reply-To parent is held, renders each
 * as an id-less hypermail page (text form or HTML form, half each), and runs argmap's CLI on fresh
 * archives:
 *   (a) raw copies absent — the bundled mail without the chosen replies, plus their pages: how many
 *       pages end up under their true parent, and how many are (always falsely) merged;
 *   (b) raw copies present — all the bundled mail plus the pages: how many pages are merged with
 *       their own raw copy, and how many with another message;
 *   (whole, with --whole-threads) every message of seeded whole threads is a page, no raw copy.
 * It reads the results with better-sqlite3 only, and does not import argmap's code.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { buildCorpus, readMboxes, type Corpus, type RawMessage } from './mail.ts';
import { easternOffsetMinutes, renderHtml, renderText, type Obfuscation } from './render.ts';
import { selectReplies, selectWholeThreads, shuffle, rng } from './select.ts';

const HELP = `bench:hypermail — measure how argmap merges and places hypermail archive pages (issue 12)

Usage:
  npm run bench:hypermail -- [options]
  node --import tsx bench/hypermail/run.ts [options]

Options:
      --seed N           selection seed (default 12)
      --out DIR          where pages, archives and report.json go (default /tmp/hypermail-bench)
      --cli PATH         argmap CLI to drive (default bin/argmap.js of this tree)
      --whole-threads    also run the variant where every message of seeded whole threads is a page
      --count N          replies to draw (default 300)
      --cap N            at most N replies per thread (default 25)
      --min-threads N    at least N threads (default 20)
      --obfuscation K    length (default: one x per host character) or fixed (always xxxxxxxx)
      --page-date D      date (default: the Date header) or received (the newest Received header)
      --mail FILE        draw from this mbox instead of the bundled mail (repeatable): an unseen set
      --json             print the report (report.json) on stdout instead of tables
  -h, --help             show this help

The experiments are (a) raw copies absent and (b) raw copies present; see bench/hypermail/README.md.`;

const ROOT = resolve(import.meta.dirname, '..', '..');
const SEED_PAGE = join(ROOT, 'data/corpus/pages/seed-hypermail-20200922-shakeel-butt.txt');
const SEED_ID = 'CALvZod7K9g9mi599c5+ayLeC4__kckv155QQGVMVy2rXXOY1Rw@mail.gmail.com';

interface Args {
  seed: number;
  out: string;
  cli: string;
  wholeThreads: boolean;
  count: number;
  cap: number;
  minThreads: number;
  obfuscation: Obfuscation;
  pageDate: 'date' | 'received';
  mail: string[];
  json: boolean;
}

function parseArgs(argv: string[]): Args | null {
  const a: Args = {
    seed: 12,
    out: '/tmp/hypermail-bench',
    cli: join(ROOT, 'bin/argmap.js'),
    wholeThreads: false,
    count: 300,
    cap: 25,
    minThreads: 20,
    obfuscation: 'length',
    pageDate: 'date',
    mail: [],
    json: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    const val = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${k} needs a value`);
      return v;
    };
    const int = (): number => {
      const v = val();
      if (!/^\d+$/.test(v)) throw new Error(`${k} needs a whole number, not ${JSON.stringify(v)}`);
      return Number(v);
    };
    if (k === '-h' || k === '--help') return null;
    else if (k === '--json') a.json = true;
    else if (k === '--whole-threads') a.wholeThreads = true;
    else if (k === '--seed') a.seed = int();
    else if (k === '--count') a.count = int();
    else if (k === '--cap') a.cap = int();
    else if (k === '--min-threads') a.minThreads = int();
    else if (k === '--out') a.out = resolve(val());
    else if (k === '--cli') a.cli = resolve(val());
    else if (k === '--obfuscation') {
      const v = val();
      if (v !== 'length' && v !== 'fixed') throw new Error('--obfuscation is length or fixed');
      a.obfuscation = v;
    } else if (k === '--page-date') {
      const v = val();
      if (v !== 'date' && v !== 'received') throw new Error('--page-date is date or received');
      a.pageDate = v;
    } else if (k === '--mail') a.mail.push(resolve(val()));
    else throw new Error(`unknown option ${k} (see --help)`);
  }
  return a;
}

/** The bundled raw mail: the generated archive extract and the corpus's key threads. */
function bundledMboxes(): string[] {
  const dir = join(ROOT, 'data/corpus/threads');
  return [
    join(ROOT, 'data/archive/threads.mbox'),
    ...readdirSync(dir)
      .filter((f) => f.endsWith('.mbox'))
      .sort()
      .map((f) => join(dir, f)),
  ];
}

// ---------------------------------------------------------------------------------------------
// Pages

interface Page {
  /** Absolute path of the page file. */
  file: string;
  /** Path relative to the out directory (what the report shows). */
  name: string;
  form: 'text' | 'html';
  messageId: string;
  /** The true parent's Message-ID (null for a thread root in the whole-thread variant). */
  parentId: string | null;
  /** The true parent is itself a page of this experiment: its name. */
  parentPage: string | null;
  thread: string;
  author: string;
}

function pageTime(m: RawMessage, a: Args): number | undefined {
  return a.pageDate === 'received' ? (m.receivedMs ?? undefined) : undefined;
}

/**
 * Write the pages of `ids` into `dir`, numbered in date order as hypermail numbers its pages;
 * the form of each (text or HTML) is drawn with the seed, half each.
 */
function writePages(c: Corpus, ids: string[], dir: string, out: string, a: Args, salt: number): Page[] {
  mkdirSync(dir, { recursive: true });
  const forms = new Map<string, 'text' | 'html'>();
  shuffle([...ids].sort(), rng(a.seed ^ salt)).forEach((id, i) =>
    forms.set(id, i < Math.ceil(ids.length / 2) ? 'text' : 'html'),
  );
  const byDate = [...ids].sort((x, y) => c.byId.get(x)!.dateMs! - c.byId.get(y)!.dateMs! || (x < y ? -1 : 1));
  const names = new Map<string, string>();
  byDate.forEach((id, i) => {
    const ext = forms.get(id) === 'text' ? 'txt' : 'html';
    names.set(id, join(dir, `${String(i).padStart(5, '0')}.${ext}`));
  });
  const set = new Set(ids);
  const pages: Page[] = [];
  for (const id of byDate) {
    const m = c.byId.get(id)!;
    const form = forms.get(id)!;
    const o = { obfuscation: a.obfuscation, ids: false, receivedMs: pageTime(m, a) };
    const file = names.get(id)!;
    writeFileSync(file, form === 'text' ? renderText(m, o) : renderHtml(m, o));
    const parentId = c.parentHeader.get(id) === 'in-reply-to' ? c.parentOf.get(id)! : null;
    pages.push({
      file,
      name: relative(out, file),
      form,
      messageId: id,
      parentId,
      parentPage: parentId && set.has(parentId) ? relative(out, names.get(parentId)!) : null,
      thread: c.threadOf.get(id)!,
      author: m.fromName || m.fromAddr,
    });
  }
  return pages;
}

/** Copy the bundled mboxes into `dir` without the messages `drop` holds (entries kept byte for byte). */
function writeFilteredMail(c: Corpus, files: string[], drop: (id: string) => boolean, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const out: string[] = [];
  for (const f of files) {
    const kept = c.entries.filter((e) => e.entry.file === f && !(e.messageId && drop(e.messageId)));
    const name = join(dir, f.includes('/corpus/threads/') ? `corpus-${basename(f)}` : basename(f));
    writeFileSync(name, Buffer.concat(kept.map((e) => e.entry.bytes)));
    out.push(name);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Running argmap

interface IngestRun {
  seconds: number;
  exitCode: number | null;
  added: number | null;
  stderrTail: string;
}

function ingest(cli: string, db: string, paths: string[]): IngestRun {
  mkdirSync(dirname(db), { recursive: true });
  rmSync(db, { force: true });
  rmSync(db + '-wal', { force: true });
  rmSync(db + '-shm', { force: true });
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, 'ingest', '--db', db, '--json', ...paths], {
    cwd: dirname(db),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = (performance.now() - t0) / 1000;
  let added: number | null = null;
  try {
    const j = JSON.parse(r.stdout) as { sources?: { added?: number }[] };
    added = (j.sources ?? []).reduce((s, x) => s + (x.added ?? 0), 0);
  } catch {
    // not JSON: the exit code and stderr say what happened
  }
  if (r.status !== 0)
    throw new Error(
      `argmap ingest failed (${r.error?.message ?? `exit ${r.status}`}) for ${db}:\n${(r.stderr ?? '').slice(-2000)}`,
    );
  return { seconds, exitCode: r.status, added, stderrTail: (r.stderr ?? '').slice(-500) };
}

// ---------------------------------------------------------------------------------------------
// Reading the result

interface Row {
  page: string;
  form: 'text' | 'html';
  thread: string;
  messageId: string;
  trueParent: string | null;
  placedParent: string | null;
  /** How the archive says the parent was found (messages.parent_reason), if it records it. */
  evidence: string | null;
  mergedInto: string | null;
  /** (a)/whole: placed under the true parent and not merged. (b): merged with its own raw copy. */
  correct: boolean;
  /** The page is not in the archive at all. */
  missing: boolean;
}

interface MsgRow {
  id: number;
  message_id: string;
  parent_id: number | null;
  is_ghost: number;
  [k: string]: unknown;
}

class Archive {
  private db: Database.Database;
  private sourceByPath = new Map<string, number>();
  private rowOfPage = new Map<string, number | null>();
  private pageOfRow = new Map<number, string[]>();
  private merged = new Map<string, boolean>();
  readonly evidenceColumns: string[];

  constructor(file: string, pages: Page[]) {
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    // `path` is the absolute path (docs/schema.md); some versions leave it NULL, and then `location`
    // (the path as given: absolute here, relative to the ingest's working directory otherwise) names it.
    const sources = this.db.prepare('SELECT id, location, path FROM sources').all() as {
      id: number;
      location: string;
      path: string | null;
    }[];
    for (const s of sources) this.sourceByPath.set(s.path ?? resolve(dirname(file), s.location), s.id);
    const cols = (this.db.prepare('PRAGMA table_info(messages)').all() as { name: string }[]).map(
      (c) => c.name,
    );
    this.evidenceColumns = cols.filter((c) => c.startsWith('parent_') && c !== 'parent_id');
    for (const p of pages) this.locate(p);
  }

  private locate(p: Page): void {
    const src = this.sourceByPath.get(p.file);
    let row: number | null = null;
    let merged = false;
    if (src !== undefined) {
      const ms = this.db.prepare('SELECT message_id FROM message_sources WHERE source_id = ?').get(src) as
        { message_id: number } | undefined;
      const copy = this.db.prepare('SELECT message_id FROM message_copies WHERE source_id = ?').get(src) as
        { message_id: number } | undefined;
      row = ms?.message_id ?? copy?.message_id ?? null;
      if (row !== null) {
        const others = this.db
          .prepare('SELECT COUNT(*) AS n FROM message_sources WHERE message_id = ? AND source_id != ?')
          .get(row, src) as { n: number };
        const primary = this.db.prepare('SELECT format FROM message_raw WHERE message_id = ?').get(row) as
          { format: string } | undefined;
        merged =
          copy !== undefined ||
          others.n > 0 ||
          (primary !== undefined && !primary.format.startsWith('hypermail'));
      }
    }
    this.rowOfPage.set(p.name, row);
    this.merged.set(p.name, merged);
    if (row !== null) this.pageOfRow.set(row, [...(this.pageOfRow.get(row) ?? []), p.name]);
  }

  row(id: number): MsgRow | undefined {
    const extra = this.evidenceColumns.map((c) => `, "${c}"`).join('');
    return this.db
      .prepare(`SELECT id, message_id, parent_id, is_ghost${extra} FROM messages WHERE id = ?`)
      .get(id) as MsgRow | undefined;
  }

  rowOf(page: string): number | null {
    return this.rowOfPage.get(page) ?? null;
  }

  isMerged(page: string): boolean {
    return this.merged.get(page) ?? false;
  }

  byMessageId(id: string): number | null {
    const r = this.db.prepare('SELECT id FROM messages WHERE message_id = ?').get(id) as
      { id: number } | undefined;
    return r?.id ?? null;
  }

  /** A row as the report names it: `page:<file>` for an unmerged page, else its Message-ID. */
  label(id: number | null): string | null {
    if (id === null) return null;
    const r = this.row(id);
    if (!r) return `row:${id}`;
    const pages = this.pageOfRow.get(id);
    if (pages && r.message_id.startsWith('synthetic-')) return `page:${pages.join('+')}`;
    return r.is_ghost ? `ghost:${r.message_id}` : r.message_id;
  }

  problems(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.db
      .prepare('SELECT code, COUNT(*) AS n FROM ingest_problems GROUP BY code')
      .all() as {
      code: string;
      n: number;
    }[])
      out[r.code] = r.n;
    return out;
  }

  close(): void {
    this.db.close();
  }
}

/** The row the true parent must be: the page's row when the parent is a page here, else the raw message's. */
function trueParentRow(ar: Archive, p: Page): number | null {
  if (p.parentPage) return ar.rowOf(p.parentPage);
  return p.parentId ? ar.byMessageId(p.parentId) : null;
}

/** What the archive made of one page: the fields both experiments report, and whether it was correct. */
function pageRow(
  ar: Archive,
  p: Page,
  trueParent: string | null,
  isCorrect: (r: Record<string, unknown> | undefined, merged: boolean) => boolean,
): Row {
  const rowId = ar.rowOf(p.name);
  const r = rowId === null ? undefined : ar.row(rowId);
  const merged = ar.isMerged(p.name);
  const evidence =
    r && ar.evidenceColumns.includes('parent_reason') ? ((r.parent_reason as string) ?? null) : null;
  return {
    page: p.name,
    form: p.form,
    thread: p.thread,
    messageId: p.messageId,
    trueParent,
    placedParent: r ? ar.label(r.parent_id) : null,
    evidence: r && r.parent_id !== null ? (evidence ?? 'unrecorded') : null,
    mergedInto: merged && rowId !== null ? ar.label(rowId) : null,
    correct: isCorrect(r, merged),
    missing: rowId === null,
  };
}

/** Experiment (a): each page must stay a message of its own, under its true parent. */
function placementRows(ar: Archive, pages: Page[]): Row[] {
  return pages.map((p) => {
    const want = trueParentRow(ar, p);
    return pageRow(
      ar,
      p,
      p.parentPage ? `page:${p.parentPage}` : p.parentId,
      (r, merged) => !!r && !merged && want !== null && r.parent_id === want,
    );
  });
}

/** Experiment (b): each page must be merged with its own raw copy. */
function mergeRows(ar: Archive, pages: Page[]): Row[] {
  return pages.map((p) =>
    pageRow(ar, p, p.parentId, (r, merged) => merged && !!r && r.message_id === p.messageId),
  );
}

const share = (n: number, d: number): number => (d ? Math.round((1000 * n) / d) / 10 : 0);

function countBy(rows: Row[], key: (r: Row) => string): Record<string, { pages: number; correct: number }> {
  const out: Record<string, { pages: number; correct: number }> = {};
  for (const r of rows) {
    const k = key(r);
    out[k] ??= { pages: 0, correct: 0 };
    out[k].pages++;
    if (r.correct) out[k].correct++;
  }
  return out;
}

/**
 * Ingest `inputs` into a new archive at `db` and score where the pages' messages were placed:
 * experiment (a) and the whole-thread experiment, which differ only in what they ingest.
 */
function placementExperiment(cli: string, db: string, inputs: string[], pages: Page[]) {
  const run = ingest(cli, db, inputs);
  const ar = new Archive(db, pages);
  const rows = placementRows(ar, pages);
  const exp = {
    ingest: { ...run, problems: ar.problems() },
    evidenceColumns: ar.evidenceColumns,
    summary: placementSummary(rows),
    rows,
  };
  ar.close();
  return exp;
}

function placementSummary(rows: Row[]) {
  const scored = rows.filter((r) => r.trueParent !== null);
  const correct = scored.filter((r) => r.correct).length;
  return {
    pages: rows.length,
    scored: scored.length,
    placedUnderTrueParent: correct,
    sharePercent: share(correct, scored.length),
    merged: rows.filter((r) => r.mergedInto !== null).length,
    unplaced: scored.filter((r) => !r.missing && r.mergedInto === null && r.placedParent === null).length,
    placedElsewhere: scored.filter((r) => !r.correct && r.mergedInto === null && r.placedParent !== null)
      .length,
    missing: rows.filter((r) => r.missing).length,
    rootsPlacedUnderAMessage: rows.filter((r) => r.trueParent === null && r.placedParent !== null).length,
    byEvidence: countBy(scored, (r) => (r.mergedInto ? 'merged' : (r.evidence ?? 'none'))),
    byForm: countBy(scored, (r) => r.form),
    byParentKind: countBy(scored, (r) =>
      r.trueParent?.startsWith('page:') ? 'parent is a page' : 'parent is raw',
    ),
  };
}

function mergeSummary(rows: Row[]) {
  const own = rows.filter((r) => r.correct).length;
  return {
    pages: rows.length,
    mergedWithOwnRaw: own,
    sharePercent: share(own, rows.length),
    falseMerges: rows.filter((r) => r.mergedInto !== null && !r.correct).length,
    notMerged: rows.filter((r) => r.mergedInto === null && !r.missing).length,
    missing: rows.filter((r) => r.missing).length,
    byForm: countBy(rows, (r) => r.form),
  };
}

// ---------------------------------------------------------------------------------------------
// The seed page check

function seedCheck(c: Corpus, a: Args) {
  const m = c.byId.get(SEED_ID);
  const expected = readFileSync(SEED_PAGE, 'utf8').split('\n');
  if (!m) return { compared: false, reason: `raw copy ${SEED_ID} not found` };
  const actual = renderText(m, { obfuscation: a.obfuscation, receivedMs: pageTime(m, a) }).split('\n');
  const differences: { line: number; seed: string | null; rendered: string | null }[] = [];
  for (let i = 0; i < Math.max(expected.length, actual.length); i++)
    if (expected[i] !== actual[i])
      differences.push({ line: i + 1, seed: expected[i] ?? null, rendered: actual[i] ?? null });
  return { compared: true, seedLines: expected.length, renderedLines: actual.length, differences };
}

/** The renderer's Eastern-time rules against the ICU time-zone data, for every message's date. */
function dstCheck(c: Corpus): { dates: number; disagreements: number } {
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', timeZoneName: 'shortOffset' });
  let n = 0;
  let bad = 0;
  for (const m of c.byId.values()) {
    if (m.dateMs === null) continue;
    n++;
    const name = fmt.formatToParts(m.dateMs).find((x) => x.type === 'timeZoneName')?.value ?? '';
    const icu = name === 'GMT-4' ? -240 : name === 'GMT-5' ? -300 : NaN;
    if (icu !== easternOffsetMinutes(m.dateMs)) bad++;
  }
  return { dates: n, disagreements: bad };
}

// ---------------------------------------------------------------------------------------------

function table(rows: (string | number)[][]): string {
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows
    .map((r) =>
      r
        .map((x, i) => (typeof x === 'number' ? String(x).padStart(w[i]!) : String(x).padEnd(w[i]!)))
        .join('  '),
    )
    .join('\n');
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  if (!a) {
    console.log(HELP);
    return;
  }
  if (!existsSync(a.cli)) throw new Error(`argmap CLI not found: ${a.cli}`);
  const t0 = performance.now();
  const log = (s: string): void => {
    if (!a.json) console.error(s);
  };
  const files = a.mail.length ? a.mail : bundledMboxes();
  const c = buildCorpus(await readMboxes(files));
  log(`read ${c.entries.length} raw entries (${c.byId.size} messages) from ${files.length} mbox files`);

  mkdirSync(a.out, { recursive: true });
  for (const sub of ['pages', 'a', 'b', 'whole']) rmSync(join(a.out, sub), { recursive: true, force: true });

  const opts = { seed: a.seed, count: a.count, cap: a.cap, minThreads: a.minThreads };
  const sel = selectReplies(c, opts);
  if (sel.ids.length < a.count || sel.byThread.size < a.minThreads)
    throw new Error(`only ${sel.ids.length} replies from ${sel.byThread.size} threads could be drawn`);
  log(`seed ${a.seed}: ${sel.ids.length} replies from ${sel.byThread.size} threads`);
  const chosen = new Set(sel.ids);
  const pages = writePages(c, sel.ids, join(a.out, 'pages'), a.out, a, 0x7e47);

  // (a) raw copies absent
  const mailA = writeFilteredMail(c, files, (id) => chosen.has(id), join(a.out, 'a', 'mail'));
  const expA = placementExperiment(
    a.cli,
    join(a.out, 'a', 'archive.sqlite'),
    [...mailA, join(a.out, 'pages')],
    pages,
  );
  log(`(a) done in ${expA.ingest.seconds.toFixed(1)} s`);

  // (b) raw copies present
  const runB = ingest(a.cli, join(a.out, 'b', 'archive.sqlite'), [...files, join(a.out, 'pages')]);
  const arB = new Archive(join(a.out, 'b', 'archive.sqlite'), pages);
  const rowsB = mergeRows(arB, pages);
  const expB = { ingest: { ...runB, problems: arB.problems() }, summary: mergeSummary(rowsB), rows: rowsB };
  arB.close();
  log(`(b) done in ${runB.seconds.toFixed(1)} s`);

  // whole threads: no raw copy of the chosen threads at all
  let expW: Record<string, unknown> | null = null;
  if (a.wholeThreads) {
    const wholeThreads = selectWholeThreads(c, opts);
    const tset = new Set(wholeThreads);
    const ids = [...c.byId.keys()].filter(
      (id) => tset.has(c.threadOf.get(id)!) && c.byId.get(id)!.dateMs !== null,
    );
    const wpages = writePages(c, ids, join(a.out, 'whole', 'pages'), a.out, a, 0x3401);
    const mailW = writeFilteredMail(
      c,
      files,
      (id) => tset.has(c.threadOf.get(id) ?? ''),
      join(a.out, 'whole', 'mail'),
    );
    const exp = placementExperiment(
      a.cli,
      join(a.out, 'whole', 'archive.sqlite'),
      [...mailW, join(a.out, 'whole', 'pages')],
      wpages,
    );
    expW = {
      threads: wholeThreads.map((t) => ({
        thread: t,
        subject: c.byId.get(t)?.subject ?? null,
        pages: wpages.filter((p) => p.thread === t).length,
      })),
      ...exp,
    };
    log(`(whole) done in ${exp.ingest.seconds.toFixed(1)} s`);
  }

  const wallSeconds = Math.round((performance.now() - t0) / 100) / 10;
  const report = {
    bench: 'hypermail',
    generatedAt: new Date().toISOString(),
    seed: a.seed,
    options: { ...a, json: undefined },
    wallSeconds,
    seedCheck: seedCheck(c, a),
    dstCheck: dstCheck(c),
    selection: {
      candidates: sel.candidates,
      candidateThreads: sel.candidateThreads,
      replies: sel.ids.length,
      threads: [...sel.byThread].map(([t, ids]) => ({
        thread: t,
        subject: c.byId.get(t)?.subject ?? null,
        replies: ids.length,
      })),
      sameAuthorPairs: sel.sameAuthorPairs.length,
      forms: {
        text: pages.filter((p) => p.form === 'text').length,
        html: pages.filter((p) => p.form === 'html').length,
      },
      parentIsAPage: pages.filter((p) => p.parentPage).length,
      messageIds: sel.ids,
    },
    experiments: { a: expA, b: expB, ...(expW ? { whole: expW } : {}) },
  };
  writeFileSync(join(a.out, 'report.json'), JSON.stringify(report, null, 2) + '\n');

  if (a.json) {
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    return;
  }
  const sa = expA.summary;
  const sb = expB.summary;
  console.log(`\nhypermail bench — seed ${a.seed}, CLI ${a.cli}`);
  console.log(
    `selection: ${sel.ids.length} replies from ${sel.byThread.size} threads ` +
      `(${report.selection.forms.text} text, ${report.selection.forms.html} HTML; ` +
      `${report.selection.parentIsAPage} with a page as parent; ${sel.sameAuthorPairs.length} same-author ancestor pairs)\n`,
  );
  const lines: (string | number)[][] = [
    ['experiment', 'pages', 'figure', 'value', 'share %'],
    ['(a) raw absent', sa.scored, 'placed under true parent', sa.placedUnderTrueParent, sa.sharePercent],
    ['', '', 'merged (all false)', sa.merged, share(sa.merged, sa.pages)],
    ['', '', 'placed elsewhere', sa.placedElsewhere, share(sa.placedElsewhere, sa.scored)],
    ['', '', 'left unplaced', sa.unplaced, share(sa.unplaced, sa.scored)],
    ['(b) raw present', sb.pages, 'merged with own raw copy', sb.mergedWithOwnRaw, sb.sharePercent],
    ['', '', 'merged with another message', sb.falseMerges, share(sb.falseMerges, sb.pages)],
    ['', '', 'not merged', sb.notMerged, share(sb.notMerged, sb.pages)],
  ];
  if (expW) {
    const sw = expW.summary as ReturnType<typeof placementSummary>;
    lines.push(
      ['(whole) threads', sw.scored, 'placed under true parent', sw.placedUnderTrueParent, sw.sharePercent],
      ['', '', 'merged (all false)', sw.merged, share(sw.merged, sw.pages)],
      ['', '', 'roots placed under a message', sw.rootsPlacedUnderAMessage, ''],
    );
  }
  console.log(table(lines));
  const ev = (title: string, s: ReturnType<typeof placementSummary>): void => {
    console.log(`\n${title}: placement by evidence (${expA.evidenceColumns.join(', ') || 'not recorded'})`);
    console.log(
      table([
        ['evidence', 'pages', 'correct', 'share %'],
        ...Object.entries(s.byEvidence)
          .sort()
          .map(([k, v]) => [k, v.pages, v.correct, share(v.correct, v.pages)]),
        ...Object.entries(s.byForm)
          .sort()
          .map(([k, v]) => [`form: ${k}`, v.pages, v.correct, share(v.correct, v.pages)]),
        ...Object.entries(s.byParentKind)
          .sort()
          .map(([k, v]) => [k, v.pages, v.correct, share(v.correct, v.pages)]),
      ]),
    );
  };
  ev('(a)', sa);
  if (expW) ev('(whole)', expW.summary as ReturnType<typeof placementSummary>);
  const sc = report.seedCheck;
  console.log(
    `\nseed page check: ${sc.compared ? `${sc.differences?.length ?? 0} differing line(s)` : sc.reason}; ` +
      `Eastern-time rules vs ICU: ${report.dstCheck.disagreements} of ${report.dstCheck.dates} dates differ`,
  );
  console.log(
    `report: ${join(a.out, 'report.json')} (pages in ${join(a.out, 'pages')}); wall time ${wallSeconds} s`,
  );
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
