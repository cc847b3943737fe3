/**
 * The statements of the commit-link pass (src/graph/commits.ts): the ingested commits, the
 * messages a commit can be matched to (by Message-ID, patch-id, patch title) and the
 * `commit_links` rows it writes. The matching rules and their confidences stay in src/graph/.
 */
import type Database from 'better-sqlite3';
import type { Db } from './db.ts';

/** An ingested commit, as the link pass reads it. */
export interface CommitRow {
  hash: string;
  author_id: number | null;
  author_date: string | null;
  commit_date: string | null;
  subject: string;
  body: string;
  diff: string | null;
  posted_as: string | null;
}

/** A message that may be where a commit was posted. */
export interface PostedCandidate {
  id: number;
  date: string | null;
}

/** Reads and writes of one commit-link pass. */
export class CommitLinkTables {
  private s: {
    commits: Database.Statement<[], CommitRow>;
    messageByMid: Database.Statement<[string], number>;
    byPatchId: Database.Statement<[string], PostedCandidate>;
    byTitle: Database.Statement<[{ title: string }], PostedCandidate & { author_id: number | null }>;
    signedBy: Database.Statement<[number, number], number>;
    insert: Database.Statement<[string, number, string, number]>;
  };

  constructor(private readonly db: Db) {
    this.s = {
      commits: db.prepare(
        'SELECT hash, author_id, author_date, commit_date, subject, body, diff, posted_as FROM commits',
      ),
      messageByMid: db
        .prepare<[string], number>('SELECT id FROM messages WHERE message_id = ? AND is_ghost = 0')
        .pluck(),
      byPatchId: db.prepare(
        `SELECT p.message_id AS id, m.date FROM patches p JOIN messages m ON m.id = p.message_id
         WHERE p.patch_id = ? ORDER BY m.date`,
      ),
      // messages.subject_norm is subjects.normalised (the writer stores both); its index finds the
      // title, where subjects.normalised has none (a scan of every subject per commit: 0.35 s at 10x)
      byTitle: db.prepare(
        `SELECT m.id, m.date, m.author_id FROM messages m JOIN subjects s ON s.message_id = m.id
         JOIN patches p ON p.message_id = m.id
         WHERE m.subject_norm = @title AND s.normalised = @title AND s.is_reply = 0 ORDER BY m.date`,
      ),
      signedBy: db
        .prepare<[number, number], number>(
          "SELECT 1 FROM trailers WHERE message_id = ? AND name = 'Signed-off-by' AND person_id = ? LIMIT 1",
        )
        .pluck(),
      insert: db.prepare(
        'INSERT OR IGNORE INTO commit_links(commit_hash, message_id, method, confidence) VALUES (?,?,?,?)',
      ),
    };
  }

  /** Empty `commit_links` (the pass rebuilds it whole). */
  clear(): void {
    this.db.exec('DELETE FROM commit_links');
  }

  /** Every ingested commit. */
  commits(): CommitRow[] {
    return this.s.commits.all();
  }

  /** The stored (non-ghost) message with this Message-ID. */
  messageByMid(messageId: string): number | undefined {
    return this.s.messageByMid.get(messageId);
  }

  /** Posted patches with this patch-id, oldest first. */
  byPatchId(patchId: string): PostedCandidate[] {
    return this.s.byPatchId.all(patchId);
  }

  /** Patch postings (not replies) whose normalised title is `title`, oldest first. */
  byTitle(title: string): (PostedCandidate & { author_id: number | null })[] {
    return this.s.byTitle.all({ title });
  }

  /** Whether a message carries a Signed-off-by of this person. */
  signedBy(messageId: number, personId: number): boolean {
    return this.s.signedBy.get(messageId, personId) !== undefined;
  }

  /** Record a link; returns 1 if it was new. */
  insert(hash: string, messageId: number, method: string, confidence: number): number {
    return this.s.insert.run(hash, messageId, method, confidence).changes;
  }
}
