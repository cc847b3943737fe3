/** The archive reads a decision record's citations need: a message by Message-ID, commits by hash prefix. */
import type { Db } from './db.ts';

/** A real (not ghost) message, as a citation resolves it. */
export interface CitedMessageRow {
  id: number;
  message_id: string;
  thread_id: number | null;
  subject: string;
  from_name: string | null;
  from_addr: string | null;
  date: string | null;
  body: string;
}

/** A commit whose hash a citation's prefix could name. */
export interface CitedCommitRow {
  id: number;
  hash: string;
  subject: string;
  author_name: string | null;
  author_date: string | null;
}

/** The real message with this Message-ID, or undefined. */
export function citedMessage(db: Db, messageId: string): CitedMessageRow | undefined {
  return db
    .prepare(
      'SELECT id, message_id, thread_id, subject, from_name, from_addr, date, body FROM messages WHERE message_id = ? AND is_ghost = 0',
    )
    .get(messageId) as CitedMessageRow | undefined;
}

/**
 * At most two commits in hash order from `hash` on (the range scan a prefix lookup needs: two are
 * enough to tell a unique prefix from an ambiguous one; the caller checks the prefix itself).
 */
export function commitsFromHash(db: Db, hash: string): CitedCommitRow[] {
  return db
    .prepare(
      "SELECT id, hash, subject, author_name, author_date FROM commits WHERE hash >= ? AND hash < ? || 'g' LIMIT 2",
    )
    .all(hash, hash) as CitedCommitRow[];
}
