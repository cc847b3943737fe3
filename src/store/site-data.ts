/**
 * What the site reads from the archive, as named and typed queries: SQL lives in src/store/ (and
 * graph reads in src/graph/query.ts), so the site never holds a statement. Every table exists:
 * `openDb` migrates an archive to the current schema or refuses it, so nothing is feature-detected.
 */
import { withFlags, type Db } from './db.ts';

export interface MessageRow {
  id: number;
  messageId: string;
  threadId: number | null;
  parentId: number | null;
  parentReason: string | null;
  /** How an inferred parent link was chosen (null for header links and roots). */
  placement: { method: string; confidence: number; evidence: string } | null;
  subject: string | null;
  authorId: number | null;
  fromName: string | null;
  fromAddr: string | null;
  date: string | null;
  dateApprox: boolean;
  body: string | null;
  isGhost: boolean;
  idKind: string;
  listId: string | null;
  htmlOnly: boolean;
}

export interface ThreadRow {
  id: number;
  rootId: number;
  rootMessageId: string;
  subject: string | null;
  messageCount: number;
  firstDate: string | null;
  lastDate: string | null;
}

/** A person who wrote at least one message (the site gives each a page). */
export interface AuthorRow {
  id: number;
  name: string | null;
  primaryAddr: string | null;
  messageCount: number;
}

export interface TrailerRow {
  messageId: number;
  seq: number;
  name: string;
  value: string;
  personId: number | null;
}

export interface AttachmentRow {
  seq: number;
  filename: string | null;
  contentType: string;
  size: number;
}

export interface SubjectRow {
  messageId: number;
  title: string;
  normalised: string;
  isReply: boolean;
  isPatch: boolean;
  isRfc: boolean;
  revision: number;
  counter: number;
  expected: number;
}

export interface CommitRow {
  id: number;
  hash: string;
  subject: string;
  body: string;
  diff: string | null;
  authorName: string | null;
  authorAddr: string | null;
  authorDate: string | null;
  committerName: string | null;
  commitDate: string | null;
  complete: boolean;
  postedAs: string | null;
}

const MSG_COLS = `id, message_id AS messageId, thread_id AS threadId, parent_id AS parentId,
  parent_reason AS parentReason, subject, author_id AS authorId, from_name AS fromName,
  from_addr AS fromAddr, date, date_approx AS dateApprox, body, is_ghost AS isGhost,
  id_kind AS idKind, list_id AS listId, html_only AS htmlOnly,
  (SELECT json_object('method', p.method, 'confidence', p.confidence, 'evidence', p.evidence)
     FROM placements p WHERE p.message_id = messages.id AND p.parent_id IS NOT NULL) AS placement`;

function toMessage(r: Record<string, unknown>): MessageRow {
  return {
    ...withFlags<MessageRow>(r, ['dateApprox', 'isGhost', 'htmlOnly']),
    placement: typeof r.placement === 'string' ? (JSON.parse(r.placement) as MessageRow['placement']) : null,
  };
}

/** The archive as the site sees it. Caches the threads for the whole build. */
export class SiteData {
  private threadsById: Map<number, ThreadRow> | null = null;
  private stmts;

  constructor(readonly db: Db) {
    this.stmts = {
      threadMessages: db.prepare(`SELECT ${MSG_COLS} FROM messages WHERE thread_id = ? ORDER BY date, id`),
      byMessageId: db.prepare(`SELECT ${MSG_COLS} FROM messages WHERE message_id = ?`),
      byRowId: db.prepare(`SELECT ${MSG_COLS} FROM messages WHERE id = ?`),
      trailers: db.prepare(
        'SELECT message_id AS messageId, seq, name, value, person_id AS personId FROM trailers WHERE message_id = ? ORDER BY seq',
      ),
      attachments: db.prepare(
        'SELECT seq, filename, content_type AS contentType, size FROM attachments WHERE message_id = ? ORDER BY seq',
      ),
      refs: db.prepare(
        `SELECT r.kind, r.seq, m.message_id AS messageId FROM message_refs r JOIN messages m ON m.id = r.ref_id
         WHERE r.message_id = ? ORDER BY r.kind, r.seq`,
      ),
      subject: db.prepare(
        `SELECT message_id AS messageId, title, normalised, is_reply AS isReply, is_patch AS isPatch, is_rfc AS isRfc,
           revision, counter, expected FROM subjects WHERE message_id = ?`,
      ),
      names: db.prepare('SELECT name FROM person_names WHERE person_id = ? ORDER BY name'),
    };
  }

  /** Every thread, oldest first. */
  threads(): ThreadRow[] {
    if (!this.threadsById) {
      const rows = this.db
        .prepare(
          `SELECT t.id, t.root_message_id AS rootId, m.message_id AS rootMessageId, t.subject,
             t.message_count AS messageCount, t.first_date AS firstDate, t.last_date AS lastDate
           FROM threads t JOIN messages m ON m.id = t.root_message_id
           ORDER BY t.first_date, t.id`,
        )
        .all() as ThreadRow[];
      this.threadsById = new Map(rows.map((r) => [r.id, r]));
    }
    return [...this.threadsById.values()];
  }

  thread(id: number): ThreadRow | undefined {
    if (!this.threadsById) this.threads();
    return this.threadsById!.get(id);
  }

  /** Messages of a thread (ghosts included), by date. */
  threadMessages(threadId: number): MessageRow[] {
    return (this.stmts.threadMessages.all(threadId) as Record<string, unknown>[]).map(toMessage);
  }

  message(messageId: string): MessageRow | undefined {
    const r = this.stmts.byMessageId.get(messageId) as Record<string, unknown> | undefined;
    return r ? toMessage(r) : undefined;
  }

  /**
   * Message-IDs that start with `prefix` (at most 50): a page name holds only the start of a very
   * long Message-ID and a hash, so the server finds the message among these.
   */
  messageIdsWithPrefix(prefix: string): string[] {
    return (
      this.db
        .prepare(
          // The range keeps it on the message_id index; U+10FFFF sorts after any character.
          'SELECT message_id AS id FROM messages WHERE message_id >= ? AND message_id < ? ORDER BY message_id LIMIT 50',
        )
        .all(prefix, prefix + '\u{10FFFF}') as { id: string }[]
    ).map((r) => r.id);
  }

  messageByRow(id: number): MessageRow | undefined {
    const r = this.stmts.byRowId.get(id) as Record<string, unknown> | undefined;
    return r ? toMessage(r) : undefined;
  }

  trailers(messageRowId: number): TrailerRow[] {
    return this.stmts.trailers.all(messageRowId) as TrailerRow[];
  }

  attachments(messageRowId: number): AttachmentRow[] {
    return this.stmts.attachments.all(messageRowId) as AttachmentRow[];
  }

  refs(messageRowId: number): { kind: string; seq: number; messageId: string }[] {
    return this.stmts.refs.all(messageRowId) as { kind: string; seq: number; messageId: string }[];
  }

  subject(messageRowId: number): SubjectRow | undefined {
    const r = this.stmts.subject.get(messageRowId) as Record<string, unknown> | undefined;
    if (!r) return undefined;
    return withFlags<SubjectRow>(r, ['isReply', 'isPatch', 'isRfc']);
  }

  /**
   * Every person who wrote at least one message, in address order: the order in which the site
   * numbers people who share a slug, so it must stay stable.
   */
  authors(): AuthorRow[] {
    return this.db
      .prepare(
        `SELECT p.id, p.name, p.primary_addr AS primaryAddr, COUNT(m.id) AS messageCount
         FROM people p JOIN messages m ON m.author_id = p.id AND m.is_ghost = 0
         GROUP BY p.id ORDER BY p.primary_addr, p.id`,
      )
      .all() as AuthorRow[];
  }

  personNames(id: number): string[] {
    return (this.stmts.names.all(id) as { name: string }[]).map((r) => r.name);
  }

  /**
   * People who wrote under a name, compared in lower case (the caller lower-cases it); at most 20,
   * since a common name says little about who is meant.
   */
  personIdsByName(lowerName: string): number[] {
    return (
      this.db
        .prepare('SELECT person_id AS id FROM person_names WHERE lower(name) = ? LIMIT 20')
        .all(lowerName) as { id: number }[]
    ).map((r) => r.id);
  }

  /** Threads a person wrote in, with their message counts, newest first. */
  personThreads(
    personId: number,
  ): { threadId: number; count: number; first: string | null; last: string | null }[] {
    return this.db
      .prepare(
        `SELECT thread_id AS threadId, COUNT(*) AS count, MIN(date) AS first, MAX(date) AS last
         FROM messages WHERE author_id = ? AND is_ghost = 0 AND thread_id IS NOT NULL
         GROUP BY thread_id ORDER BY last DESC`,
      )
      .all(personId) as { threadId: number; count: number; first: string | null; last: string | null }[];
  }

  /** Review trailers (Acked-by, Reviewed-by, Tested-by, Nacked-by) a person gave, with the message. */
  personTrailers(
    personId: number,
  ): (TrailerRow & { msg: string; threadId: number | null; date: string | null; subject: string | null })[] {
    return this.db
      .prepare(
        `SELECT t.message_id AS messageId, t.seq, t.name, t.value, t.person_id AS personId,
           m.message_id AS msg, m.thread_id AS threadId, m.date, m.subject
         FROM trailers t JOIN messages m ON m.id = t.message_id
         WHERE t.person_id = ? AND lower(t.name) IN ('acked-by', 'reviewed-by', 'tested-by', 'nacked-by')
           AND m.author_id = ?
         ORDER BY m.date`,
      )
      .all(personId, personId) as (TrailerRow & {
      msg: string;
      threadId: number | null;
      date: string | null;
      subject: string | null;
    })[];
  }

  commits(): CommitRow[] {
    return (
      this.db
        .prepare(
          `SELECT id, hash, subject, body, diff, author_name AS authorName, author_addr AS authorAddr,
             author_date AS authorDate, committer_name AS committerName, commit_date AS commitDate,
             complete, posted_as AS postedAs FROM commits ORDER BY COALESCE(author_date, commit_date), hash`,
        )
        .all() as Record<string, unknown>[]
    ).map((r) => withFlags<CommitRow>(r, ['complete']));
  }

  commit(hashPrefix: string): CommitRow | undefined {
    return this.commits().find((c) => c.hash.startsWith(hashPrefix) || hashPrefix.startsWith(c.hash));
  }

  /** Number of non-ghost messages. */
  messageCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS c FROM messages WHERE is_ghost = 0').get() as { c: number })
      .c;
  }

  /** Every non-ghost message that has raw bytes, in pack order: each pack is then inflated once. */
  rawMessagesInPackOrder(): { id: number; messageId: string }[] {
    return this.db
      .prepare(
        `SELECT m.id, m.message_id AS messageId FROM message_raw r JOIN messages m ON m.id = r.message_id
         WHERE m.is_ghost = 0 ORDER BY r.pack_id, r.offset`,
      )
      .all() as { id: number; messageId: string }[];
  }

  /**
   * What search ranking weighs per message beyond its text (src/search/rank.ts): how many real
   * messages answer each one directly, and which messages have a reply's subject.
   */
  searchRankInputs(): { replies: Map<number, number>; replySubject: Set<number> } {
    const replies = new Map<number, number>();
    for (const r of this.db
      .prepare(
        'SELECT parent_id AS id, COUNT(*) AS n FROM messages WHERE parent_id IS NOT NULL AND is_ghost = 0 GROUP BY parent_id',
      )
      .iterate() as IterableIterator<{ id: number; n: number }>)
      replies.set(r.id, r.n);
    const replySubject = new Set(
      this.db.prepare('SELECT message_id FROM subjects WHERE is_reply = 1').pluck().all() as number[],
    );
    return { replies, replySubject };
  }

  /** Iterate every non-ghost message in date order, in batches (bounded memory for big archives). */
  *allMessages(batch = 2000): Generator<MessageRow> {
    let after = '';
    let afterId = -1;
    const stmt = this.db.prepare(
      `SELECT ${MSG_COLS} FROM messages WHERE is_ghost = 0 AND (COALESCE(date, '') > ? OR (COALESCE(date, '') = ? AND id > ?))
       ORDER BY COALESCE(date, ''), id LIMIT ?`,
    );
    while (true) {
      const rows = (stmt.all(after, after, afterId, batch) as Record<string, unknown>[]).map(toMessage);
      if (!rows.length) return;
      for (const r of rows) yield r;
      const last = rows[rows.length - 1]!;
      after = last.date ?? '';
      afterId = last.id;
    }
  }
}
