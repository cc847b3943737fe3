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

/**
 * What one ingest changed of the threader's input: message rows stored, filled in or re-parented
 * (and the parents they left or joined), and the stored thread ids of rows that were deleted or
 * merged away. An incremental rethread starts from these (src/thread/threader.ts).
 */
export interface ThreadingChanges {
  messages: Set<number>;
  threads: Set<number>;
}

/** An empty change set. */
export function noThreadingChanges(): ThreadingChanges {
  return { messages: new Set(), threads: new Set() };
}

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
    refsOf: Database.Statement<[number], number>;
    referrers: Database.Statement<[number], number>;
    parentAndThread: Database.Statement<[number], [number | null, number | null]>;
    children: Database.Statement<[number], number>;
    threadMembers: Database.Statement<[number], number>;
    messagesIn: Database.Statement<[string], MessageThreadingRow>;
    refsIn: Database.Statement<[string], MessageRefRow>;
    orderIn: Database.Statement<[string], number>;
    clearThreadsIn: Database.Statement<[string]>;
    fillThreadsIn: Database.Statement<[string]>;
  };

  constructor(db: Db) {
    const threadRow = `SELECT m.thread_id, m.thread_id,
        COALESCE((SELECT r.subject FROM messages r WHERE r.id = m.thread_id AND r.is_ghost = 0),
                 (SELECT e.subject FROM messages e WHERE e.thread_id = m.thread_id AND e.is_ghost = 0 ORDER BY e.date LIMIT 1)),
        SUM(m.is_ghost = 0), MIN(m.date), MAX(m.date)
      FROM messages m`;
    const ids = 'SELECT value FROM json_each(?)';
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
      fillThreads: db.prepare(
        `INSERT INTO threads(id, root_message_id, subject, message_count, first_date, last_date) ${threadRow} GROUP BY m.thread_id`,
      ),
      threadCount: db.prepare<[], number>('SELECT COUNT(*) AS c FROM threads').pluck(),
      refsOf: db.prepare<[number], number>('SELECT ref_id FROM message_refs WHERE message_id = ?').pluck(),
      referrers: db.prepare<[number], number>('SELECT message_id FROM message_refs WHERE ref_id = ?').pluck(),
      parentAndThread: db
        .prepare<[number], [number | null, number | null]>(
          'SELECT parent_id, thread_id FROM messages WHERE id = ?',
        )
        .raw(),
      children: db.prepare<[number], number>('SELECT id FROM messages WHERE parent_id = ?').pluck(),
      threadMembers: db.prepare<[number], number>('SELECT id FROM messages WHERE thread_id = ?').pluck(),
      messagesIn: db
        .prepare<[string], MessageThreadingRow>(
          `SELECT id, is_ghost, parent_id, parent_reason, thread_id FROM messages WHERE id IN (${ids})`,
        )
        .raw(),
      refsIn: db
        .prepare<[string], MessageRefRow>(
          `SELECT message_id, kind, ref_id FROM message_refs WHERE message_id IN (${ids}) ORDER BY message_id, kind, seq`,
        )
        .raw(),
      orderIn: db
        .prepare<[string], number>(
          `SELECT id FROM messages WHERE id IN (${ids}) AND is_ghost = 0 ORDER BY date IS NULL, date, message_id`,
        )
        .pluck(),
      clearThreadsIn: db.prepare(`DELETE FROM threads WHERE id IN (${ids})`),
      fillThreadsIn: db.prepare(
        `INSERT INTO threads(id, root_message_id, subject, message_count, first_date, last_date) ${threadRow}
         WHERE m.thread_id IN (${ids}) GROUP BY m.thread_id`,
      ),
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

  /** The row ids a message's threading headers name. */
  refsOf(id: number): number[] {
    return this.s.refsOf.all(id);
  }

  /** The messages whose threading headers name `id`. */
  referrers(id: number): number[] {
    return this.s.referrers.all(id);
  }

  /** A message's stored parent and thread, or undefined when the row is gone. */
  parentAndThread(id: number): [number | null, number | null] | undefined {
    return this.s.parentAndThread.get(id);
  }

  /** The messages stored with `id` as their parent. */
  children(id: number): number[] {
    return this.s.children.all(id);
  }

  /** The messages stored in thread `threadId`. */
  threadMembers(threadId: number): number[] {
    return this.s.threadMembers.all(threadId);
  }

  /** {@link messages} for the given rows only. */
  messagesIn(ids: readonly number[]): MessageThreadingRow[] {
    return this.s.messagesIn.all(JSON.stringify(ids));
  }

  /** {@link refs} of the given messages only, in the same order. */
  refsIn(ids: readonly number[]): MessageRefRow[] {
    return this.s.refsIn.all(JSON.stringify(ids));
  }

  /** {@link messagesInDateOrder} restricted to the given rows (the same relative order). */
  messagesInDateOrderIn(ids: readonly number[]): number[] {
    return this.s.orderIn.all(JSON.stringify(ids));
  }

  /** Rebuild the `threads` rows of the given thread ids only (a thread with no message left goes). */
  rebuildThreadsIn(threadIds: readonly number[]): void {
    const j = JSON.stringify(threadIds);
    this.s.clearThreadsIn.run(j);
    this.s.fillThreadsIn.run(j);
  }

  /** Rows in `threads`. */
  threadCount(): number {
    return this.s.threadCount.get()!;
  }
}
