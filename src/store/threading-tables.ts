/**
 * The statements the threader (src/thread/threader.ts) runs: it reads every message's current
 * parent and thread and all threading headers, and writes back the parents and threads that
 * changed and the `threads` table. The threading rules stay in src/thread/; this module only
 * knows the tables. Statements are prepared once, when the object is made (once per rethread).
 */
import type Database from 'better-sqlite3';
import type { Db } from './db.ts';

/** A message's threading state as stored: [id, is_ghost, parent_id, parent_reason, thread_id]. */
export type MessageThreadingRow = [number, number, number | null, string | null, number | null];

/** One threading header entry: [message row id, kind ('in-reply-to' | 'references'), referenced row id]. */
export type MessageRefRow = [number, string, number];

export class ThreadingTables {
  private s: {
    maxId: Database.Statement<[], number>;
    messages: Database.Statement<[], MessageThreadingRow>;
    refCount: Database.Statement<[], number>;
    refs: Database.Statement<[], MessageRefRow>;
    order: Database.Statement<[], number>;
    setThreading: Database.Statement<[number | null, string | null, number, number]>;
    clearThreads: Database.Statement;
    fillThreads: Database.Statement;
    threadCount: Database.Statement<[], number>;
  };

  constructor(db: Db) {
    this.s = {
      maxId: db.prepare<[], number>('SELECT COALESCE(MAX(id), 0) AS m FROM messages').pluck(),
      messages: db
        .prepare<[], MessageThreadingRow>(
          'SELECT id, is_ghost, parent_id, parent_reason, thread_id FROM messages',
        )
        .raw(),
      refCount: db.prepare<[], number>('SELECT COUNT(*) AS c FROM message_refs').pluck(),
      refs: db
        .prepare<[], MessageRefRow>(
          'SELECT message_id, kind, ref_id FROM message_refs ORDER BY message_id, kind, seq',
        )
        .raw(),
      order: db
        .prepare<[], number>(
          'SELECT id FROM messages WHERE is_ghost = 0 ORDER BY date IS NULL, date, message_id',
        )
        .pluck(),
      setThreading: db.prepare(
        'UPDATE messages SET parent_id = ?, parent_reason = ?, thread_id = ? WHERE id = ?',
      ),
      clearThreads: db.prepare('DELETE FROM threads'),
      // one row per thread: its root's subject (or, for a ghost root, the earliest real message's)
      fillThreads:
        db.prepare(`INSERT INTO threads(id, root_message_id, subject, message_count, first_date, last_date)
      SELECT m.thread_id, m.thread_id,
        COALESCE((SELECT r.subject FROM messages r WHERE r.id = m.thread_id AND r.is_ghost = 0),
                 (SELECT e.subject FROM messages e WHERE e.thread_id = m.thread_id AND e.is_ghost = 0 ORDER BY e.date LIMIT 1)),
        SUM(m.is_ghost = 0), MIN(m.date), MAX(m.date)
      FROM messages m GROUP BY m.thread_id`),
      threadCount: db.prepare<[], number>('SELECT COUNT(*) AS c FROM threads').pluck(),
    };
  }

  /** The highest message row id (0 for an empty archive): the size of the threader's arrays. */
  maxMessageId(): number {
    return this.s.maxId.get()!;
  }

  /** Every message (ghosts too) with its stored parent, parent reason and thread, as raw tuples. */
  messages(): IterableIterator<MessageThreadingRow> {
    return this.s.messages.iterate();
  }

  /** How many threading header entries there are (to size the flat reference arrays). */
  refCount(): number {
    return this.s.refCount.get()!;
  }

  /** Every threading header entry, grouped by message, In-Reply-To before References, in header order. */
  refs(): IterableIterator<MessageRefRow> {
    return this.s.refs.iterate();
  }

  /** Real (non-ghost) message row ids in date order (undated last), then by Message-ID. */
  messagesInDateOrder(): number[] {
    return this.s.order.all();
  }

  /** Store one message's parent (null for a root), the reason for it, and its thread. */
  setThreading(id: number, parent: number | null, reason: string | null, thread: number): void {
    this.s.setThreading.run(parent, reason, thread, id);
  }

  /** Rebuild the `threads` table from the messages' thread ids. */
  rebuildThreads(): void {
    this.s.clearThreads.run();
    this.s.fillThreads.run();
  }

  /** Rows in `threads`. */
  threadCount(): number {
    return this.s.threadCount.get()!;
  }
}
