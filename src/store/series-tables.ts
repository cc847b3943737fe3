/**
 * The statements of the series pass (src/graph/series.ts): the patch mails it groups into
 * postings and chains into series, and the `series` and `patches` rows it writes. The grouping
 * and chaining rules stay in src/graph/; statements are prepared once per build.
 */
import type Database from 'better-sqlite3';
import type { Db } from './db.ts';
import { SIGNER_TRAILERS_SQL } from './graph-tables.ts';

/** A patch mail as the series pass reads it. */
export interface PatchMailRow {
  id: number;
  message_id: string;
  thread_id: number | null;
  parent_id: number | null;
  author_id: number | null;
  date: string | null;
  subject: string | null;
  body: string | null;
}

/** One `series` row: id is the row id of the first message of the first posting. */
export interface SeriesRow {
  id: number;
  title: string;
  authorId: number | null;
  firstDate: string;
  lastDate: string;
  postings: number;
}

/** One `patches` row. */
export interface PatchRow {
  messageId: number;
  seriesId: number;
  version: number;
  part: number;
  total: number;
  isCover: boolean;
  patchId: string | null;
  /** 1-based position of the posting in its series. */
  posting: number;
  isRfc: boolean;
  isResend: boolean;
  role: 'patch' | 'revert';
  /** The rule that chained this posting to the series; null for the first posting. */
  chainedBy: string | null;
}

export class SeriesTables {
  private s: {
    clear: Database.Statement[];
    patchMails: Database.Statement<[], PatchMailRow>;
    diffAttachments: Database.Statement<[number], string>;
    signers: Database.Statement<[number], number>;
    insertSeries: Database.Statement<[number, string, number | null, string, string, number]>;
    insertPatch: Database.Statement<
      [
        number,
        number,
        number,
        number,
        number,
        number,
        string | null,
        number,
        number,
        number,
        string,
        string | null,
      ]
    >;
  };

  constructor(db: Db) {
    this.s = {
      clear: [db.prepare('DELETE FROM patches'), db.prepare('DELETE FROM series')],
      // patch postings that are not replies, and RFC postings that carry a diff (inline or attached)
      patchMails: db.prepare(
        `SELECT m.id, m.message_id, m.thread_id, m.parent_id, m.author_id, m.date, m.subject, m.body
       FROM messages m JOIN subjects s ON s.message_id = m.id
       WHERE m.is_ghost = 0 AND s.is_reply = 0 AND (s.is_patch = 1 OR (s.is_rfc = 1 AND (m.body LIKE '%diff --git%' OR
             EXISTS (SELECT 1 FROM attachments a WHERE a.message_id = m.id AND a.text LIKE '%diff --git%'))))
       ORDER BY m.date, m.id`,
      ),
      diffAttachments: db
        .prepare<[number], string>(
          "SELECT text FROM attachments WHERE message_id = ? AND text LIKE '%diff --git%' ORDER BY seq",
        )
        .pluck(),
      signers: db.prepare<[number], number>(SIGNER_TRAILERS_SQL).pluck(),
      insertSeries: db.prepare(
        'INSERT INTO series(id, title, author_id, first_date, last_date, postings) VALUES (?,?,?,?,?,?)',
      ),
      insertPatch: db.prepare(
        'INSERT OR IGNORE INTO patches(message_id, series_id, version, part, total, is_cover, patch_id, posting, is_rfc, is_resend, role, chained_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)',
      ),
    };
  }

  /** Empty `patches` and `series` (the pass rebuilds both from the archive every time). */
  clear(): void {
    for (const s of this.s.clear) s.run();
  }

  /** Every patch mail, in date order then row id (read while iterating: see `diffAttachments`). */
  patchMails(): IterableIterator<PatchMailRow> {
    return this.s.patchMails.iterate();
  }

  /** The texts of a message's attachments that hold a diff, in attachment order. */
  diffAttachments(messageId: number): string[] {
    return this.s.diffAttachments.all(messageId);
  }

  /** The people who signed off or co-developed a message's patch. */
  signers(messageId: number): number[] {
    return this.s.signers.all(messageId);
  }

  /** Write a series row. */
  insertSeries(r: SeriesRow): void {
    this.s.insertSeries.run(r.id, r.title, r.authorId, r.firstDate, r.lastDate, r.postings);
  }

  /** Write a patch row (a message already placed in a series is left as it is). */
  insertPatch(r: PatchRow): void {
    this.s.insertPatch.run(
      r.messageId,
      r.seriesId,
      r.version,
      r.part,
      r.total,
      r.isCover ? 1 : 0,
      r.patchId,
      r.posting,
      r.isRfc ? 1 : 0,
      r.isResend ? 1 : 0,
      r.role,
      r.chainedBy,
    );
  }
}
