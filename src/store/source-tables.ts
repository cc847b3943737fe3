/**
 * The `sources` table as the ingest run (src/ingest/pipeline.ts) uses it: one row per source read,
 * with its content hash, so that an unchanged source is skipped whole, and a status that says
 * whether its last read finished. Statements are prepared once per ingest run.
 */
import type Database from 'better-sqlite3';
import type { Db } from './db.ts';

/** What the archive knows about a source from an earlier run. */
export interface KnownSource {
  id: number;
  sha256: string | null;
  status: string;
}

export class SourceTables {
  private s: {
    find: Database.Statement<[string, string], KnownSource>;
    reopen: Database.Statement<[string, number | null, number]>;
    insert: Database.Statement<[string, string, string, number | null]>;
    messageCount: Database.Statement<[number, number]>;
    complete: Database.Statement<[string, number]>;
  };

  constructor(db: Db) {
    this.s = {
      find: db.prepare('SELECT id, sha256, status FROM sources WHERE kind = ? AND location = ?'),
      reopen: db.prepare("UPDATE sources SET sha256 = ?, size = ?, status = 'partial' WHERE id = ?"),
      insert: db.prepare(
        "INSERT INTO sources(kind, location, sha256, size, status) VALUES (?, ?, ?, ?, 'partial')",
      ),
      messageCount: db.prepare(
        'UPDATE sources SET message_count = (SELECT COUNT(*) FROM message_sources WHERE source_id = ?) WHERE id = ?',
      ),
      complete: db.prepare("UPDATE sources SET status = 'complete', ingested_at = ? WHERE id = ?"),
    };
  }

  /** The source of this kind at this location, if an earlier run recorded it. */
  find(kind: string, location: string): KnownSource | undefined {
    return this.s.find.get(kind, location);
  }

  /** Mark a known source as being read again, with its new content hash and size. */
  reopen(id: number, sha256: string, size: number | null): void {
    this.s.reopen.run(sha256, size, id);
  }

  /** Record a new source, status 'partial' until its read completes; returns its id. */
  add(kind: string, location: string, sha256: string, size: number | null): number {
    return Number(this.s.insert.run(kind, location, sha256, size).lastInsertRowid);
  }

  /** Set a source's message count from the messages that name it (after each written batch). */
  refreshMessageCount(id: number): void {
    this.s.messageCount.run(id, id);
  }

  /** Mark a source as read to the end, at `at` (an ISO time). */
  complete(id: number, at: string): void {
    this.s.complete.run(at, id);
  }
}
