/**
 * The archive's side of search, as named queries: the FTS5 table `search_fts` (migrations 3, 5 and 6) that
 * `argmap search` runs against, the message fields a hit shows, and the archive facts the search
 * facets come from (subjects, review trailers). src/search/ holds the query logic and no SQL.
 * Every table exists: `openDb` migrates an archive to the current schema or refuses it.
 */
import type { Db } from './db.ts';
import { getMeta, setMeta } from './db.ts';

/** A message as the search index takes it in. */
export interface IndexSource {
  id: number;
  subject: string | null;
  name: string | null;
  addr: string | null;
  body: string | null;
  /** `messages.to_addrs`, `cc_addrs` (NULL until the recipients backfill has read them). */
  to: string | null;
  cc: string | null;
}

/** One row of `search_fts`: the text of each column (migrations 5 and 6). */
export interface IndexRow {
  subject: string;
  author: string;
  /** Own text. */
  body: string;
  quoted: string;
  dfn: string;
  dfa: string;
  dfb: string;
  dfhh: string;
  /** To and Cc, decoded. */
  rcptTo: string;
  rcptCc: string;
  /** Words of the own text, as ranking counts them (`search_words`, migration 12). */
  ownWords: number;
}

/** What a search hit shows of its message. */
export interface HitRow {
  rowId: number;
  messageId: string;
  date: string | null;
  from: string;
  subject: string | null;
  threadRoot: string | null;
  threadSubject: string | null;
  body: string | null;
}

/** A parsed subject, as the `type:` facet reads it. */
export interface SubjectFacetRow {
  m: number;
  patch: number;
  reply: number;
  rfc: number;
  counter: number;
  expected: number;
  title: string;
}

const SOURCE_COLUMNS =
  'id, subject, from_name AS name, from_addr AS addr, body, to_addrs AS "to", cc_addrs AS cc';

/** The tokenizer of `search_fts` (migration 7); test/store/search-tables.test.ts checks the schema. */
export const SEARCH_TOKENIZER = 'porter unicode61 remove_diacritics 2';

/**
 * SQLite's varint (as FTS5 stores its records): big-endian groups of 7 bits, the high bit set on
 * every byte but the last; a ninth byte gives all its 8 bits. Reads at most 9 bytes.
 */
function readVarint(b: Buffer): number {
  let v = 0;
  for (let i = 0; i < 9 && i < b.length; i++) {
    const x = b[i]!;
    if (i === 8) return v * 256 + x;
    v = v * 128 + (x & 0x7f);
    if (!(x & 0x80)) break;
  }
  return v;
}

/**
 * Per connection: the FTS5 document counts `docsInColumns` has read, valid while neither FTS5's
 * row count nor `PRAGMA data_version` (another connection's commit) changes. Every insert raises
 * the row count; only this connection's own deletes, alone, leave a count stale, and then by no
 * more than the rows deleted.
 */
const vocabCache = new WeakMap<Db, { stamp: string; docs: Map<string, number | null> }>();

/** Reads and writes of `search_fts`, with the statements prepared once. */
export class SearchTables {
  private readonly matchStmt;
  private readonly dateStmt;
  private readonly hitStmt;
  private readonly threadStmt;
  private readonly replyStmt;
  private readonly bodyStmt;
  private readonly repliesStmt;

  constructor(private readonly db: Db) {
    this.matchStmt = db.prepare('SELECT rowid FROM search_fts WHERE search_fts MATCH ?').pluck();
    this.dateStmt = db.prepare('SELECT date FROM messages WHERE id = ? AND is_ghost = 0').pluck();
    this.hitStmt = db.prepare(
      `SELECT m.id AS rowId, m.message_id AS messageId, m.date, COALESCE(NULLIF(m.from_name, ''), m.from_addr, '') AS "from",
         m.subject, r.message_id AS threadRoot, t.subject AS threadSubject, m.body
       FROM messages m LEFT JOIN threads t ON t.id = m.thread_id LEFT JOIN messages r ON r.id = t.root_message_id
       WHERE m.id = ?`,
    );
    this.threadStmt = db.prepare('SELECT thread_id FROM messages WHERE id = ?').pluck();
    this.replyStmt = db.prepare('SELECT is_reply FROM subjects WHERE message_id = ?').pluck();
    this.bodyStmt = db.prepare('SELECT body FROM messages WHERE id = ?').pluck();
    this.repliesStmt = db
      .prepare('SELECT COUNT(*) FROM messages WHERE parent_id = ? AND is_ghost = 0')
      .pluck();
  }

  /** The own-text rules version the index was built with (meta `search_index_version`). */
  indexVersion(): string | null {
    return getMeta(this.db, 'search_index_version') ?? null;
  }

  setIndexVersion(v: string): void {
    setMeta(this.db, 'search_index_version', v);
  }

  /** Drop `search_index_version`, so the next ingest rebuilds the index. */
  forgetIndexVersion(): void {
    this.db.prepare("DELETE FROM meta WHERE key = 'search_index_version'").run();
  }

  /** Empty the index (FTS5's 'delete-all') and its word counts. */
  clear(): void {
    this.db.prepare("INSERT INTO search_fts(search_fts) VALUES ('delete-all')").run();
    this.db.prepare('DELETE FROM search_words').run();
  }

  /**
   * The next `limit` real messages after row id `after`, in id order. In batches because
   * better-sqlite3 cannot insert while a SELECT on the same connection is open.
   */
  sourcesAfter(after: number, limit: number): IndexSource[] {
    return this.db
      .prepare(`SELECT ${SOURCE_COLUMNS} FROM messages WHERE is_ghost = 0 AND id > ? ORDER BY id LIMIT ?`)
      .all(after, limit) as IndexSource[];
  }

  /** One message for the index, or undefined for a ghost or a missing row. */
  source(id: number): IndexSource | undefined {
    return this.db.prepare(`SELECT ${SOURCE_COLUMNS} FROM messages WHERE id = ? AND is_ghost = 0`).get(id) as
      IndexSource | undefined;
  }

  /** A function that (re)indexes one message: drops its old row, inserts the new one. */
  writer(): {
    remove(id: number): void;
    put(id: number, row: IndexRow): void;
  } {
    const del = this.db.prepare('DELETE FROM search_fts WHERE rowid = ?');
    const delWords = this.db.prepare('DELETE FROM search_words WHERE message_id = ?');
    const insWords = this.db.prepare('INSERT INTO search_words(message_id, own_words) VALUES (?, ?)');
    const ins = this.db.prepare(
      `INSERT INTO search_fts(rowid, subject, author, body, quoted, dfn, dfa, dfb, dfhh, rcpt_to, rcpt_cc)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    return {
      remove: (id) => {
        del.run(id);
        delWords.run(id);
      },
      put: (id, r) => {
        insWords.run(id, r.ownWords);
        ins.run(id, r.subject, r.author, r.body, r.quoted, r.dfn, r.dfa, r.dfb, r.dfhh, r.rcptTo, r.rcptCc);
      },
    };
  }

  /**
   * FTS5's N in BM25's IDF: the row count of its averages record (row 1 of `search_fts_data`, a
   * varint followed by one per column). Not `search_fts_docsize`'s count: in a contentless-delete
   * table FTS5 does not lower N when a row is deleted, so after re-indexing the two differ.
   */
  bm25RowCount(): number {
    const block = this.db.prepare('SELECT block FROM search_fts_data WHERE id = 1').pluck().get() as
      Buffer | undefined;
    return block ? readVarint(block) : 0;
  }

  /**
   * The most rows that hold `word` in any one of `columns` (FTS5 column names), from FTS5's own
   * vocabulary (an fts5vocab table over `search_fts`); null when the tokenizer does not make
   * exactly one token of `word`. A lower bound on the rows that hold it in some column of the
   * set. The tokenizer runs in a TEMP table, so a read-only connection can ask.
   */
  docsInColumns(word: string, columns: readonly string[]): number | null {
    const stamp = `${this.db.pragma('data_version', { simple: true })}:${this.bm25RowCount()}`;
    let c = vocabCache.get(this.db);
    if (!c || c.stamp !== stamp) vocabCache.set(this.db, (c = { stamp, docs: new Map() }));
    const key = `${columns.join(' ')}\u0000${word}`;
    if (c.docs.has(key)) return c.docs.get(key)!;
    this.db.exec(`
      CREATE VIRTUAL TABLE IF NOT EXISTS temp.argmap_vocab USING fts5vocab(main, search_fts, col);
      CREATE VIRTUAL TABLE IF NOT EXISTS temp.argmap_tokenizer USING fts5(t, tokenize = '${SEARCH_TOKENIZER}');
      CREATE VIRTUAL TABLE IF NOT EXISTS temp.argmap_tokens USING fts5vocab(temp, argmap_tokenizer, instance);
      DELETE FROM temp.argmap_tokenizer;`);
    this.db.prepare('INSERT INTO temp.argmap_tokenizer(t) VALUES (?)').run(word);
    const tokens = this.db.prepare('SELECT term FROM temp.argmap_tokens').pluck().all() as string[];
    let docs: number | null = null;
    if (tokens.length === 1)
      docs =
        (this.db
          .prepare(
            'SELECT MAX(doc) FROM temp.argmap_vocab WHERE term = ? AND col IN (SELECT value FROM json_each(?))',
          )
          .pluck()
          .get(tokens[0], JSON.stringify(columns)) as number | null) ?? 0;
    c.docs.set(key, docs);
    return docs;
  }

  /** Row ids matching an FTS5 expression; throws SQLite's error for an expression it cannot parse. */
  matching(expr: string): number[] {
    return this.matchStmt.all(expr) as number[];
  }

  /**
   * Two BM25 scores of every row matching `expr`, under two column weightings, in one pass over
   * the matches (ranking needs both, and the pass is most of a query's time).
   */
  bm25Pair(
    expr: string,
    weightsA: string,
    weightsB: string,
  ): IterableIterator<{ id: number; a: number; b: number }> {
    return this.db
      .prepare(
        `SELECT rowid AS id, bm25(search_fts, ${weightsA}) AS a, bm25(search_fts, ${weightsB}) AS b
         FROM search_fts WHERE search_fts MATCH ?`,
      )
      .iterate(expr) as IterableIterator<{ id: number; a: number; b: number }>;
  }

  /**
   * `bm25Pair` with what ranking asks of each match, read in the same statement (one lookup per
   * match inside SQLite instead of two statements from JavaScript): whether it is a reply, and its
   * date (`undefined` for a ghost or a missing row, as `dateOf` says).
   */
  bm25Rows(
    expr: string,
    weightsA: string,
    weightsB: string,
  ): { id: number; a: number; b: number; reply: boolean; date: string | null | undefined }[] {
    const rows = this.db
      .prepare(
        `SELECT f.rowid AS id, bm25(search_fts, ${weightsA}) AS a, bm25(search_fts, ${weightsB}) AS b,
                s.is_reply AS r, m.date AS d, (m.id IS NOT NULL AND m.is_ghost = 0) AS real
         FROM search_fts f LEFT JOIN subjects s ON s.message_id = f.rowid LEFT JOIN messages m ON m.id = f.rowid
         WHERE search_fts MATCH ?`,
      )
      .all(expr) as { id: number; a: number; b: number; r: number | null; d: string | null; real: number }[];
    return rows.map((x) => ({ id: x.id, a: x.a, b: x.b, reply: x.r === 1, date: x.real ? x.d : undefined }));
  }

  /** The real message with this Message-ID (no angle brackets), if there is one. */
  idByMessageId(messageId: string): number | undefined {
    return this.db
      .prepare('SELECT id FROM messages WHERE message_id = ? AND is_ghost = 0')
      .pluck()
      .get(messageId) as number | undefined;
  }

  /**
   * Real messages posting a patch with this `git patch-id --stable` (`patches.patch_id`, filled
   * by the graph build for patches of a series, from the body or a text attachment).
   */
  idsByPatchId(patchId: string): number[] {
    return this.db
      .prepare(
        'SELECT p.message_id FROM patches p JOIN messages m ON m.id = p.message_id WHERE p.patch_id = ? AND m.is_ghost = 0',
      )
      .pluck()
      .all(patchId) as number[];
  }

  /** A real message's date (null when it has none), or undefined for a ghost. */
  dateOf(id: number): string | null | undefined {
    return this.dateStmt.get(id) as string | null | undefined;
  }

  /** Every real message dated in [from, until) (either end open when not given). */
  idsInDateRange(from: string | undefined, until: string | undefined): number[] {
    const where: string[] = ['is_ghost = 0'];
    const params: string[] = [];
    if (from) {
      where.push('date >= ?');
      params.push(from);
    }
    if (until) {
      where.push('date < ?');
      params.push(until);
    }
    return this.db
      .prepare(`SELECT id FROM messages WHERE ${where.join(' AND ')}`)
      .pluck()
      .all(...params) as number[];
  }

  hit(id: number): HitRow {
    return this.hitStmt.get(id) as HitRow;
  }

  /** Whether a message's subject is a reply's ("Re: …"), inherited from the thread. */
  isReply(id: number): boolean {
    return this.replyStmt.get(id) === 1;
  }

  body(id: number): string | null {
    return (this.bodyStmt.get(id) as string | null | undefined) ?? null;
  }

  /** How many real messages answer this one directly (its children in the thread tree). */
  replies(id: number): number {
    return this.repliesStmt.get(id) as number;
  }

  /**
   * For each of `ids`, its own text's word count (`search_words`) and how many real messages
   * answer it directly, in two statements (ranking asks for up to 400 at a time). An id without
   * a word count is left out of `words`.
   */
  priorInputs(ids: readonly number[]): { words: Map<number, number>; replies: Map<number, number> } {
    const json = JSON.stringify(ids);
    const words = new Map(
      this.db
        .prepare(
          'SELECT message_id, own_words FROM search_words WHERE message_id IN (SELECT value FROM json_each(?))',
        )
        .raw()
        .all(json) as [number, number][],
    );
    const replies = new Map(
      this.db
        .prepare(
          `SELECT parent_id, COUNT(*) FROM messages
            WHERE parent_id IN (SELECT value FROM json_each(?)) AND is_ghost = 0 GROUP BY parent_id`,
        )
        .raw()
        .all(json) as [number, number][],
    );
    return { words, replies };
  }

  threadOf(id: number): number | null {
    return this.threadStmt.get(id) as number | null;
  }
}

/** Row id of a real or ghost message by Message-ID. */
export function messageRowIds(db: Db): (messageId: string) => number | undefined {
  const byMid = db.prepare('SELECT id FROM messages WHERE message_id = ?').pluck();
  return (mid) => byMid.get(mid) as number | undefined;
}

/** Every parsed subject (the `type:` facet's patch, cover, rfc, revert and reply). */
export function subjectFacetRows(db: Db): SubjectFacetRow[] {
  return db
    .prepare(
      `SELECT s.message_id AS m, s.is_patch AS patch, s.is_reply AS reply, s.is_rfc AS rfc, s.counter, s.expected, s.title
       FROM subjects s`,
    )
    .all() as SubjectFacetRow[];
}

/** The kinds of parsed subject the `type:` facet reads, one at a time. */
export type SubjectKind = 'reply' | 'patch' | 'cover' | 'rfc' | 'revert';

/**
 * The messages whose subject is of one kind, as {@link subjectFacetRows} classes them: a reply is
 * only `reply`; otherwise a patch posting numbered 0 of N is a cover letter and any other a patch.
 * For `revert`, the candidates whose title starts with "revert" and the title (the caller applies
 * the word boundary).
 */
export function messagesWithSubjectKind(db: Db, kind: SubjectKind): { m: number; title: string }[] {
  const where: Record<SubjectKind, string> = {
    reply: 'is_reply = 1',
    patch:
      'COALESCE(is_reply, 0) = 0 AND is_patch = 1 AND NOT (COALESCE(counter, -1) = 0 AND COALESCE(expected, 0) > 0)',
    cover: 'COALESCE(is_reply, 0) = 0 AND is_patch = 1 AND counter = 0 AND expected > 0',
    rfc: 'COALESCE(is_reply, 0) = 0 AND is_rfc = 1',
    revert: "COALESCE(is_reply, 0) = 0 AND title LIKE 'revert%'",
  };
  return db.prepare(`SELECT message_id AS m, title FROM subjects WHERE ${where[kind]}`).all() as {
    m: number;
    title: string;
  }[];
}

/** The messages whose own author gave a review trailer of this name (lower case, e.g. `acked-by`). */
export function messagesWithOwnReviewTrailer(db: Db, name: string): number[] {
  return db
    .prepare(
      `SELECT DISTINCT t.message_id FROM trailers t JOIN messages m ON m.id = t.message_id
       WHERE t.person_id IS NOT NULL AND t.person_id = m.author_id AND lower(t.name) = ?`,
    )
    .pluck()
    .all(name) as number[];
}

/** Review trailers a message's own author gave (acked-by, reviewed-by, tested-by, nacked-by). */
export function ownReviewTrailers(db: Db): { m: number; name: string }[] {
  return db
    .prepare(
      `SELECT t.message_id AS m, lower(t.name) AS name FROM trailers t JOIN messages m ON m.id = t.message_id
       WHERE t.person_id IS NOT NULL AND t.person_id = m.author_id
         AND lower(t.name) IN ('acked-by', 'reviewed-by', 'tested-by', 'nacked-by')`,
    )
    .all() as { m: number; name: string }[];
}
