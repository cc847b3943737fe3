/**
 * The SQLite FTS5 side of search: keeping `search_fts` up to date after ingest, and running a
 * parsed query (src/search/query.ts) against it for `argmap search`. Each clause of the query is
 * evaluated to a set of messages (FTS5 for words, src/search/facets.ts for `type:` `status:`
 * `stance:` `topic:`), sets are intersected (AND) and subtracted (NOT), the date range is applied,
 * and the survivors are ranked by BM25 over all positive words.
 */
import type { Db } from '../store/db.ts';
import { getMeta, setMeta } from '../store/db.ts';
import { ownText } from '../mail/owntext.ts';
import { Facets } from './facets.ts';
import { isFacet, type Clause, type Facet, type ParsedQuery, type Term } from './query.ts';
import { facetTerm } from './index-build.ts';
import type { DecisionRecord } from '../decisions/record.ts';
import { relieveHeap } from '../util/heap.ts';

/**
 * Version of what the index holds; bump it when own-text extraction or the columns change, and
 * the next ingest rebuilds the index.
 */
export const SEARCH_INDEX_VERSION = '2';
/** Own text indexed per message for the CLI (characters); the site's lunr index uses less. */
export const FTS_TEXT_CAP = 20_000;
/** Column weights for bm25(): subject, author, own text (as the site's field boosts). */
const WEIGHTS = '3.0, 2.0, 1.0';

function hasFts(db: Db): boolean {
  return Boolean(db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'search_fts'").get());
}

/** Bring `search_fts` up to date: the added messages, or everything when the index is new or stale. */
export function refreshSearchIndex(db: Db, added: number[]): { indexed: number; rebuilt: boolean } {
  if (!hasFts(db)) return { indexed: 0, rebuilt: false };
  const rebuild = getMeta(db, 'search_index_version') !== SEARCH_INDEX_VERSION;
  const del = db.prepare('DELETE FROM search_fts WHERE rowid = ?');
  const ins = db.prepare('INSERT INTO search_fts(rowid, subject, author, body) VALUES (?, ?, ?, ?)');
  const get = db.prepare(
    'SELECT id, subject, from_name AS name, from_addr AS addr, body FROM messages WHERE id = ? AND is_ghost = 0',
  );
  type Row = {
    id: number;
    subject: string | null;
    name: string | null;
    addr: string | null;
    body: string | null;
  };
  let n = 0;
  const put = (r: Row): void => {
    ins.run(r.id, r.subject ?? '', `${r.name ?? ''} ${r.addr ?? ''}`, ownText(r.body ?? '', FTS_TEXT_CAP));
    n++;
  };
  db.transaction(() => {
    if (rebuild) {
      db.prepare("INSERT INTO search_fts(search_fts) VALUES ('delete-all')").run();
      // In batches: better-sqlite3 cannot insert while a SELECT on the same connection is open.
      const batch = db.prepare(
        'SELECT id, subject, from_name AS name, from_addr AS addr, body FROM messages WHERE is_ghost = 0 AND id > ? ORDER BY id LIMIT 1000',
      );
      for (let after = 0; ;) {
        const rows = batch.all(after) as Row[];
        if (!rows.length) break;
        for (const r of rows) put(r);
        after = rows[rows.length - 1]!.id;
        relieveHeap();
      }
      setMeta(db, 'search_index_version', SEARCH_INDEX_VERSION);
    } else {
      for (const id of added) {
        del.run(id);
        const r = get.get(id) as Row | undefined;
        if (r) put(r);
      }
    }
  })();
  return { indexed: n, rebuilt: rebuild };
}

/** Whether the archive has a search index built by an older version of the own-text rules. */
export function searchIndexStale(db: Db): boolean {
  return hasFts(db) && getMeta(db, 'search_index_version') !== SEARCH_INDEX_VERSION;
}

/** Whether the archive's search index is present and current. */
export function searchIndexReady(db: Db): boolean {
  return hasFts(db) && getMeta(db, 'search_index_version') === SEARCH_INDEX_VERSION;
}

function quote(s: string): string {
  return '"' + s.replace(/"/g, '""') + '"';
}

const COLUMNS: Record<Term['field'], string> = {
  any: '{subject author body}',
  subject: 'subject',
  author: 'author',
  body: 'body',
};

/** One text alternative as an FTS5 expression. */
export function ftsTerm(t: Term): string {
  const phrase = quote(t.text) + (t.prefix ? '*' : '');
  return `${COLUMNS[t.field]} : ${phrase}`;
}

export interface FtsHit {
  rowId: number;
  messageId: string;
  date: string | null;
  from: string;
  subject: string | null;
  threadRoot: string | null;
  threadSubject: string | null;
  score: number;
  body: string | null;
  /** With `byThread`: how many of the matches are in this hit's thread. */
  threadHits?: number;
}

export interface FtsResult {
  /** Matching messages. */
  total: number;
  /** With `byThread`: the threads they are in. */
  threads?: number;
  hits: FtsHit[];
  errors: string[];
}

/** Run a parsed query. `records` feed the decision-derived facets (type:objection, status:…). */
export function searchFts(
  db: Db,
  q: ParsedQuery,
  opts: {
    limit?: number;
    records?: DecisionRecord[];
    /** One hit per thread (its best match) with the thread's match count, as the site's threads view. */
    byThread?: boolean;
  } = {},
): FtsResult {
  const errors = [...q.errors];
  if (!searchIndexReady(db)) throw new Error('the archive has no current search index (run argmap ingest)');
  const limit = opts.limit ?? 20;
  let facets: Facets | null = null;
  const facetSets = new Map<string, Set<number>>();
  const textSet = db.prepare('SELECT rowid FROM search_fts WHERE search_fts MATCH ?').pluck();
  const setOf = (alt: Term | Facet): Set<number> => {
    if (isFacet(alt)) {
      const key = `${alt.field}:${facetTerm(alt.value)}`;
      let s = facetSets.get(key);
      if (!s) {
        facets ??= new Facets(db, opts.records ?? []);
        s = facets.members(db, alt.field, facetTerm(alt.value));
        facetSets.set(key, s);
      }
      return s;
    }
    try {
      return new Set(textSet.all(ftsTerm(alt)) as number[]);
    } catch (e) {
      errors.push(`could not search for ${JSON.stringify(alt.text)}: ${(e as Error).message}`);
      return new Set();
    }
  };
  const clauseSet = (c: Clause): Set<number> => {
    const out = new Set<number>();
    for (const a of c.alternatives) for (const id of setOf(a)) out.add(id);
    return out;
  };
  let acc: Set<number> | null = null;
  const excluded = new Set<number>();
  for (const c of q.clauses) {
    const s = clauseSet(c);
    if (c.negate) {
      for (const id of s) excluded.add(id);
      continue;
    }
    if (acc === null) acc = s;
    else {
      const prev: Set<number> = acc;
      acc = new Set([...s].filter((id) => prev.has(id)));
    }
  }
  if (acc === null && !q.date) {
    if (q.clauses.length) errors.push('a query needs at least one word or filter that is not excluded');
    return { total: 0, hits: [], errors };
  }
  // Date range and exclusions, in SQL over the candidates (or every message when only a date was given).
  const where: string[] = ['m.is_ghost = 0'];
  const params: unknown[] = [];
  if (q.date?.from) {
    where.push('m.date >= ?');
    params.push(q.date.from);
  }
  if (q.date?.until) {
    where.push('m.date < ?');
    params.push(q.date.until);
  }
  const dateOf = db.prepare('SELECT date FROM messages WHERE id = ? AND is_ghost = 0').pluck();
  const dates = new Map<number, string>();
  const candidates = (
    acc === null
      ? db
          .prepare(`SELECT m.id FROM messages m WHERE ${where.join(' AND ')}`)
          .pluck()
          .all(...params)
      : [...acc]
  ) as number[];
  const ids: number[] = [];
  for (const id of candidates) {
    if (excluded.has(id)) continue;
    const d = dateOf.get(id) as string | null | undefined;
    if (d === undefined) continue; // a ghost
    if (q.date && (!d || (q.date.from && d < q.date.from) || (q.date.until && d >= q.date.until))) continue;
    dates.set(id, d ?? '');
    ids.push(id);
  }
  // Rank: BM25 over every positive word (lower is better in SQLite); then newest first.
  const words = q.clauses
    .filter((c) => !c.negate)
    .flatMap((c) => c.alternatives.filter((a): a is Term => !isFacet(a)));
  const score = new Map<number, number>();
  if (words.length) {
    const expr = words.map(ftsTerm).join(' OR ');
    try {
      for (const r of db
        .prepare(
          `SELECT rowid AS id, bm25(search_fts, ${WEIGHTS}) AS s FROM search_fts WHERE search_fts MATCH ?`,
        )
        .iterate(expr) as IterableIterator<{ id: number; s: number }>)
        score.set(r.id, r.s);
    } catch {
      // ranking only; the sets above already reported errors
    }
  }
  const info = db.prepare(
    `SELECT m.id AS rowId, m.message_id AS messageId, m.date, COALESCE(NULLIF(m.from_name, ''), m.from_addr, '') AS "from",
       m.subject, r.message_id AS threadRoot, t.subject AS threadSubject, m.body
     FROM messages m LEFT JOIN threads t ON t.id = m.thread_id LEFT JOIN messages r ON r.id = t.root_message_id
     WHERE m.id = ?`,
  );
  ids.sort(
    (a, b) =>
      (score.get(a) ?? 0) - (score.get(b) ?? 0) ||
      (dates.get(b)! < dates.get(a)! ? -1 : dates.get(b)! > dates.get(a)! ? 1 : b - a),
  );
  const hitOf = (id: number): FtsHit => ({
    ...(info.get(id) as Omit<FtsHit, 'score'>),
    score: -(score.get(id) ?? 0),
  });
  if (opts.byThread) {
    const threadOf = db.prepare('SELECT thread_id FROM messages WHERE id = ?').pluck();
    const best = new Map<number, { id: number; count: number }>();
    for (const id of ids) {
      // A message without a thread stands alone (keyed by its own negated id).
      const t = (threadOf.get(id) as number | null) ?? -id;
      const b = best.get(t);
      if (b) b.count++;
      else best.set(t, { id, count: 1 });
    }
    const groups = [...best.values()];
    const hits = groups.slice(0, limit).map((g) => ({ ...hitOf(g.id), threadHits: g.count }));
    return { total: ids.length, threads: groups.length, hits, errors };
  }
  const hits = ids.slice(0, limit).map(hitOf);
  return { total: ids.length, hits, errors };
}
