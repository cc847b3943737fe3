/** A content fingerprint of an archive, for tests that compare two archives made different ways. */
import type { Db } from '../../src/store/db.ts';
import { rows } from './archive.ts';

/** Everything that identifies the archive's content, independent of row ids. */
export function fingerprint(db: Db): string {
  const msgs = rows<{
    message_id: string;
    parent: string | null;
    root: string;
    subject: string;
    date: string | null;
    ghost: number;
  }>(
    db,
    `SELECT m.message_id, p.message_id AS parent, r.message_id AS root, m.subject, m.date, m.is_ghost AS ghost
     FROM messages m LEFT JOIN messages p ON p.id = m.parent_id JOIN messages r ON r.id = m.thread_id ORDER BY m.message_id`,
  );
  const raw = rows<{ message_id: string; sha256: string }>(
    db,
    'SELECT m.message_id, r.sha256 FROM message_raw r JOIN messages m ON m.id = r.message_id ORDER BY m.message_id',
  );
  return JSON.stringify({ msgs, raw });
}
