/**
 * The statements of the passes that draw edges between versions of a proposal
 * (src/graph/series-edges.ts): `supersedes` and `implements` edges between postings of a series
 * (VersionEdgeTables), and `acks`/`nacks` edges from trailers carried into a later posting
 * (CarriedTrailerTables). They read the series, claims and segments the earlier passes wrote and
 * insert edges; the matching rules stay in src/graph/. Each is made once per build.
 */
import type Database from 'better-sqlite3';
import type { Db } from './db.ts';

/** Keeps a series id column to the scope stored by GraphScopeTables (an incremental build). */
function seriesInScope(col: string, scoped: boolean): string {
  return scoped ? ` AND ${col} IN (SELECT id FROM temp.graph_scope_series)` : '';
}

/** Stances of the review claims a change-log item can implement. */
const REVIEW_STANCES = "('objects-to', 'proposes-alternative', 'asks', 'nacks')";

/** A mail of a series with more than one posting, with what pairing versions needs. */
export interface VersionedPatchRow {
  message_id: number;
  series_id: number;
  posting: number;
  version: number;
  part: number;
  is_cover: number;
  role: string;
  is_resend: number;
  /** The subject's normalised title. */
  normalised: string;
  thread_id: number | null;
  date: string;
}

/** A paragraph claim of a message, with its UTF-8 byte offsets into the body. */
export interface ParagraphClaimRow {
  id: number;
  start: number;
  end: number;
  stance: string;
  kind: string;
  stance_reason: string;
  author_id: number | null;
}

/** A review claim (objection, alternative, question or nack) in a thread, with its offsets. */
export interface ReviewClaimRow {
  id: number;
  author: number | null;
  start: number;
  end: number;
  /** Row id of the message it is in. */
  msg: number;
  date: string;
}

/** Prepare the edge insert both passes use: a duplicate (same claims and relation) is ignored. */
function prepareEdgeInsert(db: Db): Database.Statement<[number, number, string, string]> {
  return db.prepare(
    'INSERT OR IGNORE INTO edges(src_claim_id, dst_claim_id, relation, evidence) VALUES (?,?,?,?)',
  );
}

/** Reads and writes of the supersedes/implements pass. */
export class VersionEdgeTables {
  private s: {
    versionedPatches: Database.Statement<[], VersionedPatchRow>;
    paragraphClaims: Database.Statement<[number], ParagraphClaimRow>;
    body: Database.Statement<[number], string | null>;
    changelogNotes: Database.Statement<[number], string>;
    headClaim: Database.Statement<[number], number>;
    personName: Database.Statement<[number], string | null>;
    reviewClaims: Database.Statement<[number], ReviewClaimRow>;
    insertEdge: Database.Statement<[number, number, string, string]>;
  };

  /** @param scoped - only the series of the stored scope (GraphScopeTables). */
  constructor(db: Db, scoped = false) {
    this.s = {
      // scoped, from the scope's series (not every versioned series' patches, filtered)
      versionedPatches: db.prepare(
        `SELECT p.message_id, p.series_id, p.posting, p.version, p.part, p.is_cover, p.role, p.is_resend, s.normalised, m.thread_id, m.date
       FROM ${scoped ? 'temp.graph_scope_series g CROSS JOIN patches p ON p.series_id = g.id' : 'patches p'}
       JOIN subjects s ON s.message_id = p.message_id JOIN messages m ON m.id = p.message_id
       WHERE p.series_id IN (SELECT id FROM series WHERE postings > 1)
       ORDER BY p.series_id, p.posting, p.part`,
      ),
      paragraphClaims: db.prepare(
        'SELECT id, start, "end", stance, kind, stance_reason, author_id FROM claim_rows WHERE message_id = ? AND kind = \'para\' ORDER BY n',
      ),
      body: db.prepare<[number], string | null>('SELECT body FROM messages WHERE id = ?').pluck(),
      changelogNotes: db
        .prepare<[number], string>(
          "SELECT text FROM segments WHERE message_id = ? AND kind = 'changelog' AND para IS NULL ORDER BY seq",
        )
        .pluck(),
      headClaim: db
        .prepare<[number], number>(
          "SELECT id FROM claim_rows WHERE message_id = ? AND kind = 'para' ORDER BY n LIMIT 1",
        )
        .pluck(),
      personName: db.prepare<[number], string | null>('SELECT name FROM people WHERE id = ?').pluck(),
      // `+c.stance`: by the thread's messages, not by the stance index over the whole archive.
      reviewClaims: db.prepare(
        `SELECT c.id, c.author_id AS author, c.start, c."end", c.message_id AS msg, m.date FROM claim_rows c
     JOIN messages m ON m.id = c.message_id
     WHERE m.thread_id = ? AND +c.stance IN ${REVIEW_STANCES} AND c.kind = 'para'
     ORDER BY c.message_id, c.n`,
      ),
      insertEdge: prepareEdgeInsert(db),
    };
  }

  /** The mails of every series with more than one posting, by series, posting and part. */
  versionedPatches(): VersionedPatchRow[] {
    return this.s.versionedPatches.all();
  }

  /** A message's paragraph claims, in order. */
  paragraphClaims(messageId: number): ParagraphClaimRow[] {
    return this.s.paragraphClaims.all(messageId);
  }

  /** A message's body (null for a ghost or a missing row). */
  body(messageId: number): string | null {
    return this.s.body.get(messageId) ?? null;
  }

  /** The texts of a message's change-log blocks that are not paragraphs (the "v2: …" notes). */
  changelogNotes(messageId: number): string[] {
    return this.s.changelogNotes.all(messageId);
  }

  /** A message's first paragraph claim, if it has one. */
  headClaim(messageId: number): number | undefined {
    return this.s.headClaim.get(messageId);
  }

  /** A person's name (null when unknown or empty). */
  personName(personId: number): string | null {
    return this.s.personName.get(personId) ?? null;
  }

  /** The review claims in a thread's paragraphs, by message and position. */
  reviewClaims(threadId: number): ReviewClaimRow[] {
    return this.s.reviewClaims.all(threadId);
  }

  /** Insert an edge; returns 1 if it was added, 0 if it was already there. */
  insertEdge(srcClaimId: number, dstClaimId: number, relation: string, evidence: string): number {
    return this.s.insertEdge.run(srcClaimId, dstClaimId, relation, evidence).changes;
  }
}

/** An ack or nack trailer claim in a posted patch. */
export interface CarriedTrailerRow {
  claim: number;
  /** Row id of the patch mail. */
  msg: number;
  series: number;
  date: string;
  /** The trailer line. */
  text: string;
}

/** A thread of a series and the posting it belongs to. */
export interface SeriesThreadRow {
  series: number;
  thread: number;
  version: number;
  resend: number;
}

/** A review trailer (Acked-by, Reviewed-by, Tested-by, Nacked-by) given in a reply. */
export interface GivenTrailerRow {
  person: number;
  name: string;
  thread: number;
  date: string;
  /** The reply's Message-ID. */
  mid: string;
}

/** Reads and writes of the carried-trailer pass. */
export class CarriedTrailerTables {
  private s: {
    trailerClaims: Database.Statement<[], CarriedTrailerRow>;
    paragraphs: Database.Statement<[number], { id: number; text: string }>;
    personByAddress: Database.Statement<[string], number>;
    seriesThreads: Database.Statement<[], SeriesThreadRow>;
    givenTrailers: Database.Statement<[], GivenTrailerRow>;
    insertEdge: Database.Statement<[number, number, string, string]>;
  };

  /** @param scoped - only the series (and their threads) of the stored scope (GraphScopeTables). */
  constructor(db: Db, scoped = false) {
    this.s = {
      // scoped, the scope's series drive the read (CROSS JOIN, `+c.stance`): through the stance
      // index it walked every ack of the archive (71k at 10x) for a scope of a few series
      trailerClaims: db.prepare(
        scoped
          ? `SELECT c.id AS claim, c.message_id AS msg, p.series_id AS series, m.date, v.text
       FROM temp.graph_scope_series g CROSS JOIN patches p ON p.series_id = g.id
       CROSS JOIN claim_rows c ON c.message_id = p.message_id JOIN messages m ON m.id = c.message_id
       JOIN claims v ON v.id = c.id
       WHERE c.kind = 'trailer' AND +c.stance IN ('acks', 'nacks')`
          : `SELECT c.id AS claim, c.message_id AS msg, p.series_id AS series, m.date, v.text
       FROM claim_rows c JOIN patches p ON p.message_id = c.message_id JOIN messages m ON m.id = c.message_id
       JOIN claims v ON v.id = c.id
       WHERE c.kind = 'trailer' AND c.stance IN ('acks', 'nacks')`,
      ),
      paragraphs: db.prepare("SELECT id, text FROM claims WHERE message_id = ? AND kind = 'para' ORDER BY n"),
      personByAddress: db
        .prepare<[string], number>('SELECT person_id FROM person_addresses WHERE addr = ?')
        .pluck(),
      seriesThreads: db.prepare(
        `SELECT p.series_id AS series, m.thread_id AS thread, p.version, p.is_resend AS resend
       FROM patches p JOIN messages m ON m.id = p.message_id
       WHERE m.thread_id IS NOT NULL${seriesInScope('p.series_id', scoped)} ORDER BY p.posting`,
      ),
      // scoped, likewise from the scope's messages rather than every review trailer of the archive
      givenTrailers: db.prepare(
        `SELECT t.person_id AS person, t.name, m.thread_id AS thread, m.date, m.message_id AS mid
       FROM ${
         scoped
           ? `temp.graph_scope_msgs g CROSS JOIN messages m ON m.id = g.id CROSS JOIN trailers t ON t.message_id = m.id
              CROSS JOIN subjects s ON s.message_id = m.id`
           : 'trailers t JOIN messages m ON m.id = t.message_id JOIN subjects s ON s.message_id = m.id'
       }
       WHERE s.is_reply = 1 AND t.person_id IS NOT NULL AND m.thread_id IS NOT NULL
         AND t.name IN ('Acked-by', 'Reviewed-by', 'Tested-by', 'Nacked-by')
       ORDER BY m.date, m.id`,
      ),
      insertEdge: prepareEdgeInsert(db),
    };
  }

  /** Every acks/nacks trailer claim that sits in a patch of a series. */
  trailerClaims(): CarriedTrailerRow[] {
    return this.s.trailerClaims.all();
  }

  /** A message's paragraph claims with their text, in order. */
  paragraphs(messageId: number): { id: number; text: string }[] {
    return this.s.paragraphs.all(messageId);
  }

  /** The person an address belongs to, if known. */
  personByAddress(addr: string): number | undefined {
    return this.s.personByAddress.get(addr);
  }

  /** Each patch mail's series and thread, by posting (a thread's first posting comes first). */
  seriesThreads(): IterableIterator<SeriesThreadRow> {
    return this.s.seriesThreads.iterate();
  }

  /** Review trailers given in replies by known people, in date order. */
  givenTrailers(): IterableIterator<GivenTrailerRow> {
    return this.s.givenTrailers.iterate();
  }

  /** Insert an edge; returns 1 if it was added, 0 if it was already there. */
  insertEdge(srcClaimId: number, dstClaimId: number, relation: string, evidence: string): number {
    return this.s.insertEdge.run(srcClaimId, dstClaimId, relation, evidence).changes;
  }
}
