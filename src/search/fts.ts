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
import { bodyParts } from '../mail/parts.ts';
import { FacetQuery, type FacetSource } from './facets.ts';
import {
  isExact,
  isFacet,
  isTerm,
  type Alternative,
  type Clause,
  type ParsedQuery,
  type Term,
} from './query.ts';
import { facetTerm } from './index-build.ts';
import { snippet, type SnippetPart } from './engine.ts';
import type { DecisionRecord } from '../decisions/record.ts';
import { relieveHeap } from '../util/heap.ts';
import {
  allowedMisses,
  isPlainWord,
  matchRecords,
  POSTING_WEIGHTS,
  REPLY_WEIGHTS,
  requiredClauses,
  RERANK_DEPTH,
  discussion,
  substance,
  wordCount,
  type RecordHit,
} from './rank.ts';

/**
 * Version of what the index holds; bump it when own-text extraction or the columns change, and
 * the next ingest rebuilds the index.
 */
export const SEARCH_INDEX_VERSION = '5';
/** Own text indexed per message for the CLI (characters); the site's lunr index uses less. */
export const FTS_TEXT_CAP = 20_000;

/** Bring `search_fts` up to date: the added messages, or everything when the index is new or stale. */
export function refreshSearchIndex(db: Db, added: number[]): { indexed: number; rebuilt: boolean } {
  const tables = new SearchTables(db);
  const rebuild = tables.indexVersion() !== SEARCH_INDEX_VERSION;
  const w = tables.writer();
  let n = 0;
  const put = (r: IndexSource): void => {
    const body = r.body ?? '';
    const parts = bodyParts(body);
    const own = ownText(body, FTS_TEXT_CAP);
    w.put(r.id, {
      subject: r.subject ?? '',
      author: `${r.name ?? ''} ${r.addr ?? ''}`,
      body: own,
      quoted: parts.quoted,
      dfn: parts.files,
      // lore's names: dfa is the pre-image (a/) side, the removed lines; dfb the post-image (b/).
      dfa: parts.removed,
      dfb: parts.added,
      dfhh: parts.hunks,
      rcptTo: r.to ?? '',
      rcptCc: r.cc ?? '',
      ownWords: wordCount(own),
    });
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

/** Make the next ingest rebuild the whole index (what it holds of some messages changed). */
export function markSearchIndexStale(db: Db): void {
  new SearchTables(db).forgetIndexVersion();
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

/** The patch's columns: what lore's `nq:` and `b:` search besides the text itself. */
const DIFF_COLUMNS = 'dfn dfa dfb dfhh';

/** FTS5 column filter of each field (docs/search-operators.md). */
const COLUMNS: Record<Term['field'], string> = {
  any: '{subject author body}',
  subject: 'subject',
  author: 'author',
  nq: `{body ${DIFF_COLUMNS}}`,
  q: 'quoted',
  b: `{body quoted ${DIFF_COLUMNS}}`,
  bs: `{subject body quoted ${DIFF_COLUMNS}}`,
  dfn: 'dfn',
  dfa: 'dfa',
  dfb: 'dfb',
  dfhh: 'dfhh',
  t: 'rcpt_to',
  c: 'rcpt_cc',
  tc: '{rcpt_to rcpt_cc}',
  a: '{rcpt_to rcpt_cc author}',
};

/** The FTS5 columns a field searches. */
function columnsOf(field: Term['field']): string[] {
  return COLUMNS[field].replace(/[{}]/g, '').split(' ');
}

/** One text alternative as an FTS5 expression. */
export function ftsTerm(t: Term): string {
  const phrase = quote(t.text) + (t.prefix ? '*' : '');
  return `${COLUMNS[t.field]} : ${phrase}`;
}

export interface FtsHit extends HitRow {
  score: number;
  /** With `byThread`: how many of the matches are in this hit's thread. */
  threadHits?: number;
  /** A message that misses one of the query's words, shown after every full match. */
  partial?: boolean;
}

export interface FtsResult {
  /** Matching messages (full matches only). */
  total: number;
  /** With `byThread`: the threads they are in. */
  threads?: number;
  /** Decision records that answer the query, shown ahead of the messages. */
  records: RecordHit[];
  hits: FtsHit[];
  errors: string[];
}

/** Run a parsed query. `records` feed the decision-derived facets (type:objection, status:…) and the record hits. */
export function searchFts(
  db: Db,
  q: ParsedQuery,
  opts: {
    limit?: number;
    records?: DecisionRecord[];
    /** One hit per thread (its best match) with the thread's match count, as the site's threads view. */
    byThread?: boolean;
    /** Stance facets (`type:objection`, `stance:…`) count only claims at least this sure (0–1). */
    minConfidence?: number;
    /**
     * Facets already loaded for this archive and these records (a server keeps one set for all its
     * searches); they must have been made with the same `minConfidence`.
     */
    facets?: FacetSource;
  } = {},
): FtsResult {
  const errors = [...q.errors];
  if (!searchIndexReady(db)) throw new Error('the archive has no current search index (run argmap ingest)');
  const limit = opts.limit ?? 20;
  let facets: FacetSource | null = opts.facets ?? null;
  const facetSets = new Map<string, Set<number>>();
  const tables = new SearchTables(db);
  const setOf = (alt: Alternative): Set<number> => {
    if (isExact(alt)) {
      if (alt.field === 'mid') {
        const id = tables.idByMessageId(alt.id);
        return new Set(id === undefined ? [] : [id]);
      }
      return new Set(tables.idsByPatchId(alt.id));
    }
    if (isFacet(alt)) {
      const key = `${alt.field}:${facetTerm(alt.value)}`;
      let s = facetSets.get(key);
      if (!s) {
        facets ??= new FacetQuery(db, opts.records ?? [], { minConfidence: opts.minConfidence });
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
  const excluded = new Set<number>();
  for (const c of q.clauses) if (c.negate) for (const id of clauseSet(c)) excluded.add(id);
  const { required, optional } = requiredClauses(q);
  const recordHits = matchRecords(q, opts.records ?? []);
  if (!required.length && !q.date) {
    if (q.clauses.length) errors.push('a query needs at least one word or filter that is not excluded');
    return { total: 0, records: recordHits, hits: [], errors };
  }
  // The word clauses go to FTS5 as one AND query, which walks only the messages holding every one
  // of them and scores them in the same pass (the OR of all the words would make FTS5 score most of
  // the archive whenever the query holds a common word). BM25 is a sum over the query's phrases,
  // each term depending only on that phrase and the message, so on every message that holds all the
  // required words the AND query's score equals the OR query's over the same words, and each
  // optional (stop) word adds what `word AND required` scores beyond `required` on the messages
  // that hold it: the score of the OR of every word, as before, up to float rounding.
  const words = [...required, ...optional].flatMap((c) => c.alternatives.filter(isTerm));
  const wordClause = (c: Clause): boolean => c.alternatives.length > 0 && c.alternatives.every(isTerm);
  const wordExprs = required.map((c) => {
    if (!wordClause(c)) return null;
    const terms = c.alternatives.filter(isTerm).map(ftsTerm);
    return terms.length === 1 ? terms[0]! : `(${terms.join(' OR ')})`;
  });
  const optionalTerms = optional.flatMap((c) => c.alternatives.filter(isTerm));
  let score = new Map<number, number>();
  let scored: number[] | null = null;
  // dates (undefined for a ghost) of the messages the FTS5 queries read, so `keep` need not ask
  let known = new Map<number, string | null | undefined>();
  if (wordExprs.some((e) => e !== null)) {
    try {
      const r = scoreAllOf(
        tables,
        wordExprs.filter((e) => e !== null),
        optionalTerms,
      );
      score = r.score;
      scored = r.rows;
      known = r.dates;
    } catch {
      // a term FTS5 refuses: the per-term sets below report which one
      score.clear();
    }
  }
  // How many required clauses each message satisfies; full matches satisfy all of them.
  const sets: (Set<number> | null)[] = required.map((c) => (scored && wordClause(c) ? null : clauseSet(c)));
  const setAt = (i: number): Set<number> => (sets[i] ??= clauseSet(required[i]!));
  let full: number[];
  let partial: number[] = [];
  if (!required.length) full = tables.idsInDateRange(q.date?.from, q.date?.until);
  else {
    const strictSets = sets.filter((x) => x !== null);
    if (scored) full = scored.filter((id) => strictSets.every((s) => s.has(id)));
    else {
      const [first, ...rest] = required.map((_, i) => setAt(i)).sort((a, b) => a.size - b.size);
      full = [...first!].filter((id) => rest.every((s) => s.has(id)));
    }
    const misses = allowedMisses(required);
    if (misses && full.length < limit && scored) {
      // One plain word may be missing (must-hold clauses, operators and facets, stay strict): the
      // messages that hold every word clause but one plain word k are in the AND of the others,
      // whose BM25 is the OR's too (k contributes nothing to a message without it).
      const isFull = new Set(full);
      const strictSets = sets.filter((x) => x !== null);
      const seen = new Set<number>();
      required.forEach((c, k) => {
        if (!isPlainWord(c)) return;
        const others = wordExprs.filter((e, i) => e !== null && i !== k) as string[];
        if (!others.length) return;
        const r = scoreAllOf(tables, others, optionalTerms);
        for (const id of r.rows) {
          if (isFull.has(id) || seen.has(id) || !strictSets.every((x) => x.has(id))) continue;
          seen.add(id);
          partial.push(id);
          score.set(id, r.score.get(id)!);
          known.set(id, r.dates.get(id));
        }
      });
    } else if (misses && full.length < limit) {
      const strict = required.map((c, i) => (isPlainWord(c) ? null : setAt(i))).filter((x) => x !== null);
      const plain = required.map((c, i) => (isPlainWord(c) ? setAt(i) : null)).filter((x) => x !== null);
      const count = new Map<number, number>();
      for (const s of plain) for (const id of s) count.set(id, (count.get(id) ?? 0) + 1);
      const isFull = new Set(full);
      for (const [id, n] of count)
        if (n >= plain.length - misses && !isFull.has(id) && strict.every((s) => s.has(id))) partial.push(id);
    }
  }
  const keep = (list: number[]): number[] => {
    const out: number[] = [];
    for (const id of list) {
      if (excluded.has(id)) continue;
      const d = known.has(id) ? known.get(id) : tables.dateOf(id);
      if (d === undefined) continue; // a ghost
      if (q.date && (!d || (q.date.from && d < q.date.from) || (q.date.until && d >= q.date.until))) continue;
      dates.set(id, d ?? '');
      out.push(id);
    }
    return out;
  };
  const dates = new Map<number, string>();
  const ids = keep(full);
  partial = keep(partial);
  // Rank: BM25 (lower is better in SQLite), with a reply's inherited subject weighed down; then the
  // substance prior over the best of them; then newest first. Messages the AND query did not score
  // (partial matches, or every match when it could not run) are scored from the OR of the words.
  const unscored = new Set([...ids, ...partial].filter((id) => !score.has(id)));
  if (words.length && unscored.size) {
    try {
      for (const r of tables.bm25Pair(words.map(ftsTerm).join(' OR '), POSTING_WEIGHTS, REPLY_WEIGHTS))
        if (unscored.has(r.id)) score.set(r.id, tables.isReply(r.id) ? r.b : r.a);
    } catch {
      // ranking only; the sets above already reported errors
    }
  }
  const byDate = (a: number, b: number): number =>
    dates.get(b)! < dates.get(a)! ? -1 : dates.get(b)! > dates.get(a)! ? 1 : b - a;
  const rank = (list: number[]): number[] => {
    list.sort((a, b) => (score.get(a) ?? 0) - (score.get(b) ?? 0) || byDate(a, b));
    if (!words.length) return list;
    const head = list.slice(0, RERANK_DEPTH);
    const prior = tables.priorInputs(head);
    for (const id of head) {
      // messagePrior(ownText(body), replies), grouped as it is, from the word count the index
      // stored; a message the index has no count for (none should exist) is counted from its
      // body, not ranked as empty.
      const words = prior.words.get(id) ?? wordCount(ownText(tables.body(id) ?? '', FTS_TEXT_CAP));
      score.set(id, (score.get(id) ?? 0) * (substance(words) * discussion(prior.replies.get(id) ?? 0)));
    }
    head.sort((a, b) => (score.get(a) ?? 0) - (score.get(b) ?? 0) || byDate(a, b));
    return [...head, ...list.slice(RERANK_DEPTH)];
  };
  const ranked = rank(ids);
  const rankedPartial = full.length < limit ? rank(partial).slice(0, limit) : [];
  const isPartial = new Set(rankedPartial);
  const hitOf = (id: number): FtsHit => ({
    ...tables.hit(id),
    score: -(score.get(id) ?? 0),
    ...(isPartial.has(id) ? { partial: true } : {}),
  });
  if (opts.byThread) {
    const best = new Map<number, { id: number; count: number }>();
    for (const id of ranked) {
      // A message without a thread stands alone (keyed by its own negated id).
      const t = tables.threadOf(id) ?? -id;
      const b = best.get(t);
      if (b) b.count++;
      else best.set(t, { id, count: 1 });
    }
    const groups = [...best.values()];
    const threads = groups.length;
    for (const id of rankedPartial) {
      const t = tables.threadOf(id) ?? -id;
      if (!best.has(t)) {
        best.set(t, { id, count: 0 });
        groups.push(best.get(t)!);
      }
    }
    const hits = groups.slice(0, limit).map((g) => ({ ...hitOf(g.id), threadHits: g.count }));
    return { total: ranked.length, threads, records: recordHits, hits, errors };
  }
  const hits = [...ranked, ...rankedPartial].slice(0, limit).map(hitOf);
  return { total: ranked.length, records: recordHits, hits, errors };
}

/**
 * BM25 (lower is better) of every message that holds all of `exprs` (FTS5 expressions, ANDed), as
 * the OR of all their words and the `optional` ones would score it. BM25 is a sum over the query's
 * phrases, and a phrase a message lacks adds nothing: so the AND query scores the messages without
 * any optional word, and `(optional OR …) AND (exprs)` the others, each in one pass over the
 * messages that hold every expression. A reply is scored with REPLY_WEIGHTS, a posting with
 * POSTING_WEIGHTS.
 */
export function scoreAllOf(
  tables: SearchTables,
  exprs: string[],
  optionalWords: Term[],
): {
  rows: number[];
  score: Map<number, number>;
  dates: Map<number, string | null | undefined>;
  /** The optional words left out as too common to change a score (see `scoringWords`). */
  dropped: Term[];
} {
  const { optional, dropped } = scoringWords(tables, optionalWords);
  const all = exprs.map((e) => `(${e})`).join(' AND ');
  const rows: number[] = [];
  const a = new Map<number, number>();
  const b = new Map<number, number>();
  const reply = new Set<number>();
  const dates = new Map<number, string | null | undefined>();
  for (const r of tables.bm25Rows(all, POSTING_WEIGHTS, REPLY_WEIGHTS)) {
    rows.push(r.id);
    a.set(r.id, r.a);
    b.set(r.id, r.b);
    if (r.reply) reply.add(r.id);
    dates.set(r.id, r.date);
  }
  if (optional.length && rows.length)
    for (const r of tables.bm25Pair(
      `(${optional.map(ftsTerm).join(' OR ')}) AND ${all}`,
      POSTING_WEIGHTS,
      REPLY_WEIGHTS,
    )) {
      a.set(r.id, r.a);
      b.set(r.id, r.b);
    }
  const score = new Map<number, number>();
  for (const id of rows) score.set(id, reply.has(id) ? b.get(id)! : a.get(id)!);
  return { rows, score, dates, dropped };
}

/**
 * The most a dropped optional word can add to a score. FTS5's BM25 gives a phrase that at least
 * half of its rows hold an IDF of 1e-6 (log((N − n + 0.5) / (n + 0.5)) ≤ 0, clamped), so such a
 * word adds at most 1e-6 × (k1 + 1) = 2.2e-6 to a message's score (the weighted term frequency
 * saturates), while scoring it makes FTS5 walk its whole doclist to count those rows. "to", "a",
 * "in", "the" are in more than half of the cgroups list, and scoring them was 55 of the 140 ms of
 * a question-style query at 10×.
 */
export const MAX_DROPPED_WORD_SCORE = 2.2e-6;

/**
 * The optional (stop) words worth scoring: a plain word that at least half of FTS5's rows hold in
 * one of its columns is dropped, as BM25 gives it at most MAX_DROPPED_WORD_SCORE (the rows that
 * hold it in the field's columns are at least the most that hold it in any one of them).
 */
export function scoringWords(tables: SearchTables, words: Term[]): { optional: Term[]; dropped: Term[] } {
  const optional: Term[] = [];
  const dropped: Term[] = [];
  if (!words.length) return { optional, dropped };
  const rows = tables.bm25RowCount();
  for (const w of words) {
    const docs = w.prefix || w.phrase ? null : tables.docsInColumns(w.text, columnsOf(w.field));
    (docs !== null && rows > 0 && 2 * docs >= rows ? dropped : optional).push(w);
  }
  return { optional, dropped };
}

/**
 * The snippet of a hit: from its own text, or, when no word of the query is there (a `q:` or
 * `dfb:` hit, an ack under a quote), from the whole body, where the quoted text or the patch holds
 * it. The CLI and the server show the same snippet.
 */
export function hitSnippet(body: string, marks: Parameters<typeof snippet>[1]): SnippetPart[] {
  const own = snippet(ownText(body), marks);
  if (!marks.length || own.some((p) => p.mark)) return own;
  const whole = snippet(body, marks);
  return whole.some((p) => p.mark) ? whole : own;
}
