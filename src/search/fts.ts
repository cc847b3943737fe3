/**
 * The SQLite FTS5 side of search: keeping `search_fts` up to date after ingest, and running a
 * parsed query (src/search/query.ts) against it for `argmap search`. Each clause of the query is
 * evaluated to a set of messages (FTS5 for words, src/search/facets.ts for `type:` `status:`
 * `stance:` `topic:`), sets are intersected (AND) and subtracted (NOT), the date range is applied,
 * and the survivors are ranked by BM25 over all positive words.
 */
import type { Db } from '../store/db.ts';
import { SearchTables, type HitRow, type IndexSource } from '../store/search-tables.ts';
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

/** Bring `search_fts` up to date: the added messages, or everything when the index is new or stale. */
export function refreshSearchIndex(db: Db, added: number[]): { indexed: number; rebuilt: boolean } {
  const tables = new SearchTables(db);
  const rebuild = tables.indexVersion() !== SEARCH_INDEX_VERSION;
  const w = tables.writer();
  let n = 0;
  const put = (r: IndexSource): void => {
    w.put(r.id, r.subject ?? '', `${r.name ?? ''} ${r.addr ?? ''}`, ownText(r.body ?? '', FTS_TEXT_CAP));
    n++;
  };
  db.transaction(() => {
    if (rebuild) {
      tables.clear();
      for (let after = 0; ;) {
        const rows = tables.sourcesAfter(after, 1000);
        if (!rows.length) break;
        for (const r of rows) put(r);
        after = rows[rows.length - 1]!.id;
        relieveHeap();
      }
      tables.setIndexVersion(SEARCH_INDEX_VERSION);
    } else {
      for (const id of added) {
        w.remove(id);
        const r = tables.source(id);
        if (r) put(r);
      }
    }
  })();
  return { indexed: n, rebuilt: rebuild };
}

/** Whether the archive has a search index built by an older version of the own-text rules. */
export function searchIndexStale(db: Db): boolean {
  return new SearchTables(db).indexVersion() !== SEARCH_INDEX_VERSION;
}

/** Whether the archive's search index is current. */
export function searchIndexReady(db: Db): boolean {
  return !searchIndexStale(db);
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

export interface FtsHit extends HitRow {
  score: number;
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
  const tables = new SearchTables(db);
  const setOf = (alt: Term | Facet): Set<number> => {
    if (isFacet(alt)) {
      const key = `${alt.field}:${facetTerm(alt.value)}`;
      let s = facetSets.get(key);
      if (!s) {
        facets ??= new Facets(db, opts.records ?? []);
        s = facets.members(alt.field, facetTerm(alt.value));
        facetSets.set(key, s);
      }
      return s;
    }
    try {
      return new Set(tables.matching(ftsTerm(alt)));
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
  // Date range and exclusions over the candidates (or every message when only a date was given).
  const dates = new Map<number, string>();
  const candidates = acc === null ? tables.idsInDateRange(q.date?.from, q.date?.until) : [...acc];
  const ids: number[] = [];
  for (const id of candidates) {
    if (excluded.has(id)) continue;
    const d = tables.dateOf(id);
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
      for (const r of tables.bm25(expr, WEIGHTS)) score.set(r.id, r.s);
    } catch {
      // ranking only; the sets above already reported errors
    }
  }
  ids.sort(
    (a, b) =>
      (score.get(a) ?? 0) - (score.get(b) ?? 0) ||
      (dates.get(b)! < dates.get(a)! ? -1 : dates.get(b)! > dates.get(a)! ? 1 : b - a),
  );
  const hitOf = (id: number): FtsHit => ({
    ...tables.hit(id),
    score: -(score.get(id) ?? 0),
  });
  if (opts.byThread) {
    const best = new Map<number, { id: number; count: number }>();
    for (const id of ids) {
      // A message without a thread stands alone (keyed by its own negated id).
      const t = tables.threadOf(id) ?? -id;
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
