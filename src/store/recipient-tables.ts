/**
 * The archive's side of the recipients backfill (migration 7): which real messages have not had
 * their To and Cc read yet (NULL), and storing what was read.
 */
import { getMeta, setMeta, type Db } from './db.ts';

/**
 * Meta key set once no real message lacks its recipients. The writer stores To and Cc with every
 * message (mail/parse.ts gives '' for none), so the archive stays complete; without the key,
 * asking costs a scan of every message past its body (0.45 s at 10x, on every ingest).
 */
const COMPLETE = 'recipients_complete';

export class RecipientTables {
  private readonly missingStmt;
  private readonly anyStmt;
  private readonly setStmt;

  constructor(private readonly db: Db) {
    this.missingStmt = db
      .prepare(
        'SELECT id FROM messages WHERE is_ghost = 0 AND to_addrs IS NULL AND id > ? ORDER BY id LIMIT ?',
      )
      .pluck();
    this.anyStmt = db
      .prepare('SELECT 1 FROM messages WHERE is_ghost = 0 AND to_addrs IS NULL LIMIT 1')
      .pluck();
    this.setStmt = db.prepare('UPDATE messages SET to_addrs = ?, cc_addrs = ? WHERE id = ?');
  }

  /** Whether any real message's recipients are still unread. */
  anyMissing(): boolean {
    if (getMeta(this.db, COMPLETE) === '1') return false;
    const missing = this.anyStmt.get() !== undefined;
    if (!missing) setMeta(this.db, COMPLETE, '1');
    return missing;
  }

  /** The next `limit` real messages after row id `after` whose recipients are unread. */
  missingAfter(after: number, limit: number): number[] {
    return this.missingStmt.all(after, limit) as number[];
  }

  /** Store one message's recipients ('' for none, or for a copy that shows none). */
  set(id: number, to: string, cc: string): void {
    this.setStmt.run(to, cc, id);
  }

  /** Run `fn` in one transaction. */
  transaction(fn: () => void): void {
    this.db.transaction(fn)();
  }
}
